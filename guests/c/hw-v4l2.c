// build: world=edge-app kind=reactor
// Hardware test guest for the x86 QEMU VM (test/hardware/): a V4L2 camera — the kernel's vivid
// driver — through wasi:sensor and wasi:buffer-pool on the host's native V4L2 backend. Every line
// is "<check>: ok ..." or "<check>: err <code>"; the host-side driver (run.mjs) decides what is
// right. The host config (test/hardware/x86/v4l2-config.json) names "cam" (/dev/video0), "cam2"
// (the same node: a second user) and "cam-nv12" (the same node, NV12 only: the conversion path);
// pools named *-hm deliver host memory. Between "unbind: request" and "rebind: request" the VM's
// script unbinds vivid from its driver and binds it again (test/hardware/x86/guest.sh).
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "wasi_sensor.h"

__attribute__((import_module("wasi:clocks/monotonic-clock@0.2.12"), import_name("subscribe-duration")))
bp_pollable_t clock_subscribe_duration(uint64_t ns);

static void sleep_ns(uint64_t ns) {
  bp_pollable_t t = clock_subscribe_duration(ns);
  poll_pollable_block(t);
  poll_pollable_drop(t);
}

static sensor_device_t open_device(const char *name) {
  sensor_result_device_t r;
  sensor_device_open(name, strlen(name), &r);
  if (r.is_err) bp_die(name, r.val.err);
  return r.val.handle;
}

static bp_pool_t make_pool(int mode, uint32_t n, const char *name) {
  bp_result_handle_t r;
  bp_pool_create(mode, 0, n, name, strlen(name), &r);
  if (r.is_err) bp_die(name, r.val.err);
  return r.val.handle;
}

static uint8_t start(sensor_device_t d, const char *pool) {
  sensor_result_unit_t u;
  sensor_device_start(d, pool, strlen(pool), &u);
  return u.is_err ? u.err + 1 : 0;  // 0: ok, else error code + 1
}

static void stop(sensor_device_t d) {
  sensor_result_unit_t u;
  sensor_device_stop(d, &u);
}

/** Waits (at most `timeout_ns`) for the pool to be ready; 1 if it is. */
static int wait_ready(bp_pool_t pool, uint64_t timeout_ns) {
  bp_pollable_t list[2] = {bp_pool_subscribe(pool), clock_subscribe_duration(timeout_ns)};
  poll_ready_list_t ready;
  poll_poll(list, 2, &ready);
  int frame = 0;
  for (size_t i = 0; i < ready.len; i++) frame |= ready.ptr[i] == 0;
  free(ready.ptr);
  poll_pollable_drop(list[0]);
  poll_pollable_drop(list[1]);
  return frame;
}

/** Reads `n` frames (or fewer if 5 s pass without one); returns how many, or -(error+1). */
static int read_frames(bp_pool_t pool, int n, bp_frame_info_t *out) {
  int got = 0;
  while (got < n) {
    if (!wait_ready(pool, 5000000000ull)) return got;
    bp_result_frames_t fr;
    bp_pool_read_frames(pool, (uint32_t)(n - got), &fr);
    if (fr.is_err) return -(int)fr.val.err - 1;
    for (size_t i = 0; i < fr.val.ok.len; i++) out[got++] = fr.val.ok.ptr[i];
    cabi_free_list(fr.val.ok.ptr, 0);
  }
  return got;
}

/** Drops host-memory handles and frees by-value payloads of frames read with read_frames. */
static void release(bp_frame_info_t *f, int n) {
  for (int i = 0; i < n; i++) {
    for (size_t j = 0; j < f[i].data_len; j++) {
      if (f[i].data[j].tag == BP_HOST_MEMORY) bp_memory_drop(f[i].data[j].val.host_memory);
      else cabi_free_list(f[i].data[j].val.by_value.image.payload, f[i].data[j].val.by_value.image.payload_len);
    }
    cabi_free_list(f[i].data, f[i].data_len);
  }
}

static const char *FORMAT_NAMES[] = {"gray", "rgb24", "bgr24", "argb32", "abgr32", "yuy2", "mjpeg"};
static const uint32_t BPP[] = {1, 3, 3, 4, 4, 2, 0};

static void set_dim(sensor_device_t d, uint32_t w, uint32_t h, uint8_t fmt, sensor_result_unit_t *u) {
  bp_dimension_t dim = {w, h, 0, fmt};
  sensor_set_dimension(d, &dim, u);
}

/** One format at one size: 3 host-memory frames of the right size, in order. */
static void format_check(sensor_device_t cam, uint8_t fmt, uint32_t w, uint32_t h) {
  char name[64];
  snprintf(name, sizeof name, "format %s %ux%u", FORMAT_NAMES[fmt], w, h);
  sensor_result_unit_t u;
  set_dim(cam, w, h, fmt, &u);
  if (u.is_err) {
    printf("%s: err %s\n", name, bp_error_name(u.err));
    return;
  }
  bp_pool_t pool = make_pool(BP_BUFFERING_OVERWRITE, 4, "fmt-hm");
  uint8_t e = start(cam, "fmt-hm");
  if (e) {
    printf("%s: err start %s\n", name, bp_error_name(e - 1));
    bp_pool_drop(pool);
    return;
  }
  bp_frame_info_t f[3];
  int n = read_frames(pool, 3, f);
  stop(cam);
  if (n < 0) {
    printf("%s: err read %s\n", name, bp_error_name(-n - 1));
  } else {
    int hm = 0, ordered = 1;
    uint32_t size = 0;
    for (int i = 0; i < n; i++) {
      if (f[i].data[0].tag == BP_HOST_MEMORY) {
        hm++;
        size = bp_memory_size(f[i].data[0].val.host_memory);
      }
      if (i > 0 && f[i].sequence_number <= f[i - 1].sequence_number) ordered = 0;
    }
    printf("%s: ok %d frames, %d host-memory, %u bytes (expected %u), %s\n", name, n, hm, size, w * h * BPP[fmt], ordered ? "in order" : "OUT OF ORDER");
    release(f, n);
  }
  bp_pool_drop(pool);
}

static int body(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  sensor_device_t cam = open_device("cam");
  sensor_result_unit_t u;
  printf("open: ok\n");

  // Every format the backend gets from vivid without conversion, at two of vivid's webcam sizes.
  const uint8_t formats[] = {BP_GRAY, BP_RGB24, BP_BGR24, BP_YUY2};
  for (size_t i = 0; i < sizeof formats; i++) {
    format_check(cam, formats[i], 320, 180);
    format_check(cam, formats[i], 640, 360);
  }

  // A size vivid does not list, and a format it cannot give (no MJPEG, no JPEG encoder).
  set_dim(cam, 334, 222, BP_YUY2, &u);
  printf("unlisted-size: %s %s\n", u.is_err ? "err" : "ok", u.is_err ? bp_error_name(u.err) : "");
  set_dim(cam, 320, 180, BP_MJPEG, &u);
  printf("mjpeg: %s %s\n", u.is_err ? "err" : "ok", u.is_err ? bp_error_name(u.err) : "");

  // The rate: 30 fps at 320x180, measured over 30 frames from their timestamps.
  set_dim(cam, 320, 180, BP_YUY2, &u);
  sensor_set_rate(cam, 30, 1, &u);
  if (u.is_err) bp_die("set-rate", u.err);
  bp_pool_t pool = make_pool(BP_BUFFERING_UNLIMITED, 0, "rate-hm");
  if (start(cam, "rate-hm")) bp_die("start", BP_HARDWARE_ERROR);
  static bp_frame_info_t f[64];
  // Each frame is dropped as soon as it is read (its driver buffer goes back at once).
  uint64_t t0 = 0, s0 = 0, t1 = 0, s1 = 0;
  int n = 0;
  for (; n < 31; n++) {
    if (read_frames(pool, 1, f) != 1) break;
    if (n == 0) t0 = f[0].timestamp, s0 = f[0].sequence_number;
    t1 = f[0].timestamp, s1 = f[0].sequence_number;
    release(f, 1);
  }
  if (n == 31) {
    printf("rate: ok %llu mfps over %llu frames\n", (unsigned long long)((s1 - s0) * 1000000000000ull / (t1 - t0)), (unsigned long long)(s1 - s0));
  } else printf("rate: err %d frames\n", n);

  // A second user of the same camera while it streams: busy.
  sensor_device_t cam2 = open_device("cam2");
  bp_pool_t p2 = make_pool(BP_BUFFERING_DISCARD, 2, "second");
  uint8_t e = start(cam2, "second");
  printf("second-user: %s %s\n", e ? "err" : "ok", e ? bp_error_name(e - 1) : "");
  if (!e) stop(cam2);
  stop(cam);
  bp_pool_drop(pool);

  // Sequence numbers follow the driver's: a reader that sleeps 1 s (about 30 frames) on a 2-buffer
  // overwrite pool finds the frames the driver kept, then a jump by the frames it dropped (no free
  // buffer); the statistics count every one. Each frame is dropped as soon as it is read.
  pool = make_pool(BP_BUFFERING_OVERWRITE, 2, "seq-hm");
  if (start(cam, "seq-hm")) bp_die("start", BP_HARDWARE_ERROR);
  uint64_t seqs[5] = {0};
  int got = 0;
  for (; got < 5; got++) {
    if (got == 1) sleep_ns(1000000000ull);
    if (read_frames(pool, 1, f) != 1) break;
    seqs[got] = f[0].sequence_number;
    release(f, 1);
  }
  stop(cam);
  bp_result_statistics_t st;
  bp_pool_get_statistics(pool, &st);
  uint64_t jump = 0;
  for (int i = 1; i < got; i++) if (seqs[i] - seqs[i - 1] > jump) jump = seqs[i] - seqs[i - 1];
  if (got == 5) {
    printf("sequence: ok largest jump %llu (%llu %llu %llu %llu %llu), enqueued %llu dequeued %llu dropped %llu\n", (unsigned long long)jump,
           (unsigned long long)seqs[0], (unsigned long long)seqs[1], (unsigned long long)seqs[2], (unsigned long long)seqs[3], (unsigned long long)seqs[4],
           (unsigned long long)st.val.ok.enqueued, (unsigned long long)st.val.ok.dequeued, (unsigned long long)st.val.ok.dropped);
  } else printf("sequence: err %d frames\n", got);
  bp_pool_drop(pool);

  // The conversion path: NV12 (vivid has it; buffer-pool has no such format) to rgb24, by value.
  sensor_device_t nv = open_device("cam-nv12");
  pool = make_pool(BP_BUFFERING_DISCARD, 2, "nv12");
  e = start(nv, "nv12");
  n = e ? 0 : read_frames(pool, 2, f);
  if (!e) stop(nv);
  if (n == 2 && f[0].data[0].tag == BP_BY_VALUE) {
    bp_image_t *im = &f[0].data[0].val.by_value.image;
    printf("nv12-to-rgb24: ok %ux%u %s %zu bytes\n", im->dimension.width, im->dimension.height, FORMAT_NAMES[im->dimension.pixel_format], im->payload_len);
  } else printf("nv12-to-rgb24: err %s %d\n", e ? bp_error_name(e - 1) : "", n);
  if (n > 0) release(f, n);
  bp_pool_drop(pool);
  sensor_device_drop(nv);

  // Unbound mid-stream: the frames read so far, then hardware-error once; start fails while it
  // is gone and works again once the driver is bound back.
  pool = make_pool(BP_BUFFERING_OVERWRITE, 4, "unbind-hm");
  if (start(cam, "unbind-hm")) bp_die("start", BP_HARDWARE_ERROR);
  n = read_frames(pool, 2, f);
  if (n > 0) release(f, n);
  printf("unbind: request\n");
  int before = 0, err = 0;
  for (int round = 0; round < 200 && !err; round++) {
    int k = read_frames(pool, 1, f);
    if (k < 0) err = -k;
    else if (k > 0) {
      before += k;
      release(f, k);
    }
  }
  printf("unbound: %s %s after %d more frames\n", err ? "err" : "ok", err ? bp_error_name(err - 1) : "no error", before);
  e = start(cam, "unbind-hm");
  printf("start-while-unbound: %s %s\n", e ? "err" : "ok", e ? bp_error_name(e - 1) : "");
  if (!e) stop(cam);
  printf("rebind: request\n");
  int tries = 0;
  for (e = 1; e && tries < 100; tries++) {
    sleep_ns(200000000ull);
    e = start(cam, "unbind-hm");
  }
  n = e ? 0 : read_frames(pool, 2, f);
  if (e) printf("after-rebind: err start %s after %d tries\n", bp_error_name(e - 1), tries);
  else printf("after-rebind: %s %d frames\n", n == 2 ? "ok" : "err", n);
  if (n > 0) release(f, n);
  if (!e) stop(cam);
  bp_pool_drop(pool);

  sensor_device_drop(cam2);
  bp_pool_drop(p2);
  sensor_device_drop(cam);
  printf("done: ok\n");
  return 0;
}

__attribute__((export_name("wasi:cli/run@0.2.12#run")))
int32_t run(void) {
  return body() == 0 ? 0 : 1;
}
