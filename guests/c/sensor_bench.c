// Benchmark guest for bench/sensor.bench.mjs. Times its own loop with the monotonic clock:
//   sensor_bench frames <device> <pool> <N>   block + read-frames(1) N times (by value: free the
//                                             payload; host-memory pool: size + invalidate + drop)
//   sensor_bench file <path> <frame-bytes> <N> read N frames of that size from a file through
//                                             wasi:filesystem (preview2-shim input-stream blocking-read)
// Prints "ns_per_frame=<x> bytes=<total> check=<sum of first bytes>".
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "edge_util.h"
#include "wasi_sensor.h"

static int frames(const char *device, const char *pool_name, long n) {
  bp_result_handle_t pr;
  bp_pool_create(BP_BUFFERING_OVERWRITE, 0, 4, pool_name, strlen(pool_name), &pr);
  if (pr.is_err) { printf("error: pool.create %s\n", BP_ERROR_NAMES[pr.val.err]); return 1; }
  sensor_result_device_t dr;
  sensor_device_open(device, strlen(device), &dr);
  if (dr.is_err) { printf("error: open %s\n", BP_ERROR_NAMES[dr.val.err]); return 1; }
  sensor_result_unit_t ur;
  sensor_device_start(dr.val.handle, pool_name, strlen(pool_name), &ur);
  if (ur.is_err) { printf("error: start %s\n", BP_ERROR_NAMES[ur.err]); return 1; }
  bp_pollable_t ready = bp_pool_subscribe(pr.val.handle);
  uint64_t bytes = 0, check = 0;
  uint64_t t0 = edge_now_ns();
  for (long i = 0; i < n;) {
    poll_pollable_block(ready);
    bp_result_frames_t fr;
    bp_pool_read_frames(pr.val.handle, 1, &fr);
    if (fr.is_err) { printf("error: read-frames %s\n", BP_ERROR_NAMES[fr.val.err]); return 1; }
    for (size_t k = 0; k < fr.val.ok.len; k++, i++) {
      bp_frame_data_t *d = &fr.val.ok.ptr[k].data[0];
      if (d->tag == BP_BY_VALUE) {
        bytes += d->val.by_value.image.payload_len;
        check += d->val.by_value.image.payload[0];
        free(d->val.by_value.image.payload);
        d->tag = 0xff;  // already freed
      } else {
        bytes += bp_memory_size(d->val.host_memory);
        bp_result_unit_t r;
        bp_memory_invalidate(d->val.host_memory, &r);
        bp_memory_drop(d->val.host_memory);
      }
      free(fr.val.ok.ptr[k].data);
    }
    free(fr.val.ok.ptr);
  }
  uint64_t t1 = edge_now_ns();
  printf("ns_per_frame=%.1f bytes=%llu check=%llu\n", (double)(t1 - t0) / (double)n, (unsigned long long)bytes,
         (unsigned long long)check);
  return 0;
}

static int file(const char *path, size_t frame_bytes, long n) {
  FILE *f = fopen(path, "rb");
  if (!f) { printf("error: cannot open %s\n", path); return 1; }
  setvbuf(f, NULL, _IONBF, 0);
  uint8_t *buf = malloc(frame_bytes);
  uint64_t bytes = 0, check = 0;
  uint64_t t0 = edge_now_ns();
  for (long i = 0; i < n; i++) {
    size_t got = fread(buf, 1, frame_bytes, f);
    if (got != frame_bytes) {
      rewind(f);
      got = fread(buf, 1, frame_bytes, f);
      if (got != frame_bytes) { printf("error: short file\n"); return 1; }
    }
    bytes += got;
    check += buf[0];
  }
  uint64_t t1 = edge_now_ns();
  printf("ns_per_frame=%.1f bytes=%llu check=%llu\n", (double)(t1 - t0) / (double)n, (unsigned long long)bytes,
         (unsigned long long)check);
  free(buf);
  fclose(f);
  return 0;
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IONBF, 0);
  if (argc == 5 && strcmp(argv[1], "frames") == 0) return frames(argv[2], argv[3], atol(argv[4]));
  if (argc == 5 && strcmp(argv[1], "file") == 0) return file(argv[2], (size_t)atol(argv[3]), atol(argv[4]));
  printf("usage: sensor_bench frames <device> <pool> <N> | file <path> <frame-bytes> <N>\n");
  return 2;
}
