// build: world=wasi:sensor/sensing kind=reactor
// A guest of the upstream `sensing` world: no wasi:cli/run, the host calls the exported
// `wasi:sensor/interface.main`. Reads 5 frames from test-pattern:0 and prints their sequence
// numbers and the frame number stamped in the pixels (row 0, pixels 0..3, byte x of n).
#include <stdio.h>
#include <string.h>
#include "wasi_sensor.h"

static int body(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  bp_result_handle_t pr;
  bp_pool_create(BP_BUFFERING_UNLIMITED, 0, 0, "main", 4, &pr);
  if (pr.is_err) return 1;
  sensor_result_device_t dr;
  sensor_device_open("test-pattern:0", 14, &dr);
  if (dr.is_err) return 1;
  sensor_result_unit_t ur;
  sensor_device_start(dr.val.handle, "main", 4, &ur);
  if (ur.is_err) return 1;
  bp_pollable_t ready = bp_pool_subscribe(pr.val.handle);
  for (int got = 0; got < 5;) {
    poll_pollable_block(ready);
    bp_result_frames_t fr;
    bp_pool_read_frames(pr.val.handle, 5, &fr);
    if (fr.is_err) return 1;
    for (size_t i = 0; i < fr.val.ok.len && got < 5; i++, got++) {
      const uint8_t *px = fr.val.ok.ptr[i].data[0].val.by_value.image.payload;
      uint32_t n = px[0] | px[3] << 8 | px[6] << 16 | (uint32_t)px[9] << 24;
      printf("main: seq %llu pattern frame %u\n", (unsigned long long)fr.val.ok.ptr[i].sequence_number, n);
    }
    bp_free_frames(fr.val.ok.ptr, fr.val.ok.len);
  }
  poll_pollable_drop(ready);
  sensor_device_drop(dr.val.handle);
  bp_pool_drop(pr.val.handle);
  return 0;
}

__attribute__((export_name("wasi:sensor/interface#main")))
int32_t sensor_main(void) {
  return body() == 0 ? 0 : 1;  // result: 0 ok, 1 err
}
