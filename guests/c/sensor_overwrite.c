// An overwrite-mode pool that the guest reads too slowly: the pool keeps the newest buffer-num
// frames and drops the oldest. The guest checks what a guest can check from the outside:
// a read returns at most buffer-num consecutive frames; the first sequence number after a sleep
// jumps by exactly the number of frames dropped meanwhile; enqueued = dequeued + dropped once
// the queue is empty. Real clock: it sleeps (nanosleep → wasi:clocks) while frames pile up.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "edge_util.h"
#include "wasi_sensor.h"

#define BUFFERS 3

static bp_statistics_t stats(bp_pool_t pool) {
  bp_result_statistics_t st;
  bp_pool_get_statistics(pool, &st);
  if (st.is_err) bp_die("get-statistics", st.val.err);
  return st.val.ok;
}

// Reads everything queued; returns the number of frames and their first/last sequence numbers.
static size_t drain(bp_pool_t pool, uint64_t *first, uint64_t *last) {
  bp_result_frames_t fr;
  bp_pool_read_frames(pool, 100, &fr);
  if (fr.is_err) bp_die("read-frames", fr.val.err);
  size_t n = fr.val.ok.len;
  for (size_t i = 0; i < n; i++) {
    uint64_t s = fr.val.ok.ptr[i].sequence_number;
    if (i == 0) *first = s;
    else if (s != *last + 1) {
      printf("error: frames in one read are not consecutive (%llu after %llu)\n", (unsigned long long)s, (unsigned long long)*last);
      exit(1);
    }
    *last = s;
  }
  bp_free_frames(fr.val.ok.ptr, n);
  return n;
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  const char *pool_name = "overwrite";
  bp_result_handle_t pr;
  bp_pool_create(BP_BUFFERING_OVERWRITE, 0, BUFFERS, pool_name, strlen(pool_name), &pr);
  if (pr.is_err) bp_die("pool.create", pr.val.err);
  bp_pool_t pool = pr.val.handle;

  sensor_result_device_t dr;
  sensor_device_open("test-pattern:0", 14, &dr);
  if (dr.is_err) bp_die("device.open", dr.val.err);
  sensor_device_t dev = dr.val.handle;
  sensor_result_unit_t ur;
  sensor_set_rate(dev, 200, 1, &ur);
  if (ur.is_err) bp_die("set-property(sampling-rate)", ur.err);
  bp_dimension_t small = {32, 24, 0, BP_GRAY};
  sensor_set_dimension(dev, &small, &ur);
  if (ur.is_err) bp_die("set-property(dimension)", ur.err);
  sensor_device_start(dev, pool_name, strlen(pool_name), &ur);
  if (ur.is_err) bp_die("device.start", ur.err);

  uint64_t first = 0, last = 0, prev_last = 0;
  uint64_t dropped_before = 0;
  for (int round = 0; round < 3; round++) {
    edge_sleep_ms(150);
    size_t n = drain(pool, &first, &last);
    bp_statistics_t s = stats(pool);
    printf("round %d: read %zu (seq %llu..%llu) enqueued %llu dropped %llu dequeued %llu\n", round, n,
           (unsigned long long)first, (unsigned long long)last, (unsigned long long)s.enqueued,
           (unsigned long long)s.dropped, (unsigned long long)s.dequeued);
    if (n != BUFFERS) { printf("error: expected %d frames, got %zu\n", BUFFERS, n); return 1; }
    uint64_t expected_first = (round == 0 ? 0 : prev_last + 1) + (s.dropped - dropped_before);
    if (first != expected_first) { printf("error: sequence gap is not the number dropped\n"); return 1; }
    if (s.enqueued != s.dequeued + s.dropped) { printf("error: enqueued != dequeued + dropped\n"); return 1; }
    if (s.dropped <= dropped_before) { printf("error: nothing was dropped\n"); return 1; }
    dropped_before = s.dropped;
    prev_last = last;
  }
  sensor_device_stop(dev, &ur);
  if (ur.is_err) bp_die("device.stop", ur.err);
  sensor_device_stop(dev, &ur);
  printf("second stop: %s\n", ur.is_err ? BP_ERROR_NAMES[ur.err] : "ok");
  sensor_device_drop(dev);
  bp_pool_drop(pool);
  printf("ok\n");
  return 0;
}
