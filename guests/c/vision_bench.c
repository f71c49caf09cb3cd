// Benchmark guest for bench/vision.bench.mjs: a 640x480 rgb24 image to a 128x128 f32 NHWC tensor
// (bilinear, half-pixel centres, value = sample / 255), `iterations` times, timed by the guest.
// usage: vision_bench component|naive|paired <iterations>
//   component: the pixels stay in the host; one `to-tensor` call per tensor.
//   naive: the way without wasi:vision: the frame is copied into the guest (image.read, 921,600
//          bytes), resized and normalised here in C, and the tensor bytes are copied back
//          (wasi:nn tensor constructor, 196,608 bytes).
//   paired: both, one tensor of each in turn; prints the two times per tensor.
// Prints "ns_per_tensor <n>", a checksum so that the work cannot be optimised away, and, after the
// timed loop, "tensor_fnv <hash>" of one tensor's bytes: the bench checks that both modes make the very
// same tensor (the same work), which is what to-tensor defines (docs/vision.md): bilinear samples
// rounded half up, then value = sample * scale + offset in double, rounded to f32 — one table lookup
// per sample, as the host does. (A division by 255 instead differs from that in the last bit for 126
// of the 256 samples.)
#include "edge_util.h"
#include "wasi_vision.h"
#include "wasi_nn.h"

enum { SW = 640, SH = 480, DW = 128, DH = 128 };

// Bilinear taps with half-pixel centres, as src/vision/resize.ts defines them.
static void taps(int src, int dst, int *i0, int *i1, float *f) {
  double scale = (double)src / dst;
  for (int d = 0; d < dst; d++) {
    double s = (d + 0.5) * scale - 0.5;
    if (s < 0) s = 0;
    int a = (int)s;
    if (a > src - 1) a = src - 1;
    int b = a + 1 > src - 1 ? src - 1 : a + 1;
    i0[d] = a, i1[d] = b, f[d] = b == a ? 0.0f : (float)(s - a);
  }
}

static float tensor_buf[DW * DH * 3];
static const float SCALE = 1.0f / 255.0f, OFFSET = 0.0f;
static float norm[256];  // sample -> value, the scale-offset normalisation

static void naive_tensor(const uint8_t *px, const int *x0, const int *x1, const float *fx, const int *y0, const int *y1, const float *fy) {
  for (int y = 0; y < DH; y++) {
    const uint8_t *r0 = px + y0[y] * SW * 3, *r1 = px + y1[y] * SW * 3;
    for (int x = 0; x < DW; x++) {
      for (int c = 0; c < 3; c++) {
        float a = r0[x0[x] * 3 + c] + (r0[x1[x] * 3 + c] - r0[x0[x] * 3 + c]) * fx[x];
        float b = r1[x0[x] * 3 + c] + (r1[x1[x] * 3 + c] - r1[x0[x] * 3 + c]) * fx[x];
        float v = a + (b - a) * fy[y];
        tensor_buf[(y * DW + x) * 3 + c] = norm[(int)(v + 0.5f)];
      }
    }
  }
}

static vision_image_t img;
static int x0[DW], x1[DW], y0[DH], y1[DH];
static float fx[DW], fy[DH];
static const uint32_t dims[4] = {1, DH, DW, 3};
static vision_tensor_options_t opts = {DW, DH, VISION_BILINEAR, VISION_NHWC, NN_FP32, VISION_RGB, VISION_NORM_SCALE_OFFSET,
                                       SCALE, OFFSET, NULL, 0, NULL, 0};
static uint32_t checksum;

// One tensor, made the naive way or through to-tensor, and dropped. 0, or 1 after reporting an error.
static int one(int naive, int i) {
  nn_tensor_t t;
  if (naive) {
    vision_result_bytes_t frame;
    vision_read(img, NULL, &frame);
    if (frame.is_err) return vision_report_error("read", &frame.val.err), 1;
    naive_tensor(frame.val.ok.ptr, x0, x1, fx, y0, y1, fy);
    free(frame.val.ok.ptr);
    t = nn_tensor_new(dims, 4, NN_FP32, (const uint8_t *)tensor_buf, sizeof tensor_buf);
    checksum += (uint32_t)(tensor_buf[i % (DW * DH * 3)] * 255.0f);
  } else {
    vision_result_handle_t r;
    vision_to_tensor(img, &opts, &r);
    if (r.is_err) return vision_report_error("to-tensor", &r.val.err), 1;
    t = r.val.handle;
    checksum += (uint32_t)t;
  }
  nn_tensor_drop(t);
  return 0;
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IONBF, 0);
  if (argc < 3) return printf("usage: vision_bench component|naive|paired <iterations>\n"), 2;
  int naive = strcmp(argv[1], "naive") == 0, paired = strcmp(argv[1], "paired") == 0;
  int iterations = atoi(argv[2]);

  // The source image: made once (not timed).
  uint8_t *px = malloc(SW * SH * 3);
  for (int i = 0; i < SW * SH * 3; i++) px[i] = (uint8_t)(i * 31 + (i >> 11));
  vision_layout_t layout = {SW, SH, VISION_RGB24, {NULL, 0}};
  vision_result_handle_t r;
  vision_from_pixels(&layout, px, SW * SH * 3, &r);
  if (r.is_err) return vision_report_error("from-pixels", &r.val.err), 1;
  img = r.val.handle;
  free(px);

  taps(SW, DW, x0, x1, fx);
  taps(SH, DH, y0, y1, fy);
  for (int v = 0; v < 256; v++) norm[v] = (float)(v * (double)SCALE + (double)OFFSET);

  if (paired) {
    // Both ways in turn, one tensor each, the order swapped every time: a change of the machine's load
    // reaches both sides alike. Each tensor timed on its own.
    uint64_t ns[2] = {0, 0};
    for (int i = 0; i < iterations; i++) {
      for (int k = 0; k < 2; k++) {
        int way = (i + k) & 1;
        uint64_t t0 = edge_now_ns();
        if (one(way, i)) return 1;
        ns[way] += edge_now_ns() - t0;
      }
    }
    double n = iterations > 0 ? iterations : 1;
    printf("ns_per_tensor_component %.1f\nns_per_tensor_naive %.1f\nchecksum %u\n", ns[0] / n, ns[1] / n, checksum);
    vision_image_drop(img);
    return 0;
  }

  uint64_t t0 = edge_now_ns();
  for (int i = 0; i < iterations; i++)
    if (one(naive, i)) return 1;
  uint64_t elapsed = edge_now_ns() - t0;

  // Not timed: the bytes of one tensor of this mode (FNV-1a), to compare with the other mode's.
  const uint8_t *bytes = (const uint8_t *)tensor_buf;
  size_t len = sizeof tensor_buf;
  nn_bytes_t data = {NULL, 0};
  if (!naive) {
    vision_to_tensor(img, &opts, &r);
    if (r.is_err) return vision_report_error("to-tensor", &r.val.err), 1;
    nn_tensor_data(r.val.handle, &data);
    nn_tensor_drop(r.val.handle);
    bytes = data.ptr, len = data.len;
  }
  uint32_t fnv = 2166136261u;
  for (size_t i = 0; i < len; i++) fnv = (fnv ^ bytes[i]) * 16777619u;
  cabi_free_list(data.ptr, data.len);
  vision_image_drop(img);
  printf("ns_per_tensor %.1f\nchecksum %u\ntensor_fnv %08x %zu\n", (double)elapsed / (iterations > 0 ? iterations : 1), checksum, fnv, len);
  return 0;
}
