// wasi:vision end to end through the canonical ABI: every function of the image resource and
// every error path a guest can reach without a camera. Prints one line per step; the component
// test (test/vision/component.test.ts) checks each line against values computed in JS.
#include "wasi_vision.h"
#include "wasi_nn.h"

static void print_bytes(const char *what, const uint8_t *p, size_t n) {
  printf("%s:", what);
  for (size_t i = 0; i < n; i++) printf(" %u", p[i]);
  printf("\n");
}

static vision_image_t must(const char *what, vision_result_handle_t *r) {
  if (r->is_err) {
    vision_report_error(what, &r->val.err);
    exit(1);
  }
  return r->val.handle;
}

static void read_and_print(const char *what, vision_image_t img, const vision_rect_t *region) {
  vision_result_bytes_t r;
  vision_read(img, region, &r);
  if (r.is_err) {
    vision_report_error(what, &r.val.err);
    return;
  }
  print_bytes(what, r.val.ok.ptr, r.val.ok.len);
  free(r.val.ok.ptr);
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  printf("vision_basic start\n");
  enum { W = 8, H = 4 };
  uint8_t px[W * H * 3];
  for (int i = 0; i < W * H * 3; i++) px[i] = (uint8_t)(i * 7);

  vision_result_handle_t r;
  vision_layout_t layout = {W, H, VISION_RGB24, {NULL, 0}};
  vision_from_pixels(&layout, px, sizeof px, &r);
  vision_image_t img = must("from-pixels", &r);
  printf("size: %u %u %d\n", vision_width(img), vision_height(img), vision_pixel_format(img));

  vision_layout_t got;
  vision_layout(img, &got);
  printf("layout: %u %u %u planes=%zu offset=%u stride=%u\n", got.width, got.height, got.pixel_format, got.planes.len,
         got.planes.ptr[0].offset, got.planes.ptr[0].stride_bytes);
  free(got.planes.ptr);

  vision_rect_t region = {2, 1, 3, 2};
  read_and_print("read-region", img, &region);

  vision_crop(img, region, &r);
  vision_image_t part = must("crop", &r);
  read_and_print("crop", part, NULL);
  vision_image_drop(part);

  vision_resize(img, 4, 2, VISION_AREA, &r);
  vision_image_t small = must("resize", &r);
  read_and_print("resize-area", small, NULL);
  vision_image_drop(small);

  vision_convert(img, VISION_NV12, &r);
  vision_image_t nv12 = must("convert", &r);
  read_and_print("nv12", nv12, NULL);
  vision_image_drop(nv12);

  // PNG round trip: encode, decode, compare.
  vision_result_bytes_t enc;
  vision_encode(img, VISION_PNG, 0, &enc);
  if (enc.is_err) return vision_report_error("encode", &enc.val.err), 1;
  vision_from_encoded_raw(enc.val.ok.ptr, enc.val.ok.len, &r);
  free(enc.val.ok.ptr);
  vision_image_t back = must("from-encoded", &r);
  vision_result_bytes_t all;
  vision_read(back, NULL, &all);
  printf("png round trip: %s\n", !all.is_err && all.val.ok.len == sizeof px && memcmp(all.val.ok.ptr, px, sizeof px) == 0 ? "exact" : "DIFFERENT");
  if (!all.is_err) free(all.val.ok.ptr);
  vision_image_drop(back);

  // By-value buffer-pool frame: data-type image(dimension, payload).
  vision_from_frame_raw(0, 0, W, H, W * 3, VISION_RGB24, (int32_t)(intptr_t)px, sizeof px, &r);
  vision_image_t frame = must("from-frame", &r);
  printf("frame: %u %u %d\n", vision_width(frame), vision_height(frame), vision_pixel_format(frame));
  vision_image_drop(frame);

  // Drawing changes this image only: also when the other image is a conversion to the format it
  // already has, which has nothing to convert (a host may hand back the same pixels, shared).
  vision_result_unit_t u;
  vision_rect_t corner = {0, 0, 1, 1}, last = {7, 3, 1, 1};
  vision_convert(img, VISION_RGB24, &r);
  vision_image_t same = must("convert rgb24", &r);
  vision_draw_rect_raw(same, 0, 0, 1, 1, 0, 255, 0, 0, &u);
  if (u.is_err) vision_report_error("draw on the conversion", &u.val.err);
  read_and_print("conversion-drawn", same, &corner);
  read_and_print("source-after-conversion-drawn", img, &corner);
  vision_draw_rect_raw(img, 0, 0, 2, 2, 255, 0, 0, 0, &u);
  vision_point_t pts[1] = {{7, 3}};
  vision_draw_points_raw(img, pts, 1, 0, 0, 255, 0, &u);
  read_and_print("drawn-corner", img, &corner);
  read_and_print("drawn-point", img, &last);
  read_and_print("conversion-after-source-drawn", same, &last);
  vision_image_drop(same);

  // A U8 NHWC tensor straight from the image, read back through wasi:nn.
  vision_tensor_options_t opts = {4, 2, VISION_NEAREST, VISION_NCHW, NN_U8, VISION_BGR, VISION_NORM_NONE, 0, 0, NULL, 0, NULL, 0};
  vision_to_tensor(img, &opts, &r);
  nn_tensor_t t = must("to-tensor", &r);
  nn_dims_t dims;
  nn_tensor_dimensions(t, &dims);
  printf("tensor dims: %u %u %u %u type=%d\n", dims.ptr[0], dims.ptr[1], dims.ptr[2], dims.ptr[3], nn_tensor_ty(t));
  free(dims.ptr);
  nn_bytes_t data;
  nn_tensor_data(t, &data);
  print_bytes("tensor", data.ptr, data.len);
  free(data.ptr);
  nn_tensor_drop(t);

  // Error paths, one per case reachable here.
  vision_rect_t outside = {6, 0, 4, 1};
  vision_crop(img, outside, &r);
  if (r.is_err) vision_report_error("crop outside", &r.val.err);
  vision_convert(img, VISION_MJPEG, &r);
  if (r.is_err) vision_report_error("convert mjpeg", &r.val.err);
  uint8_t junk[4] = {1, 2, 3, 4};
  vision_from_encoded_raw(junk, sizeof junk, &r);
  if (r.is_err) vision_report_error("from-encoded junk", &r.val.err);
  vision_from_pixels(&layout, px, 10, &r);
  if (r.is_err) vision_report_error("from-pixels short", &r.val.err);
  vision_resize(img, 5000, 5000, VISION_NEAREST, &r);
  if (r.is_err) vision_report_error("resize huge", &r.val.err);
  opts.element_type = NN_FP16;
  vision_to_tensor(img, &opts, &r);
  if (r.is_err) vision_report_error("to-tensor fp16", &r.val.err);
  // Arguments the host must refuse; "accepted" would be a host that lets them through.
  vision_rect_t empty = {0, 0, 0, 1};
  vision_crop(img, empty, &r);
  if (r.is_err) vision_report_error("crop empty", &r.val.err);
  else printf("crop empty: accepted\n");
  vision_resize(img, 0, 2, VISION_NEAREST, &r);
  if (r.is_err) vision_report_error("resize to 0", &r.val.err);
  else printf("resize to 0: accepted\n");
  vision_point_t beyond[1] = {{8, 0}};
  vision_draw_points_raw(img, beyond, 1, 0, 0, 255, 0, &u);
  if (u.is_err) vision_report_error("point outside", &u.val.err);
  else printf("point outside: accepted\n");
  opts.element_type = NN_U8;
  opts.norm_tag = VISION_NORM_SCALE_OFFSET, opts.scale = 2, opts.offset = 0;
  vision_to_tensor(img, &opts, &r);
  if (r.is_err) vision_report_error("to-tensor u8 normalised", &r.val.err);
  else printf("to-tensor u8 normalised: accepted\n");
  vision_image_drop(img);
  printf("vision_basic done\n");
  return 0;
}
