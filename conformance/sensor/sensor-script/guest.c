// Conformance guest for wasi:sensor + wasi:buffer-pool: it imports those two upstream interfaces
// and wasi:io/poll, nothing of this host's own. Built twice from this source: here, and as
// ../../vision/frame-script with the two wasi:vision commands (marked below) for the vision cases.
// Its arguments are a script of commands, each printing one line (read prints one more line per frame):
//   list                          device.list-names           → "list: a,b" | "list: err <code>"
//   open NAME                     device.open (current device) → "open NAME: ok" | "open NAME: err <code>"
//   drop-device                   drops the current device     → "drop-device: ok"
//   pool MODE SIZE NUM NAME       pool.create (current pool), MODE off|discard|overwrite|unlimited
//                                 → "pool NAME: ok" | "pool NAME: err <code>"
//                                 (NAME "-" is the empty name)
//   drop-pool                     drops the current pool       → "drop-pool: ok"
//   start POOL | stop             device.start / device.stop   → "start: ok" | "start: err <code>"
//   get-rate | get-dimension      device.get-property          → "rate: N/D" | "dimension: WxH stride S format F"
//   set-rate N D                  device.set-property          → "set-rate: ok" | "set-rate: err <code>"
//   set-dimension W H STRIDE FMT  device.set-property (FMT: gray rgb24 bgr24 argb32 abgr32 yuy2 mjpeg)
//   ready | wait                  pool.subscribe + pollable.ready / pollable.block → "ready: yes|no" | "wait: ok"
//   read MAX                      pool.read-frames → "read: ok n=K" then per frame
//                                 "frame seq=S by-value WxH stride S FMT bytes=B" or "frame seq=S host-memory size=B"
//   seqs MAX                      read-frames, printing only "seqs: ok n=K gaps=G increasing=yes|no"
//   stats                         pool.get-statistics → "stats: enqueued=E dropped=D dequeued=Q"
//   mem-address | mem-size | invalidate | drop-memory   on the last host-memory frame read
//   sleep MS                      waits MS milliseconds (nanosleep, edge_sleep_ms)
//   vision-frame                  (frame-script) wasi:vision image.from-frame of the last host-memory frame (the handle is
//                                 consumed) → "vision-frame: ok WxH" | "vision-frame: err <vision-error>"
//   drop-image                    (frame-script) drops that image (its buffer goes back to the pool) → "drop-image: ok"
//   drain LIMIT                   wait + read-frames until LIMIT frames or an error
//                                 → "drain: frames=K" | "drain: frames=K then err <code>"
#include "conf.h"
#include "wasi_sensor.h"
#ifdef SENSOR_SCRIPT_VISION
#include "wasi_vision.h"
#endif

static const char *const FORMATS[] = {"gray", "rgb24", "bgr24", "argb32", "abgr32", "yuy2", "mjpeg"};

static int format_index(const char *s) {
  for (int i = 0; i < 7; i++) if (!strcmp(s, FORMATS[i])) return i;
  return (int)conf_num(s);
}


int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IONBF, 0);
  conf_args a = {argc, argv, 1};
  sensor_device_t dev = -1;
  bp_pool_t pool = -1;
  bp_memory_t mem = -1;
#ifdef SENSOR_SCRIPT_VISION
  vision_image_t image = -1;
#endif
  while (a.i < argc) {
    const char *cmd = conf_next(&a, "command");
    sensor_result_unit_t u;
    if (!strcmp(cmd, "list")) {
      sensor_result_names_t r;
      sensor_device_list_names(&r);
      if (r.is_err) { printf("list: err %s\n", bp_error_name(r.val.err)); continue; }
      conf_print_names("list", &r.val.ok);
    } else if (!strcmp(cmd, "open")) {
      const char *name = conf_next(&a, "device name");
      sensor_result_device_t r;
      sensor_device_open(name, strlen(name), &r);
      if (r.is_err) printf("open %s: err %s\n", name, bp_error_name(r.val.err));
      else dev = r.val.handle, printf("open %s: ok\n", name);
    } else if (!strcmp(cmd, "drop-device")) {
      if (dev >= 0) sensor_device_drop(dev);
      dev = -1;
      printf("drop-device: ok\n");
    } else if (!strcmp(cmd, "pool")) {
      const char *mode_s = conf_next(&a, "mode");
      uint32_t size = (uint32_t)conf_num(conf_next(&a, "size"));
      uint32_t num = (uint32_t)conf_num(conf_next(&a, "buffer-num"));
      const char *name = conf_next(&a, "pool name");
      if (!strcmp(name, "-")) name = "";  // "-" stands for the empty name
      int mode = !strcmp(mode_s, "off") ? 0 : !strcmp(mode_s, "discard") ? 1 : !strcmp(mode_s, "overwrite") ? 2 : 3;
      bp_result_handle_t r;
      bp_pool_create(mode, size, num, name, strlen(name), &r);
      if (r.is_err) printf("pool %s: err %s\n", name, bp_error_name(r.val.err));
      else pool = r.val.handle, printf("pool %s: ok\n", name);
    } else if (!strcmp(cmd, "drop-pool")) {
      if (pool >= 0) bp_pool_drop(pool);
      pool = -1;
      printf("drop-pool: ok\n");
    } else if (!strcmp(cmd, "start")) {
      const char *name = conf_next(&a, "pool name");
      sensor_device_start(dev, name, strlen(name), &u);
      if (u.is_err) printf("start: err %s\n", bp_error_name(u.err));
      else printf("start: ok\n");
    } else if (!strcmp(cmd, "stop")) {
      sensor_device_stop(dev, &u);
      if (u.is_err) printf("stop: err %s\n", bp_error_name(u.err));
      else printf("stop: ok\n");
    } else if (!strcmp(cmd, "get-rate") || !strcmp(cmd, "get-dimension")) {
      sensor_result_property_t r;
      int rate = !strcmp(cmd, "get-rate");
      sensor_device_get_property(dev, rate ? SENSOR_SAMPLING_RATE : SENSOR_DIMENSION, &r);
      if (r.is_err) printf("%s: err %s\n", cmd, bp_error_name(r.val.err));
      else if (r.val.ok.tag == SENSOR_VALUE_FRACTION)
        printf("rate: %u/%u\n", r.val.ok.val.fraction.numerator, r.val.ok.val.fraction.denominator);
      else {
        bp_dimension_t *d = &r.val.ok.val.dimension;
        printf("dimension: %ux%u stride %u format %s\n", d->width, d->height, d->stride_bytes, d->pixel_format < 7 ? FORMATS[d->pixel_format] : "?");
      }
    } else if (!strcmp(cmd, "set-rate")) {
      uint32_t n = (uint32_t)conf_num(conf_next(&a, "numerator"));
      uint32_t d = (uint32_t)conf_num(conf_next(&a, "denominator"));
      sensor_set_rate(dev, n, d, &u);
      if (u.is_err) printf("set-rate: err %s\n", bp_error_name(u.err));
      else printf("set-rate: ok\n");
    } else if (!strcmp(cmd, "set-dimension")) {
      bp_dimension_t d;
      d.width = (uint32_t)conf_num(conf_next(&a, "width"));
      d.height = (uint32_t)conf_num(conf_next(&a, "height"));
      d.stride_bytes = (uint32_t)conf_num(conf_next(&a, "stride"));
      d.pixel_format = (uint8_t)format_index(conf_next(&a, "format"));
      sensor_set_dimension(dev, &d, &u);
      if (u.is_err) printf("set-dimension: err %s\n", bp_error_name(u.err));
      else printf("set-dimension: ok\n");
    } else if (!strcmp(cmd, "ready") || !strcmp(cmd, "wait")) {
      bp_pollable_t p = bp_pool_subscribe(pool);
      if (!strcmp(cmd, "ready")) printf("ready: %s\n", poll_pollable_ready(p) ? "yes" : "no");
      else poll_pollable_block(p), printf("wait: ok\n");
      poll_pollable_drop(p);
    } else if (!strcmp(cmd, "read") || !strcmp(cmd, "seqs")) {
      uint32_t max = (uint32_t)conf_num(conf_next(&a, "max-results"));
      bp_result_frames_t r;
      bp_pool_read_frames(pool, max, &r);
      if (r.is_err) { printf("%s: err %s\n", cmd, bp_error_name(r.val.err)); continue; }
      bp_frame_info_t *f = r.val.ok.ptr;
      size_t n = r.val.ok.len;
      if (!strcmp(cmd, "seqs")) {
        uint64_t gaps = 0;
        int increasing = 1;
        for (size_t i = 1; i < n; i++) {
          if (f[i].sequence_number <= f[i - 1].sequence_number || f[i].timestamp < f[i - 1].timestamp) increasing = 0;
          else gaps += f[i].sequence_number - f[i - 1].sequence_number - 1;
        }
        printf("seqs: ok n=%zu gaps=%llu increasing=%s\n", n, (unsigned long long)gaps, increasing ? "yes" : "no");
      } else {
        printf("read: ok n=%zu\n", n);
      }
      for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < f[i].data_len; j++) {
          bp_frame_data_t *d = &f[i].data[j];
          if (d->tag == BP_BY_VALUE) {
            bp_image_t *im = &d->val.by_value.image;
            if (!strcmp(cmd, "read"))
              printf("frame seq=%llu by-value %ux%u stride %u %s bytes=%zu\n", (unsigned long long)f[i].sequence_number, im->dimension.width,
                     im->dimension.height, im->dimension.stride_bytes, im->dimension.pixel_format < 7 ? FORMATS[im->dimension.pixel_format] : "?", im->payload_len);
            cabi_free_list(im->payload, im->payload_len);
          } else {
            if (!strcmp(cmd, "read")) printf("frame seq=%llu host-memory size=%u\n", (unsigned long long)f[i].sequence_number, bp_memory_size(d->val.host_memory));
            if (mem >= 0) bp_memory_drop(mem);
            mem = d->val.host_memory;
          }
        }
        cabi_free_list(f[i].data, f[i].data_len);
      }
      cabi_free_list(f, n);
    } else if (!strcmp(cmd, "stats")) {
      bp_result_statistics_t r;
      bp_pool_get_statistics(pool, &r);
      if (r.is_err) printf("stats: err %s\n", bp_error_name(r.val.err));
      else printf("stats: enqueued=%llu dropped=%llu dequeued=%llu\n", (unsigned long long)r.val.ok.enqueued,
                  (unsigned long long)r.val.ok.dropped, (unsigned long long)r.val.ok.dequeued);
    } else if (!strcmp(cmd, "mem-address")) {
      printf("mem-address: %s\n", bp_memory_address(mem) ? "nonzero" : "zero");
    } else if (!strcmp(cmd, "mem-size")) {
      printf("mem-size: %u\n", bp_memory_size(mem));
    } else if (!strcmp(cmd, "invalidate")) {
      bp_result_unit_t r;
      bp_memory_invalidate(mem, &r);
      if (r.is_err) printf("invalidate: err %s\n", bp_error_name(r.err));
      else printf("invalidate: ok\n");
    } else if (!strcmp(cmd, "drop-memory")) {
      if (mem >= 0) bp_memory_drop(mem);
      mem = -1;
      printf("drop-memory: ok\n");
#ifdef SENSOR_SCRIPT_VISION
    } else if (!strcmp(cmd, "vision-frame")) {
      vision_result_handle_t r;
      vision_from_host_memory(mem, &r);
      mem = -1;
      if (r.is_err) {
        printf("vision-frame: err %s\n", vision_error_name(r.val.err.tag));
      } else {
        image = r.val.handle;
        printf("vision-frame: ok %ux%u\n", vision_width(image), vision_height(image));
      }
    } else if (!strcmp(cmd, "drop-image")) {
      if (image >= 0) vision_image_drop(image);
      image = -1;
      printf("drop-image: ok\n");
#endif
    } else if (!strcmp(cmd, "drain")) {
      uint64_t limit = conf_num(conf_next(&a, "frame limit")), got = 0;
      int err = -1;
      while (got < limit) {
        bp_pollable_t p = bp_pool_subscribe(pool);
        poll_pollable_block(p);
        poll_pollable_drop(p);
        bp_result_frames_t r;
        bp_pool_read_frames(pool, 16, &r);
        if (r.is_err) { err = r.val.err; break; }
        got += r.val.ok.len;
        for (size_t i = 0; i < r.val.ok.len; i++) {
          bp_frame_info_t *f = &r.val.ok.ptr[i];
          for (size_t j = 0; j < f->data_len; j++) {
            if (f->data[j].tag == BP_BY_VALUE) cabi_free_list(f->data[j].val.by_value.image.payload, f->data[j].val.by_value.image.payload_len);
            else bp_memory_drop(f->data[j].val.host_memory);
          }
          cabi_free_list(f->data, f->data_len);
        }
        cabi_free_list(r.val.ok.ptr, r.val.ok.len);
      }
      if (err >= 0) printf("drain: frames=%llu then err %s\n", (unsigned long long)got, bp_error_name((uint8_t)err));
      else printf("drain: frames=%llu\n", (unsigned long long)got);
    } else if (!strcmp(cmd, "sleep")) {
      uint64_t ms = conf_num(conf_next(&a, "milliseconds"));
      edge_sleep_ms(ms);
      printf("sleep: ok\n");
    } else {
      printf("unknown command %s\n", cmd);
      return 1;
    }
  }
  return 0;
}
