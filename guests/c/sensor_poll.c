// build: world=edge-app kind=reactor
// Polls a frame pool and a wasi:clocks timeout together (one `poll` call, two kinds of
// pollable): with the camera at 1 frame per 10 s the timeout wins; at 100 fps the frame wins.
// Also shows a pool's pollable staying not-ready until a device is started.
// Built against world edge-app (the only world with wasi:clocks as a direct import), so it is a
// reactor exporting wasi:cli/run itself rather than a preview1 command.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "wasi_sensor.h"

__attribute__((import_module("wasi:clocks/monotonic-clock@0.2.12"), import_name("subscribe-duration")))
bp_pollable_t clock_subscribe_duration(uint64_t ns);

// poll([pool, timeout]) → "frame", "timeout" or "both".
static const char *race(bp_pollable_t frame, uint64_t timeout_ns) {
  bp_pollable_t list[2] = {frame, clock_subscribe_duration(timeout_ns)};
  poll_ready_list_t ready;
  poll_poll(list, 2, &ready);
  int f = 0, t = 0;
  for (size_t i = 0; i < ready.len; i++) {
    if (ready.ptr[i] == 0) f = 1;
    if (ready.ptr[i] == 1) t = 1;
  }
  free(ready.ptr);
  poll_pollable_drop(list[1]);
  return f && t ? "both" : f ? "frame" : t ? "timeout" : "none";
}

static void read_all(bp_pool_t pool) {
  bp_result_frames_t fr;
  bp_pool_read_frames(pool, 100, &fr);
  if (fr.is_err) bp_die("read-frames", fr.val.err);
  bp_free_frames(fr.val.ok.ptr, fr.val.ok.len);
}

static int body(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  bp_result_handle_t pr;
  bp_pool_create(BP_BUFFERING_OVERWRITE, 0, 2, "polled", 6, &pr);
  if (pr.is_err) bp_die("pool.create", pr.val.err);
  bp_pool_t pool = pr.val.handle;
  bp_pollable_t frame = bp_pool_subscribe(pool);

  sensor_result_device_t dr;
  sensor_device_open("test-pattern:0", 14, &dr);
  if (dr.is_err) bp_die("device.open", dr.val.err);
  sensor_device_t dev = dr.val.handle;
  sensor_result_unit_t ur;

  printf("not started, ready: %d\n", poll_pollable_ready(frame));
  printf("not started, 20 ms: %s\n", race(frame, 20000000ull));

  sensor_set_rate(dev, 1, 10, &ur);
  if (ur.is_err) bp_die("set-property", ur.err);
  sensor_device_start(dev, "polled", 6, &ur);
  if (ur.is_err) bp_die("start", ur.err);
  printf("slow, first frame: %s\n", race(frame, 60000000000ull));  // frame 0 is captured at start
  read_all(pool);
  printf("slow, 20 ms: %s\n", race(frame, 20000000ull));
  sensor_device_stop(dev, &ur);

  sensor_set_rate(dev, 100, 1, &ur);
  if (ur.is_err) bp_die("set-property", ur.err);
  sensor_device_start(dev, "polled", 6, &ur);
  read_all(pool);
  printf("fast, 60 s: %s\n", race(frame, 60000000000ull));
  poll_pollable_block(frame);
  printf("block returned, ready: %d\n", poll_pollable_ready(frame));

  poll_pollable_drop(frame);
  sensor_device_drop(dev);
  bp_pool_drop(pool);
  printf("ok\n");
  return 0;
}

__attribute__((export_name("wasi:cli/run@0.2.12#run")))
int32_t run(void) {
  return body() == 0 ? 0 : 1;  // result<_, _>: 0 ok, 1 err
}
