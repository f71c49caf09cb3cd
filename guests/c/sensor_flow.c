// The upstream wasi-sensor example flow (midokura/wasi-sensor-discussion guest_rust, guest_c),
// ported to C: create a pool, open a camera, set its rate, start, wait on the pool's pollable,
// read 60 frames, check the statistics, write each frame as a PPM file through wasi:filesystem
// into the preopened directory /out. argv[1] names the device (default "test-pattern:0"); argv[2],
// if given as WxH, sets the frame size (rgb24) before starting — the test uses a small size
// because every 4 KiB written through preview2-shim's file streams is one worker round trip.
// The component test (test/sensor/component.test.ts) checks the 60 files against the pattern.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "wasi_sensor.h"

#define FRAMES 60

static int write_ppm(const char *path, const bp_image_t *img) {
  const bp_dimension_t *d = &img->dimension;
  if (d->pixel_format != BP_RGB24) return -1;
  FILE *f = fopen(path, "wb");
  if (!f) return -1;
  fprintf(f, "P6\n%u %u\n255\n", d->width, d->height);
  if (d->stride_bytes == d->width * 3) {
    fwrite(img->payload, 3 * (size_t)d->width, d->height, f);  // one write: rows are packed
  } else {
    for (uint32_t y = 0; y < d->height; y++) fwrite(img->payload + (size_t)y * d->stride_bytes, 3, d->width, f);
  }
  return fclose(f);
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IONBF, 0);
  const char *name = argc > 1 ? argv[1] : "test-pattern:0";
  const char *pool_name = "flow-pool";

  sensor_result_names_t names;
  sensor_device_list_names(&names);
  if (names.is_err) bp_die("list-names", names.val.err);
  printf("devices:");
  for (size_t i = 0; i < names.val.ok.len; i++) printf(" %.*s", (int)names.val.ok.ptr[i].len, names.val.ok.ptr[i].ptr);
  printf("\n");

  bp_result_handle_t pr;
  bp_pool_create(BP_BUFFERING_DISCARD, 0, 16, pool_name, strlen(pool_name), &pr);
  if (pr.is_err) bp_die("pool.create", pr.val.err);
  bp_pool_t pool = pr.val.handle;

  sensor_result_device_t dr;
  sensor_device_open(name, strlen(name), &dr);
  if (dr.is_err) bp_die("device.open", dr.val.err);
  sensor_device_t dev = dr.val.handle;

  sensor_result_property_t prop;
  sensor_device_get_property(dev, SENSOR_SAMPLING_RATE, &prop);
  if (prop.is_err) bp_die("get-property(sampling-rate)", prop.val.err);
  printf("rate before: %u/%u\n", prop.val.ok.val.fraction.numerator, prop.val.ok.val.fraction.denominator);
  sensor_result_unit_t ur;
  sensor_set_rate(dev, 60, 1, &ur);
  if (ur.is_err) bp_die("set-property(sampling-rate)", ur.err);
  sensor_device_get_property(dev, SENSOR_SAMPLING_RATE, &prop);
  printf("rate: %u/%u\n", prop.val.ok.val.fraction.numerator, prop.val.ok.val.fraction.denominator);
  unsigned w, h;
  if (argc > 2 && sscanf(argv[2], "%ux%u", &w, &h) == 2) {
    bp_dimension_t want = {w, h, 0, BP_RGB24};
    sensor_set_dimension(dev, &want, &ur);
    if (ur.is_err) bp_die("set-property(dimension)", ur.err);
  }
  sensor_device_get_property(dev, SENSOR_DIMENSION, &prop);
  if (prop.is_err) bp_die("get-property(dimension)", prop.val.err);
  bp_dimension_t dim = prop.val.ok.val.dimension;
  printf("dimension: %ux%u stride %u format %u\n", dim.width, dim.height, dim.stride_bytes, dim.pixel_format);

  sensor_device_start(dev, pool_name, strlen(pool_name), &ur);
  if (ur.is_err) bp_die("device.start", ur.err);

  bp_pollable_t ready = bp_pool_subscribe(pool);
  int got = 0;
  uint64_t last_seq = 0, last_ts = 0;
  while (got < FRAMES) {
    poll_pollable_block(ready);
    bp_result_frames_t fr;
    bp_pool_read_frames(pool, 1, &fr);
    if (fr.is_err) bp_die("read-frames", fr.val.err);
    for (size_t i = 0; i < fr.val.ok.len; i++) {
      bp_frame_info_t *f = &fr.val.ok.ptr[i];
      if (got > 0 && (f->sequence_number <= last_seq || f->timestamp < last_ts)) {
        printf("error: sequence/timestamp went backwards at frame %d\n", got);
        return 1;
      }
      last_seq = f->sequence_number;
      last_ts = f->timestamp;
      if (f->data_len != 1 || f->data[0].tag != BP_BY_VALUE) {
        printf("error: frame %d is not one by-value image\n", got);
        return 1;
      }
      char path[64];
      snprintf(path, sizeof path, "/out/frame-%03d.ppm", got);
      if (write_ppm(path, &f->data[0].val.by_value.image) != 0) {
        printf("error: cannot write %s\n", path);
        return 1;
      }
      printf("frame %d seq %llu ts %llu\n", got, (unsigned long long)f->sequence_number, (unsigned long long)f->timestamp);
      got++;
    }
    bp_free_frames(fr.val.ok.ptr, fr.val.ok.len);
  }

  bp_result_statistics_t st;
  bp_pool_get_statistics(pool, &st);
  if (st.is_err) bp_die("get-statistics", st.val.err);
  printf("statistics: enqueued %llu dropped %llu dequeued %llu\n", (unsigned long long)st.val.ok.enqueued,
         (unsigned long long)st.val.ok.dropped, (unsigned long long)st.val.ok.dequeued);
  if (st.val.ok.dequeued != FRAMES || st.val.ok.enqueued < st.val.ok.dequeued + st.val.ok.dropped) {
    printf("error: statistics do not add up\n");
    return 1;
  }

  sensor_device_stop(dev, &ur);
  if (ur.is_err) bp_die("device.stop", ur.err);
  poll_pollable_drop(ready);
  sensor_device_drop(dev);
  bp_pool_drop(pool);
  printf("ok\n");
  return 0;
}
