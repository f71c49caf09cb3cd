// One app of a device that runs several (docs/device.md, `wasi-edge serve`): it reads frames from a
// camera that other apps share, tracks the camera's own frame number (stamped in the first four
// pixels of row 0 by the test pattern) to count the frames it missed, and optionally talks to an
// EEPROM on a bus the other apps share, each app on its own page. Everything it does is chosen by
// environment variables, so the tests can make the same binary a good app or a rogue one:
//
//   CAMERA       device to open (default camera:0)
//   POOL         pool name (default app-pool; a name ending -hm gives host-memory frames)
//   BUFFERS      the pool's buffer-num (default 8)
//   FRAMES       frames to read, then exit 0 (default 0: forever)
//   I2C_BUS      a bus to use per frame (default: none)
//   EEPROM       the EEPROM's address (default 0x50)
//   PAGE         this app's 16-byte page (default 0)
//   FLOOD        I2C write-reads per frame on top of the page check (a host-call flood; default 0)
//   TRAP_AFTER   trap (unreachable) after this many frames (default 0: never)
//   HANG_AFTER   loop forever in wasm code after this many frames (default 0: never)
//   BOMB_AFTER   allocate 16 MiB blocks until malloc fails, then exit 1, after this many frames
//
// One JSON line per frame on stdout: {"frame":N,"got":K,"missed":M} (N the camera's frame number,
// K frames read, M frames of the camera it did not get since its first). A page read back that
// differs from what this app wrote means another app's transaction got inside its own: it says so
// and exits 1.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "edge_access.h"
#include "wasi_i2c.h"
#include "wasi_sensor.h"

static const char *env_or(const char *name, const char *fallback) {
  const char *v = getenv(name);
  return v && v[0] ? v : fallback;
}

static long env_int(const char *name, long fallback) {
  const char *v = getenv(name);
  return v && v[0] ? strtol(v, NULL, 0) : fallback;
}

// The camera's frame number: byte x of it is pixel x of row 0 (gray in every raw format).
static uint32_t frame_number(const bp_image_t *img) {
  unsigned bpp = img->dimension.pixel_format == BP_GRAY ? 1 : img->dimension.pixel_format == BP_RGB24 || img->dimension.pixel_format == BP_BGR24 ? 3 : 4;
  if (img->payload_len < 4 * bpp) return 0;
  uint32_t n = 0;
  for (unsigned x = 0; x < 4; x++) n |= (uint32_t)img->payload[x * bpp + (bpp == 4 ? 1 : 0)] << (8 * x);
  return n;
}

// Writes this app's page and reads it back, each one transaction; 0 when it read what it wrote.
static int page_check(i2c_handle_t bus, int address, unsigned page, uint32_t frame) {
  uint16_t at = (uint16_t)(page * 16);
  uint8_t out[2 + 16] = {at >> 8, at & 0xff};
  for (int i = 0; i < 16; i++) out[2 + i] = (uint8_t)(page * 37 + frame + i);
  i2c_operation_t w = {.tag = I2C_OP_WRITE, .val.write = {out, sizeof out}};
  i2c_result_lists_t wr;
  i2c_transaction(bus, address, &w, 1, &wr);
  if (wr.is_err) return -1;
  free(wr.val.ok.ptr);
  i2c_result_bytes_t rd;
  i2c_write_read(bus, address, out, 2, 16, &rd);
  if (rd.is_err) return -1;
  int same = rd.val.ok.len == 16 && memcmp(rd.val.ok.ptr, out + 2, 16) == 0;
  free(rd.val.ok.ptr);
  return same ? 0 : 1;
}

// Where the compiler cannot prove the blocks unused (else it may drop malloc and memset, and loop forever).
unsigned char *volatile last_block;

static void bomb(void) {
  size_t total = 0;
  for (;;) {
    unsigned char *block = malloc(16u << 20);
    if (!block) {
      printf("{\"bomb\":\"malloc failed after %zu MiB\"}\n", total);
      exit(1);
    }
    memset(block, 1, 16u << 20);
    last_block = block;
    total += 16;
  }
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  const char *camera = env_or("CAMERA", "camera:0");
  const char *pool_name = env_or("POOL", "app-pool");
  long frames = env_int("FRAMES", 0), trap_after = env_int("TRAP_AFTER", 0), hang_after = env_int("HANG_AFTER", 0);
  long bomb_after = env_int("BOMB_AFTER", 0), flood = env_int("FLOOD", 0);
  const char *bus_name = getenv("I2C_BUS");
  int eeprom = (int)env_int("EEPROM", 0x50);
  unsigned page = (unsigned)env_int("PAGE", 0);

  i2c_handle_t bus = 0;
  int have_bus = bus_name && bus_name[0];
  if (have_bus) bus = access_open_i2c_or_exit(bus_name);

  bp_result_handle_t pr;
  bp_pool_create(BP_BUFFERING_DISCARD, 0, (uint32_t)env_int("BUFFERS", 8), pool_name, strlen(pool_name), &pr);
  if (pr.is_err) bp_die("pool.create", pr.val.err);
  bp_pool_t pool = pr.val.handle;
  sensor_result_device_t dr;
  sensor_device_open(camera, strlen(camera), &dr);
  if (dr.is_err) bp_die("device.open", dr.val.err);
  sensor_result_unit_t ur;
  sensor_device_start(dr.val.handle, pool_name, strlen(pool_name), &ur);
  if (ur.is_err) bp_die("device.start", ur.err);
  bp_pollable_t ready = bp_pool_subscribe(pool);

  long got = 0, missed = 0;
  uint32_t first = 0, last = 0;
  while (frames == 0 || got < frames) {
    poll_pollable_block(ready);
    bp_result_frames_t fr;
    bp_pool_read_frames(pool, 8, &fr);
    if (fr.is_err) bp_die("read-frames", fr.val.err);
    for (size_t i = 0; i < fr.val.ok.len && (frames == 0 || got < frames); i++) {
      bp_frame_data_t *d = &fr.val.ok.ptr[i].data[0];
      uint32_t n = d->tag == BP_BY_VALUE ? frame_number(&d->val.by_value.image) : (uint32_t)fr.val.ok.ptr[i].sequence_number;
      if (got == 0) first = n;
      else if (n > last + 1) missed += n - last - 1;
      last = n;
      got++;
      if (have_bus) {
        int r = page_check(bus, eeprom, page, n);
        if (r != 0) {
          printf("{\"error\":\"%s at frame %u\"}\n", r < 0 ? "i2c failed" : "page read back differs from what this app wrote", n);
          return 1;
        }
        for (long k = 0; k < flood; k++) {
          uint8_t reg = 0;
          i2c_result_bytes_t rd;
          i2c_write_read(bus, eeprom, &reg, 1, 1, &rd);
          if (!rd.is_err) free(rd.val.ok.ptr);
        }
      }
      printf("{\"frame\":%u,\"got\":%ld,\"missed\":%ld}\n", n, got, missed);
      if (trap_after && got >= trap_after) __builtin_trap();
      if (bomb_after && got >= bomb_after) bomb();
      if (hang_after && got >= hang_after) {
        volatile uint64_t spin = 0;
        for (;;) spin++;
      }
    }
    for (size_t i = 0; i < fr.val.ok.len; i++)
      if (fr.val.ok.ptr[i].data[0].tag == BP_HOST_MEMORY) bp_memory_drop(fr.val.ok.ptr[i].data[0].val.host_memory);
    bp_free_frames(fr.val.ok.ptr, fr.val.ok.len);
  }
  (void)first;
  printf("{\"done\":%ld,\"missed\":%ld}\n", got, missed);
  return 0;
}
