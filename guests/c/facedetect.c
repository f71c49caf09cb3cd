// Face detection at the edge: the app `npm start` runs (docs/demo.md).
//
//   camera (wasi:sensor) → host-memory frame (wasi:buffer-pool) → image (wasi:vision, no pixel copy)
//   → to-tensor 128x128 NHWC f32 [-1, 1] → BlazeFace (wasi:nn, load-by-name "blazeface")
//   → anchors + non-maximum suppression HERE, in the guest (blazeface_post.h)
//   + temperature from a BME280 on I2C (wasi-edge:host/access open-i2c, wasi:i2c)
//   → boxes drawn on the image → PNG → <out>/frame-NNNNNN.png (wasi:filesystem, preopen /out)
//   → one JSON line per frame on stdout, a summary line at the end.
//
// Built twice: facedetect.c, and facedetect_ai.c, which defines FACEDETECT_ON_SENSOR and includes
// this file. That variant opens an on-sensor-AI camera (IMX500-style): the camera runs BlazeFace
// itself and delivers its output tensors with each frame as a second frame-data entry
// (docs/spec-notes/sensor-ai.md), so the app skips to-tensor and wasi:nn and only post-processes.
//
// argv: [frames (0 = until the camera stops delivering)] [camera name]
// env:  FRAMES, CAMERA, I2C_BUS (i2c-sim0), BME280_ADDRESS (0x76), OUT_DIR (/out; "-" = write nothing),
//       FACEDETECT_TIMING=1 (add per-stage microseconds to each line),
//       KEEP_GOING=1 (field mode: live through device faults instead of exiting; see below)
//
// Field mode (KEEP_GOING=1, what `npm run soak` runs): a camera that fails (unplugged: read-frames
// says hardware-error) is restarted every 100 ms until it comes back; a model that fails to load
// (a missing or broken file) is retried every 10 frames, and frames meanwhile are reported with
// "model":false and no faces (a model that loaded stays: the host loads a named model once);
// a temperature read that fails is null (as always). Each change is an event line on stdout:
// {"event":"camera-lost"|"camera-back"|"read-failed"|"model-failed"|"model-loaded", ...}.
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "blazeface_post.h"
#include "edge_util.h"
#include "wasi_config.h"
#include "wasi_i2c.h"
#include "wasi_messaging.h"
#include "wasi_nn.h"
#include "wasi_sensor.h"
#include "wasi_vision.h"

#ifndef FACEDETECT_ON_SENSOR
#define FACEDETECT_ON_SENSOR 0
#endif
#if FACEDETECT_ON_SENSOR
#define APP_NAME "facedetect_ai"
#define DEFAULT_CAMERA "ai-camera:0"
#else
#define APP_NAME "facedetect"
#define DEFAULT_CAMERA "camera:0"
#endif

#define MAX_FACES 64
// Per-frame work lives in functions of its own, called once per frame: V8 compiles wasm with a
// baseline compiler first and tiers a function up on later calls, never in the middle of one, so
// code inlined into main's frame loop would run unoptimised for the whole program.
#define NOINLINE __attribute__((noinline))

// ---------------------------------------------------------------- cloud: settings and telemetry

// From wasi:config (the host configuration's `config` section): `threshold` (the lowest score that
// is a face), `device` (this camera's name in the topics) and `messaging-client` (default "cloud").
static float min_score = BF_MIN_SCORE;
static char device_name[64] = "cam-0";
static char topic[160];
// The wasi:messaging client results go to, or -1 when none is configured.
static msg_client_t cloud = -1;
static int published = 0, publish_errors = 0;

static void cloud_open(void) {
  char *threshold = config_get_cstr("threshold");
  if (threshold) {
    char *end;
    float t = strtof(threshold, &end);
    if (end != threshold && *end == 0 && t > 0.f && t < 1.f) min_score = t;
    else fprintf(stderr, APP_NAME ": config threshold \"%s\" is not a number between 0 and 1; using %.2f\n", threshold, (double)min_score);
    free(threshold);
  }
  char *device = config_get_cstr("device");
  if (device) {
    snprintf(device_name, sizeof device_name, "%s", device);
    free(device);
  }
  snprintf(topic, sizeof topic, "edge/%s/detections", device_name);
  char *client = config_get_cstr("messaging-client");
  const char *name = client ? client : "cloud";
  msg_result_client_t r;
  msg_connect(name, &r);
  if (!r.is_err) {
    cloud = r.val.client;
  } else {
    // No client of that name is how a host says "no cloud here": quiet, unless one was asked for.
    if (r.val.err.tag != MSG_ERR_OTHER || client)
      fprintf(stderr, APP_NAME ": messaging client \"%s\": %s: %.*s; not publishing\n", name, msg_error_name(r.val.err.tag),
              (int)r.val.err.message.len, r.val.err.message.ptr);
    msg_error_free(&r.val.err);
  }
  free(client);
}

/**
 * Sends `json` (one frame's line: faces, temperature, frame number, timestamp; never pixels) to
 * edge/<device>/detections, with the frame number as metadata `frame` (a receiver drops the
 * repeats QoS 1 may bring by it). The host queues it and returns: no waiting for the network.
 */
NOINLINE static void publish(const char *json, size_t len, uint64_t frame) {
  if (cloud < 0) return;
  msg_message_t m = msg_message_new((const uint8_t *)json, len);
  msg_message_set_content_type(m, "application/json", 16);
  char seq[24];
  int n = snprintf(seq, sizeof seq, "%llu", (unsigned long long)frame);
  msg_message_add_metadata(m, "frame", 5, seq, (size_t)n);
  msg_result_unit_t r;
  msg_send(cloud, topic, strlen(topic), m, &r);
  if (!r.is_err) {
    published++;
    return;
  }
  if (publish_errors++ < 3) fprintf(stderr, APP_NAME ": send to %s: %s: %.*s\n", topic, msg_error_name(r.err.tag), (int)r.err.message.len, r.err.message.ptr);
  msg_error_free(&r.err);
}

static int fail(const char *what, const char *detail) {
  fprintf(stderr, APP_NAME ": %s: %s\n", what, detail);
  return 1;
}

static uint64_t now_us(void) { return edge_now_ns() / 1000u; }

// Stage clocks only when FACEDETECT_TIMING=1: each reading is a call into the host.
static int timing;
static uint64_t tick(void) { return timing ? now_us() : 0; }

static const char *setting(int argc, char **argv, int index, const char *env, const char *fallback) {
  if (argc > index && argv[index][0]) return argv[index];
  const char *v = getenv(env);
  return v ? v : fallback;
}

// ---------------------------------------------------------------- temperature (BME280, I2C)

static struct { i2c_handle_t bus; int address; uint16_t t1; int16_t t2, t3; int ok; } bme;

static int bme_read(uint8_t reg, uint8_t *out, size_t n) {
  i2c_result_bytes_t r;
  i2c_write_read(bme.bus, bme.address, &reg, 1, n, &r);
  if (r.is_err) return -1;
  memcpy(out, r.val.ok.ptr, r.val.ok.len < n ? r.val.ok.len : n);
  free(r.val.ok.ptr);
  return (int)r.val.ok.len == (int)n ? 0 : -1;
}

/** Opens the bus, checks the chip id, reads the temperature calibration, starts normal mode. */
static void bme_open(const char *bus_name, int address) {
  access_result_i2c_t opened;
  access_open_i2c(bus_name, strlen(bus_name), &opened);
  if (opened.is_err) {
    fprintf(stderr, APP_NAME ": open-i2c(%s): %s; continuing without temperature\n", bus_name, ACCESS_ERROR_NAMES[opened.val.err.tag]);
    if (opened.val.err.tag == ACCESS_UNAVAILABLE) free(opened.val.err.message.ptr);
    return;
  }
  bme.bus = opened.val.handle;
  bme.address = address;
  uint8_t id = 0, c[6];
  if (bme_read(0xd0, &id, 1) || id != 0x60 || bme_read(0x88, c, 6)) {
    fprintf(stderr, APP_NAME ": no BME280 at 0x%02x on %s; continuing without temperature\n", address, bus_name);
    return;
  }
  bme.t1 = (uint16_t)(c[0] | c[1] << 8);
  bme.t2 = (int16_t)(c[2] | c[3] << 8);
  bme.t3 = (int16_t)(c[4] | c[5] << 8);
  uint8_t ctrl[2] = {0xf4, (1 << 5) | 0x03};  // temperature oversampling x1, pressure off, normal mode
  i2c_result_unit_t w;
  i2c_write(bme.bus, bme.address, ctrl, 2, &w);
  bme.ok = !w.is_err;
}

/** °C, or NaN when there is no sensor or the read failed. Datasheet integer compensation (§8.2). */
NOINLINE static float bme_temperature(void) {
  uint8_t d[3];
  if (!bme.ok || bme_read(0xfa, d, 3)) return NAN;
  int32_t adc = (int32_t)((uint32_t)d[0] << 12 | (uint32_t)d[1] << 4 | d[2] >> 4);
  int32_t v1 = (((adc >> 3) - ((int32_t)bme.t1 << 1)) * bme.t2) >> 11;
  int32_t v2 = (((((adc >> 4) - (int32_t)bme.t1) * ((adc >> 4) - (int32_t)bme.t1)) >> 12) * bme.t3) >> 14;
  return (float)(((v1 + v2) * 5 + 128) >> 8) / 100.f;
}

// ---------------------------------------------------------------- inference

static uint64_t t_tensor, t_compute;  // the plain variant's split of `infer` (to-tensor, compute), for FACEDETECT_TIMING

#if FACEDETECT_ON_SENSOR
// The camera's output tensors travel as a by-value `image` entry whose payload is a tensor blob
// (docs/spec-notes/sensor-ai.md): "WETN", version 1, count, then per tensor: name (u32 length +
// bytes, padded to 4), wasi:nn tensor-type, rank, dims, byte length, data (padded to 4). All u32 LE.
static const uint8_t *blob_tensor(const uint8_t *blob, size_t len, uint32_t want_rows, uint32_t want_cols) {
  uint32_t h[3];
  if (len < 12) return NULL;
  memcpy(h, blob, 12);
  if (memcmp(blob, "WETN", 4) != 0 || h[1] != 1) return NULL;
  size_t at = 12;
  for (uint32_t t = 0; t < h[2]; t++) {
    uint32_t u;
#define TAKE(v) do { if (at + 4 > len) return NULL; memcpy(&(v), blob + at, 4); at += 4; } while (0)
    TAKE(u);
    at += (u + 3u) & ~3u;
    uint32_t type, rank, dims[8] = {0}, bytes;
    TAKE(type);
    TAKE(rank);
    if (rank > 8) return NULL;
    for (uint32_t k = 0; k < rank; k++) TAKE(dims[k]);
    TAKE(bytes);
#undef TAKE
    if (at + bytes > len) return NULL;
    if (type == NN_FP32 && rank == 3 && dims[1] == want_rows && dims[2] == want_cols && bytes == want_rows * want_cols * 4) {
      return blob + at;
    }
    at += (bytes + 3u) & ~3u;
  }
  return NULL;
}

NOINLINE static int detect(const bp_frame_info_t *frame, vision_image_t image, bf_face_t *faces, size_t *n, uint64_t *t_infer) {
  (void)image;
  uint64_t t0 = tick();
  const uint8_t *blob = NULL;
  size_t len = 0;
  for (size_t i = 1; i < frame->data_len; i++) {
    const bp_frame_data_t *d = &frame->data[i];
    if (d->tag == BP_BY_VALUE && d->val.by_value.image.dimension.pixel_format == BP_GRAY) {
      blob = d->val.by_value.image.payload;
      len = d->val.by_value.image.payload_len;
    }
  }
  if (!blob) return fail("frame", "no tensor entry: is this an on-sensor-AI camera?");
  const float *s16 = (const float *)blob_tensor(blob, len, BF_ANCHORS_16, 1);
  const float *b16 = (const float *)blob_tensor(blob, len, BF_ANCHORS_16, BF_VALUES);
  const float *s8 = (const float *)blob_tensor(blob, len, BF_ANCHORS_8, 1);
  const float *b8 = (const float *)blob_tensor(blob, len, BF_ANCHORS_8, BF_VALUES);
  if (!s16 || !b16 || !s8 || !b8) return fail("frame", "the tensor entry does not hold BlazeFace's four outputs");
  *t_infer = tick() - t0;  // only parsing here: the camera ran the network
  *n = bf_detect(s16, b16, s8, b8, min_score, faces, MAX_FACES);
  return 0;
}

static int inference_open(void) { return 0; }
static void inference_close(void) {}
static int inference_quiet_open(char *why, size_t n) { (void)why, (void)n; return 0; }

#else
static nn_graph_t graph;
static nn_context_t context;

static int inference_open(void) {
  nn_result_handle_t g, c;
  nn_load_by_name("blazeface", 9, &g);
  if (g.is_err) return nn_report_error("load-by-name blazeface", g.handle), 1;
  graph = g.handle;
  nn_graph_init_execution_context(graph, &c);
  if (c.is_err) return nn_report_error("init-execution-context", c.handle), 1;
  context = c.handle;
  return 0;
}

static void inference_close(void) {
  nn_context_drop(context);
  nn_graph_drop(graph);
}

/** Field mode's (re)load: the error goes into `why` (for the event line) instead of stderr. */
static int inference_quiet_open(char *why, size_t n) {
  nn_result_handle_t g, c;
  nn_load_by_name("blazeface", 9, &g);
  if (g.is_err) return nn_error_text(g.handle, why, n), 1;
  nn_graph_init_execution_context(g.handle, &c);
  if (c.is_err) return nn_error_text(c.handle, why, n), nn_graph_drop(g.handle), 1;
  graph = g.handle;
  context = c.handle;
  return 0;
}

NOINLINE static int detect(const bp_frame_info_t *frame, vision_image_t image, bf_face_t *faces, size_t *n, uint64_t *t_infer) {
  (void)frame;
  uint64_t t0 = tick();
  // BlazeFace input: 1x128x128x3 f32 NHWC, x * 2/255 - 1. to-tensor resizes (bilinear) on the host.
  vision_tensor_options_t opts = {BF_INPUT, BF_INPUT, VISION_BILINEAR, VISION_NHWC, NN_FP32, VISION_RGB,
                                  VISION_NORM_SCALE_OFFSET, 2.0f / 255.0f, -1.0f, NULL, 0, NULL, 0};
  vision_result_handle_t t;
  vision_to_tensor(image, &opts, &t);
  if (t.is_err) return vision_report_error("to-tensor", &t.val.err), 1;
  nn_named_tensor_t in = {{"input:0", 7}, t.val.handle};
  nn_result_tensors_t res;
  uint64_t t1 = tick();
  nn_context_compute(context, &in, 1, &res);
  if (res.is_err) return nn_report_error("compute", res.val.err), 1;
  uint64_t t2 = tick();
  t_tensor = t1 - t0;
  t_compute = t2 - t1;
  float *s16 = NULL, *b16 = NULL, *s8 = NULL, *b8 = NULL;
  for (size_t i = 0; i < res.val.ok.len; i++) {
    nn_tensor_t out = res.val.ok.ptr[i].tensor;
    nn_dims_t d;
    nn_tensor_dimensions(out, &d);
    float **slot = NULL;
    if (d.len == 3 && d.ptr[1] == BF_ANCHORS_16) slot = d.ptr[2] == 1 ? &s16 : &b16;
    if (d.len == 3 && d.ptr[1] == BF_ANCHORS_8) slot = d.ptr[2] == 1 ? &s8 : &b8;
    free(d.ptr);
    if (!slot || nn_tensor_ty(out) != NN_FP32) continue;
    nn_bytes_t data;
    nn_tensor_data(out, &data);  // the outputs are small (60 KB in all): copy them in
    *slot = (float *)data.ptr;
  }
  nn_free_outputs(&res.val.ok);
  *t_infer = tick() - t0;
  int ok = s16 && b16 && s8 && b8;
  if (ok) *n = bf_detect(s16, b16, s8, b8, min_score, faces, MAX_FACES);
  free(s16), free(b16), free(s8), free(b8);
  return ok ? 0 : fail("compute", "the model did not return BlazeFace's four outputs");
}
#endif

// ---------------------------------------------------------------- camera

/** The named device, after checking that the host lists it (prints what there is otherwise). */
static int open_camera(const char *name, sensor_device_t *out) {
  sensor_result_names_t names;
  sensor_device_list_names(&names);
  if (names.is_err) return fail("list-names", BP_ERROR_NAMES[names.val.err]);
  int found = 0;
  for (size_t i = 0; i < names.val.ok.len; i++) {
    sensor_string_t *s = &names.val.ok.ptr[i];
    if (s->len == strlen(name) && memcmp(s->ptr, name, s->len) == 0) found = 1;
  }
  if (!found) {
    fprintf(stderr, APP_NAME ": no camera \"%s\"; this host has:", name);
    for (size_t i = 0; i < names.val.ok.len; i++) fprintf(stderr, " %.*s", (int)names.val.ok.ptr[i].len, names.val.ok.ptr[i].ptr);
    fprintf(stderr, " (set CAMERA)\n");
  }
  for (size_t i = 0; i < names.val.ok.len; i++) free(names.val.ok.ptr[i].ptr);
  free(names.val.ok.ptr);
  if (!found) return 1;
  sensor_result_device_t dev;
  sensor_device_open(name, strlen(name), &dev);
  if (dev.is_err) return fail("device.open", BP_ERROR_NAMES[dev.val.err]);
  *out = dev.val.handle;
  return 0;
}

/**
 * Waits for the next frame. With a frame count the app simply blocks. Without one it runs until
 * the camera stops delivering: it checks readiness and sleeps between checks, and gives up when
 * no frame came for `idle_us` (a non-looping image sequence has ended, or a camera stalled).
 */
static int wait_frame(bp_pollable_t ready, int counted, uint64_t idle_us) {
  if (counted) {
    poll_pollable_block(ready);
    return 1;
  }
  uint64_t start = now_us();
  while (!poll_pollable_ready(ready)) {
    if (now_us() - start > idle_us) return 0;
    edge_sleep_ms(2);
  }
  return 1;
}

// ---------------------------------------------------------------- output

static int write_png(const char *dir, uint64_t seq, vision_image_t image, uint64_t *t_encode, uint64_t *t_write) {
  uint64_t t0 = tick();
  vision_result_bytes_t png;
  vision_encode(image, VISION_PNG, 0, &png);
  if (png.is_err) return vision_report_error("encode", &png.val.err), 1;
  uint64_t t1 = tick();
  char path[512];
  snprintf(path, sizeof path, "%s/frame-%06llu.png", dir, (unsigned long long)seq);
  FILE *f = fopen(path, "wb");
  int bad = !f || fwrite(png.val.ok.ptr, 1, png.val.ok.len, f) != png.val.ok.len;
  if (f && fclose(f)) bad = 1;
  free(png.val.ok.ptr);
  *t_encode = t1 - t0;
  *t_write = tick() - t1;
  if (bad) return fail(path, strerror(errno));
  return 0;
}

// One JSON line per frame, composed here and written with one call (stdout is unbuffered, and
// every write is a trip through wasi:cli to the host).
static char line[1024 + MAX_FACES * 96];
static size_t line_len;

__attribute__((format(printf, 1, 2))) static void add(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(line + line_len, sizeof line - line_len, fmt, ap);
  va_end(ap);
  if (n > 0) line_len = line_len + (size_t)n < sizeof line ? line_len + (size_t)n : sizeof line - 1;
}

/**
 * `value` with `decimals` digits after the point, by integer arithmetic: wasi-libc formats %f
 * through 128-bit long double, which wasm32 emulates in software (about a millisecond per number).
 */
static void add_fixed(double value, int decimals) {
  long long scale = 1;
  for (int i = 0; i < decimals; i++) scale *= 10;
  long long v = llround(value * (double)scale);
  const char *sign = v < 0 ? "-" : "";
  if (v < 0) v = -v;
  add("%s%lld.%0*lld", sign, v / scale, decimals, v % scale);
}

/** `text` as a JSON string (error messages quote names). */
static void add_json_string(const char *text) {
  add("\"");
  for (const char *c = text; *c; c++) {
    if (*c == '"' || *c == '\\') add("\\%c", *c);
    else if ((unsigned char)*c < 0x20) add("\\u%04x", (unsigned char)*c);
    else add("%c", *c);
  }
  add("\"");
}

/** Field mode's event line: {"event":<name>,"frames":<frames so far>[,"error":<detail>]}. */
static void event(const char *name, int frames, const char *detail) {
  line_len = 0;
  add("{\"event\":\"%s\",\"frames\":%d", name, frames);
  if (detail) {
    add(",\"error\":");
    add_json_string(detail);
  }
  add("}\n");
  fputs(line, stdout);
}

NOINLINE static void add_frame(uint64_t seq, uint64_t timestamp, const bf_face_t *faces, size_t n, uint32_t w, uint32_t h, float celsius) {
  line_len = 0;
  add("{\"frame\":%llu,\"timestamp\":%llu,\"faces\":[", (unsigned long long)seq, (unsigned long long)timestamp);
  for (size_t i = 0; i < n; i++) {
    add("%s{\"score\":", i ? "," : "");
    add_fixed(faces[i].score, 3);
    add(",\"box\":{\"x\":%d,\"y\":%d,\"w\":%d,\"h\":%d}}", (int)lroundf(faces[i].x * w), (int)lroundf(faces[i].y * h),
        (int)lroundf(faces[i].w * w), (int)lroundf(faces[i].h * h));
  }
  add("],\"temperature\":");
  if (isnan(celsius)) add("null");
  else add_fixed(celsius, 2);
}

// ---------------------------------------------------------------- field mode

/**
 * After read-frames failed. hardware-error means the camera went away and the host stopped it:
 * restart it every 100 ms until it is back. Any other error (data-loss, say) leaves the device
 * running: report it and read on.
 */
static void recover_camera(sensor_device_t dev, const char *pool_name, int err, int frames, int *outages) {
  if (err != BP_HARDWARE_ERROR) {
    event("read-failed", frames, BP_ERROR_NAMES[err]);
    return;
  }
  event("camera-lost", frames, BP_ERROR_NAMES[err]);
  (*outages)++;
  uint64_t lost = now_us();
  for (;;) {
    edge_sleep_ms(100);
    sensor_result_unit_t ok;
    sensor_device_start(dev, pool_name, strlen(pool_name), &ok);
    if (!ok.is_err || ok.err == BP_BUSY) break;  // busy: it is running already
  }
  line_len = 0;
  add("{\"event\":\"camera-back\",\"frames\":%d,\"after_ms\":%llu}\n", frames, (unsigned long long)((now_us() - lost) / 1000));
  fputs(line, stdout);
}

/** Without a model, tries to load it every 10 frames. */
static void retry_model(int *have_model, int frames, int *failures) {
  if (*have_model || frames % 10 != 0) return;
  char why[512];
  *have_model = !inference_quiet_open(why, sizeof why);
  if (*have_model) event("model-loaded", frames, NULL);
  else {
    (*failures)++;
    event("model-failed", frames, why);
  }
}

// ---------------------------------------------------------------- main

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IONBF, 0);
  int wanted = atoi(setting(argc, argv, 1, "FRAMES", "0"));
  const char *camera = setting(argc, argv, 2, "CAMERA", DEFAULT_CAMERA);
  const char *out_dir = setting(0, argv, 0, "OUT_DIR", "/out");
  int write_images = strcmp(out_dir, "-") != 0;
  const char *timing_env = getenv("FACEDETECT_TIMING");
  timing = timing_env && timing_env[0] == '1';
  const char *keep_env = getenv("KEEP_GOING");
  int keep_going = keep_env && keep_env[0] == '1';
  int have_model = 1, outages = 0, model_failures = 0;

  cloud_open();
  bme_open(setting(0, argv, 0, "I2C_BUS", "i2c-sim0"), (int)strtol(setting(0, argv, 0, "BME280_ADDRESS", "0x76"), NULL, 0));
  if (keep_going) {
    have_model = 0;
    retry_model(&have_model, 0, &model_failures);
  } else if (inference_open()) return 1;

  sensor_device_t dev;
  if (open_camera(camera, &dev)) return 1;
  sensor_result_property_t prop;
  sensor_device_get_property(dev, SENSOR_DIMENSION, &prop);
  if (prop.is_err) return fail("get-property dimension", BP_ERROR_NAMES[prop.val.err]);
  bp_dimension_t dim = prop.val.ok.val.dimension;
  sensor_device_get_property(dev, SENSOR_SAMPLING_RATE, &prop);
  if (prop.is_err) return fail("get-property sampling-rate", BP_ERROR_NAMES[prop.val.err]);
  sensor_fraction_t rate = prop.val.ok.val.fraction;
  // Wait five frame periods (at least half a second) before deciding that the camera stopped.
  uint64_t idle_us = rate.numerator ? 5000000ull * rate.denominator / rate.numerator : 0;
  if (idle_us < 500000) idle_us = 500000;

  // A pool whose name ends in -hm delivers host-memory frames (docs/spec-notes/sensor.md): the
  // pixels stay in the host; wasi:vision wraps them. Eight buffers: a short sequence never drops.
  static const char pool_name[] = "facedetect-hm";
  uint32_t frame_bytes = dim.stride_bytes ? dim.stride_bytes * dim.height : dim.width * dim.height * 4;
  bp_result_handle_t pool;
  bp_pool_create(BP_BUFFERING_DISCARD, frame_bytes, 8, pool_name, sizeof pool_name - 1, &pool);
  if (pool.is_err) return fail("pool.create", BP_ERROR_NAMES[pool.val.err]);
  sensor_result_unit_t ok;
  sensor_device_start(dev, pool_name, sizeof pool_name - 1, &ok);
  if (ok.is_err) return fail("device.start", BP_ERROR_NAMES[ok.err]);
  bp_pollable_t ready = bp_pool_subscribe(pool.val.handle);

  uint64_t started = now_us();
  int frames = 0, faces_total = 0, written = 0;
  uint64_t t_print = 0;
  while (wanted <= 0 || frames < wanted) {
    uint64_t t_start = tick();
    if (!wait_frame(ready, wanted > 0, idle_us)) break;
    uint64_t t_waited = tick();
    bp_result_frames_t got;
    bp_pool_read_frames(pool.val.handle, 1, &got);
    if (got.is_err && !keep_going) return fail("read-frames", BP_ERROR_NAMES[got.val.err]);
    if (got.is_err) {
      recover_camera(dev, pool_name, got.val.err, frames, &outages);
      continue;
    }
    if (got.val.ok.len == 0) continue;
    if (keep_going) retry_model(&have_model, frames, &model_failures);
    bp_frame_info_t *frame = &got.val.ok.ptr[0];
    uint64_t t0 = tick();

    // The image takes the frame over: host-memory is wrapped without a copy and the buffer goes
    // back to the pool when the image is dropped; a by-value frame (a pool without -hm) is copied.
    bp_frame_data_t *fd = &frame->data[0];
    vision_result_handle_t r;
    if (fd->tag == BP_HOST_MEMORY) {
      vision_from_host_memory(fd->val.host_memory, &r);
    } else {
      bp_image_t *im = &fd->val.by_value.image;
      vision_from_frame_raw(0, 0, (int32_t)im->dimension.width, (int32_t)im->dimension.height, (int32_t)im->dimension.stride_bytes,
                            im->dimension.pixel_format, (int32_t)(intptr_t)im->payload, (int32_t)im->payload_len, &r);
    }
    if (r.is_err) return vision_report_error("from-frame", &r.val.err), 1;
    vision_image_t image = r.val.handle;
    uint32_t w = vision_width(image), h = vision_height(image);
    uint64_t t_image = tick() - t0;

    bf_face_t faces[MAX_FACES];
    size_t n = 0;
    uint64_t t_infer = 0, t_encode = 0, t_write = 0;
    uint64_t t_detect = tick();
    if (have_model && detect(frame, image, faces, &n, &t_infer)) {
      if (!keep_going) return 1;
      n = 0;  // reported on stderr; field mode goes on with the next frame
    }
    uint64_t t1 = tick();
    float celsius = bme_temperature();
    uint64_t t2 = tick();

    // Drawing copies the frame first (copy-on-write): the pool's buffer is never written.
    for (size_t i = 0; i < n; i++) {
      float x0 = fmaxf(0.f, faces[i].x * w), y0 = fmaxf(0.f, faces[i].y * h);
      float x1 = fminf((float)w, (faces[i].x + faces[i].w) * w), y1 = fminf((float)h, (faces[i].y + faces[i].h) * h);
      if (x1 - x0 < 1.f || y1 - y0 < 1.f) continue;
      vision_result_unit_t d;
      vision_draw_rect_raw(image, (uint32_t)x0, (uint32_t)y0, (uint32_t)(x1 - x0), (uint32_t)(y1 - y0), 0, 255, 0, 3, &d);
      if (d.is_err) return vision_report_error("draw-rect", &d.val.err), 1;
    }
    uint64_t t3 = tick();
    if (write_images) {
      if (write_png(out_dir, frame->sequence_number, image, &t_encode, &t_write)) return 1;
      written++;
    }
    uint64_t t4 = tick();
    vision_image_drop(image);  // the frame buffer goes back to the pool
    uint64_t t_drop = tick() - t4;

    add_frame(frame->sequence_number, frame->timestamp, faces, n, w, h, celsius);
    if (!have_model) add(",\"model\":false");
    if (timing) {
      // wait: for the frame; read: read-frames; image: from-frame; infer: to-tensor + compute + outputs
      // in (AI variant: parsing the tensor entry); post: anchors + NMS; print: the previous line.
      add(",\"us\":{\"wait\":%llu,\"read\":%llu,\"image\":%llu,\"infer\":%llu,\"tensor\":%llu,\"compute\":%llu,\"post\":%llu,\"i2c\":%llu,\"draw\":%llu,"
             "\"encode\":%llu,\"write\":%llu,\"drop\":%llu,\"print\":%llu,\"total\":%llu}",
             (unsigned long long)(t_waited - t_start), (unsigned long long)(t0 - t_waited), (unsigned long long)t_image,
             (unsigned long long)t_infer, (unsigned long long)t_tensor, (unsigned long long)t_compute, (unsigned long long)(t1 - t_detect - t_infer), (unsigned long long)(t2 - t1),
             (unsigned long long)(t3 - t2), (unsigned long long)t_encode, (unsigned long long)t_write, (unsigned long long)t_drop, (unsigned long long)t_print,
             (unsigned long long)(tick() - t_start));
    }
    add("}\n");
    fputs(line, stdout);
    t_print = tick() - t3 - t_encode - t_write;
    publish(line, line_len - 1, frame->sequence_number);
    bp_free_frames(got.val.ok.ptr, got.val.ok.len);
    frames++;
    faces_total += (int)n;
  }

  poll_pollable_drop(ready);
  sensor_device_stop(dev, &ok);
  bp_pool_drop(pool.val.handle);
  sensor_device_drop(dev);
  if (have_model) inference_close();
  if (bme.bus) i2c_drop(bme.bus);
  double seconds = (double)(now_us() - started) / 1e6;
  line_len = 0;
  add("{\"summary\":{\"app\":\"" APP_NAME "\",\"camera\":\"%s\",\"frames\":%d,\"faces\":%d,\"images_written\":%d,\"out\":\"%s\",\"seconds\":",
      camera, frames, faces_total, written, out_dir);
  add_fixed(seconds, 3);
  if (keep_going) add(",\"camera_outages\":%d,\"model_failures\":%d", outages, model_failures);
  // Queued by the host, not necessarily delivered yet: the host says what still waits when it stops.
  if (cloud >= 0) add(",\"topic\":\"%s\",\"published\":%d,\"publish_errors\":%d", topic, published, publish_errors);
  add("}}\n");
  if (cloud >= 0) msg_client_drop(cloud);
  fputs(line, stdout);
  return 0;
}
