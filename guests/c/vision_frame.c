// The zero-copy path: a camera frame stays in the host from capture to inference.
// test-pattern camera → wasi:buffer-pool host-memory frame → wasi:vision image (no copy) →
// resize → to-tensor (f32 NHWC, [-1, 1]) → wasi:nn BlazeFace (load-by-name "blazeface"), for five
// frames through a two-buffer pool (so each image must give its frame buffer back).
// No pixel enters this guest's memory: the test checks the host's pixelBytesLowered counter and
// that this guest's linear memory stays smaller than one frame.
#include <unistd.h>
#include "blazeface_post.h"
#include "wasi_nn.h"
#include "wasi_sensor.h"
#include "wasi_vision.h"

static int fail(const char *what, int code) {
  printf("%s failed: %d\n", what, code);
  return 1;
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  printf("vision_frame start\n");
  static const char pool_name[] = "vision-hm";  // pools named *-hm deliver host-memory frames
  sensor_result_device_t dev;
  sensor_device_open("test-pattern:0", 14, &dev);
  if (dev.is_err) return fail("device.open", dev.val.err);
  bp_result_handle_t pool;
  bp_pool_create(BP_BUFFERING_DISCARD, 640 * 480 * 3, 2, pool_name, sizeof pool_name - 1, &pool);
  if (pool.is_err) return fail("pool.create", pool.val.err);
  sensor_result_unit_t ok;
  sensor_device_start(dev.val.handle, pool_name, sizeof pool_name - 1, &ok);
  if (ok.is_err) return fail("device.start", ok.err);

  nn_result_handle_t graph, ctx;
  nn_load_by_name("blazeface", 9, &graph);
  if (graph.is_err) return nn_report_error("load-by-name", graph.handle), 1;
  nn_graph_init_execution_context(graph.handle, &ctx);
  if (ctx.is_err) return nn_report_error("init-execution-context", ctx.handle), 1;

  // FRAMES frames through a pool of 2 buffers: this only works if every image returns its frame's
  // buffer to the pool when dropped (a lent buffer is not available for new frames).
  enum { FRAMES = 5 };
  bp_pollable_t ready = bp_pool_subscribe(pool.val.handle);
  for (int n = 0; n < FRAMES; n++) {
    // Wait at most ~3 s per frame (never forever: a pool whose buffers are all lent out never
    // becomes ready, and a blocked guest would hang the test instead of failing it).
    bp_result_frames_t frames = {0};
    for (int tries = 0; frames.val.ok.len == 0; tries++) {
      if (tries == 1500) return fail("no frame within 3 s (frame buffers not returned to the pool?)", n);
      if (!poll_pollable_ready(ready)) {
        usleep(2000);
        continue;
      }
      bp_pool_read_frames(pool.val.handle, 1, &frames);
      if (frames.is_err) return fail("read-frames", frames.val.err);
    }
    bp_frame_data_t *fd = &frames.val.ok.ptr[0].data[0];
    if (fd->tag != BP_HOST_MEMORY) return fail("frame is not host-memory", fd->tag);
    bp_memory_t memory = fd->val.host_memory;
    uint32_t frame_bytes = bp_memory_size(memory);
    printf("frame %llu: host-memory, %u bytes\n", (unsigned long long)frames.val.ok.ptr[0].sequence_number, frame_bytes);
    free(frames.val.ok.ptr[0].data);
    free(frames.val.ok.ptr);

    // The image takes the memory handle over: no copy, and the buffer returns to the pool on drop.
    vision_result_handle_t r;
    vision_from_host_memory(memory, &r);
    if (r.is_err) return vision_report_error("from-frame", &r.val.err), 1;
    vision_image_t img = r.val.handle;
    if (n == 0) printf("image: %ux%u format %d\n", vision_width(img), vision_height(img), vision_pixel_format(img));

    vision_resize(img, 128, 128, VISION_AREA, &r);
    if (r.is_err) return vision_report_error("resize", &r.val.err), 1;
    vision_image_t small = r.val.handle;
    vision_image_drop(img);  // the frame buffer goes back to the pool here

    // BlazeFace input: 1x128x128x3 f32 NHWC in [-1, 1].
    vision_tensor_options_t opts = {0, 0, VISION_BILINEAR, VISION_NHWC, NN_FP32, VISION_RGB, VISION_NORM_SCALE_OFFSET,
                                    2.0f / 255.0f, -1.0f, NULL, 0, NULL, 0};
    vision_to_tensor(small, &opts, &r);
    if (r.is_err) return vision_report_error("to-tensor", &r.val.err), 1;
    nn_tensor_t input = r.val.handle;
    vision_image_drop(small);

    nn_named_tensor_t in = {{"input:0", 7}, input};
    nn_result_tensors_t res;
    nn_context_compute(ctx.handle, &in, 1, &res);
    if (res.is_err) return nn_report_error("compute", res.val.err), 1;
    float best = -1;
    for (size_t i = 0; i < res.val.ok.len; i++) {
      nn_named_tensor_t *out = &res.val.ok.ptr[i];
      nn_dims_t d;
      nn_tensor_dimensions(out->tensor, &d);
      if (n == 0) {
        printf("output %.*s ", (int)out->name.len, out->name.ptr);
        nn_print_dims(&d);
        printf("\n");
      }
      if (d.len == 3 && d.ptr[2] == 1) {
        nn_bytes_t data;
        nn_tensor_data(out->tensor, &data);
        size_t at;
        float p = bf_best_score((const float *)data.ptr, d.ptr[1], &at);
        if (p > best) best = p;
        free(data.ptr);
      }
      free(d.ptr);
    }
    printf("top face score: %.4f\n", best);
    nn_free_outputs(&res.val.ok);
  }
  poll_pollable_drop(ready);
  printf("frames processed: %d\n", FRAMES);
  nn_context_drop(ctx.handle);
  nn_graph_drop(graph.handle);

  sensor_device_stop(dev.val.handle, &ok);
  bp_pool_drop(pool.val.handle);
  sensor_device_drop(dev.val.handle);
  printf("guest memory: %lu bytes\n", (unsigned long)__builtin_wasm_memory_size(0) * 65536ul);
  printf("vision_frame done\n");
  return 0;
}
