// Benchmark guest for bench/i2c.bench.mjs: times a loop of wasi:i2c calls with the monotonic
// clock and prints nanoseconds per call.
// argv: <bus> <mode: write-read|write> <iterations>
//   write-read: write-read(0x76, [0xD0], 1) — a BME280 chip-id round trip
//   write:      write(0x76, [0xD0]) — a 1-byte write
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "edge_util.h"
#include "wasi_i2c.h"

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IONBF, 0);
  if (argc < 4) {
    printf("usage: i2c_bench <bus> <write-read|write> <iterations>\n");
    return 2;
  }
  const char *name = argv[1];
  int write_read = strcmp(argv[2], "write-read") == 0;
  long n = atol(argv[3]);
  access_result_i2c_t opened;
  access_open_i2c(name, strlen(name), &opened);
  if (opened.is_err) return 1;
  i2c_handle_t bus = opened.val.handle;
  uint8_t reg = 0xd0;
  long bad = 0;
  for (int round = 0; round < 2; round++) { // round 0 warms up
    double t0 = (double)edge_now_ns();
    for (long i = 0; i < n; i++) {
      if (write_read) {
        i2c_result_bytes_t r;
        i2c_write_read(bus, 0x76, &reg, 1, 1, &r);
        if (r.is_err || r.val.ok.ptr[0] != 0x60) bad++;
        if (!r.is_err) free(r.val.ok.ptr);
      } else {
        i2c_result_unit_t r;
        i2c_write(bus, 0x76, &reg, 1, &r);
        if (r.is_err) bad++;
      }
    }
    double t1 = (double)edge_now_ns();
    if (round == 1) printf("ns_per_call=%.1f errors=%ld\n", (t1 - t0) / (double)n, bad);
  }
  i2c_drop(bus);
  return bad ? 1 : 0;
}
