// The zero-copy path: a camera frame stays in the host from capture to inference.
// test-pattern camera → wasi:buffer-pool host-memory frame → wasi:vision image (no copy) →
// resize → to-tensor (f32 NHWC, [-1, 1]) → wasi:nn BlazeFace (load-by-name "blazeface"), for five
// frames through a two-buffer pool (so each image must give its frame buffer back).
// No pixel enters this guest's memory: the test checks the host's pixelBytesLowered counter and
// that this guest's linear memory stays smaller than one frame.
#include <math.h>
#include <unistd.h>
#include "wasi_vision.h"
#include "wasi_nn.h"

// ---- the few wasi:sensor / wasi:buffer-pool / wasi:io imports this guest needs ----
typedef struct { uint8_t is_err; int32_t handle_or_error; } handle_result_t;  // result<own<T>, enum>
typedef struct { uint8_t is_err; uint8_t error; } unit_result_t;              // result<_, enum>
typedef struct { uint8_t tag; int32_t slots[7]; } frame_data_t;               // variant frame-data
typedef struct { uint64_t sequence_number, timestamp; frame_data_t *data; size_t data_len; } frame_info_t;
typedef struct { uint8_t is_err; union { struct { frame_info_t *ptr; size_t len; } ok; uint8_t err; } val; } frames_result_t;
_Static_assert(sizeof(handle_result_t) == 8, "result<handle, enum>");
_Static_assert(sizeof(frame_data_t) == 32, "frame-data is 32 bytes");
_Static_assert(sizeof(frame_info_t) == 24 && offsetof(frame_info_t, data) == 16, "frame-info");
_Static_assert(sizeof(frames_result_t) == 12, "result<list<frame-info>, buffer-error>");

#define SENSOR(name) __attribute__((import_module("wasi:sensor/sensor"), import_name(name)))
#define POOL(name) __attribute__((import_module("wasi:buffer-pool/buffer-pool"), import_name(name)))
#define POLL(name) __attribute__((import_module("wasi:io/poll@0.2.0"), import_name(name)))
SENSOR("[static]device.open") extern void device_open(const char *name, size_t len, handle_result_t *ret);
SENSOR("[method]device.start") extern void device_start(int32_t self, const char *pool, size_t len, unit_result_t *ret);
SENSOR("[method]device.stop") extern void device_stop(int32_t self, unit_result_t *ret);
SENSOR("[resource-drop]device") extern void device_drop(int32_t self);
POOL("[static]pool.create") extern void pool_create(int32_t mode, uint32_t size, uint32_t num, const char *name, size_t len, handle_result_t *ret);
POOL("[method]pool.read-frames") extern void pool_read_frames(int32_t self, uint32_t max, frames_result_t *ret);
POOL("[method]pool.subscribe") extern int32_t pool_subscribe(int32_t self);
POOL("[resource-drop]pool") extern void pool_drop(int32_t self);
POOL("[method]memory.size") extern uint32_t memory_size(int32_t self);
POOL("[resource-drop]memory") extern void memory_drop(int32_t self);
POLL("[method]pollable.ready") extern int32_t pollable_ready(int32_t self);
POLL("[resource-drop]pollable") extern void pollable_drop(int32_t self);

enum { BUFFERING_DISCARD = 1, FRAME_HOST_MEMORY = 1 };

static int fail(const char *what, int code) {
  printf("%s failed: %d\n", what, code);
  return 1;
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  printf("vision_frame start\n");
  static const char pool_name[] = "vision-hm";  // pools named *-hm deliver host-memory frames
  handle_result_t dev, pool;
  device_open("test-pattern:0", 14, &dev);
  if (dev.is_err) return fail("device.open", dev.handle_or_error);
  pool_create(BUFFERING_DISCARD, 640 * 480 * 3, 2, pool_name, sizeof pool_name - 1, &pool);
  if (pool.is_err) return fail("pool.create", pool.handle_or_error);
  unit_result_t ok;
  device_start(dev.handle_or_error, pool_name, sizeof pool_name - 1, &ok);
  if (ok.is_err) return fail("device.start", ok.error);

  nn_result_handle_t graph, ctx;
  nn_load_by_name("blazeface", 9, &graph);
  if (graph.is_err) return nn_report_error("load-by-name", graph.handle), 1;
  nn_graph_init_execution_context(graph.handle, &ctx);
  if (ctx.is_err) return nn_report_error("init-execution-context", ctx.handle), 1;

  // FRAMES frames through a pool of 2 buffers: this only works if every image returns its frame's
  // buffer to the pool when dropped (a lent buffer is not available for new frames).
  enum { FRAMES = 5 };
  int32_t ready = pool_subscribe(pool.handle_or_error);
  for (int n = 0; n < FRAMES; n++) {
    // Wait at most ~3 s per frame (never forever: a pool whose buffers are all lent out never
    // becomes ready, and a blocked guest would hang the test instead of failing it).
    frames_result_t frames = {0};
    for (int tries = 0; frames.val.ok.len == 0; tries++) {
      if (tries == 1500) return fail("no frame within 3 s (frame buffers not returned to the pool?)", n);
      if (!pollable_ready(ready)) {
        usleep(2000);
        continue;
      }
      pool_read_frames(pool.handle_or_error, 1, &frames);
      if (frames.is_err) return fail("read-frames", frames.val.err);
    }
    frame_data_t *fd = &frames.val.ok.ptr[0].data[0];
    if (fd->tag != FRAME_HOST_MEMORY) return fail("frame is not host-memory", fd->tag);
    int32_t memory = fd->slots[0];
    uint32_t frame_bytes = memory_size(memory);
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
        printf("output %.*s [", (int)out->name.len, out->name.ptr);
        for (size_t k = 0; k < d.len; k++) printf(k ? ",%u" : "%u", d.ptr[k]);
        printf("]\n");
      }
      if (d.len == 3 && d.ptr[2] == 1) {
        nn_bytes_t data;
        nn_tensor_data(out->tensor, &data);
        const float *logits = (const float *)data.ptr;
        for (size_t a = 0; a < d.ptr[1]; a++) {
          float p = 1.0f / (1.0f + expf(-logits[a]));
          if (p > best) best = p;
        }
        free(data.ptr);
      }
      free(d.ptr);
    }
    printf("top face score: %.4f\n", best);
    nn_free_outputs(&res.val.ok);
  }
  pollable_drop(ready);
  printf("frames processed: %d\n", FRAMES);
  nn_context_drop(ctx.handle);
  nn_graph_drop(graph.handle);

  device_stop(dev.handle_or_error, &ok);
  pool_drop(pool.handle_or_error);
  device_drop(dev.handle_or_error);
  printf("guest memory: %lu bytes\n", (unsigned long)__builtin_wasm_memory_size(0) * 65536ul);
  printf("vision_frame done\n");
  return 0;
}
