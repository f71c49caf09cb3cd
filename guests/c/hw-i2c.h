// Canonical-ABI imports of wasi:i2c@0.2.0-draft and wasi-edge:host/access for the hardware-test
// guests (hw-*.c), plus small helpers that print results in the one-line form the host-side
// driver (test/hardware/run.mjs) checks:  "<check>: ok <hex bytes>"  or  "<check>: err <code>".
// Kept apart from guests/c/include/ so the hardware tests depend on no other guest's header.
#pragma once
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct { uint8_t *ptr; size_t len; } hw_bytes;

// result<list<u8>, error-code>: tag at 0; list at 4, or error-code (tag u8 at 4, enum u8 at 5).
typedef struct {
  uint8_t is_err;
  union {
    hw_bytes ok;
    struct { uint8_t tag; uint8_t source; } err;
  } val;
} hw_result_bytes;
_Static_assert(sizeof(hw_result_bytes) == 12, "result<list<u8>, error-code> is 12 bytes");
_Static_assert(offsetof(hw_result_bytes, val) == 4, "payload at 4");

// result<_, error-code>: tag at 0, error-code at 1.
typedef struct { uint8_t is_err; uint8_t tag; uint8_t source; } hw_result_unit;
_Static_assert(sizeof(hw_result_unit) == 3, "result<_, error-code> is 3 bytes");

// result<list<list<u8>>, error-code>
typedef struct {
  uint8_t is_err;
  union {
    struct { hw_bytes *ptr; size_t len; } ok;
    struct { uint8_t tag; uint8_t source; } err;
  } val;
} hw_result_lists;
_Static_assert(sizeof(hw_result_lists) == 12, "result<list<list<u8>>, error-code> is 12 bytes");

// variant operation { read(u64), write(list<u8>) }: tag at 0, payload at 8 (u64 alignment).
typedef struct {
  uint8_t tag; // 0 read, 1 write
  union { uint64_t read; hw_bytes write; } val;
} hw_operation;
_Static_assert(sizeof(hw_operation) == 16, "operation is 16 bytes");
_Static_assert(offsetof(hw_operation, val) == 8, "operation payload at 8");

// result<own<i2c>, access-error>: tag at 0; handle at 4, or access-error (tag at 4, string at 8).
typedef struct {
  uint8_t is_err;
  union {
    int32_t handle;
    struct { uint8_t tag; struct { char *ptr; size_t len; } message; } err;
  } val;
} hw_result_open;
_Static_assert(sizeof(hw_result_open) == 16, "result<i2c, access-error> is 16 bytes");

#define I2C_MODULE "wasi:i2c/i2c@0.2.0-draft"
__attribute__((import_module("wasi-edge:host/access@0.1.0"), import_name("open-i2c")))
extern void hw_open_i2c(const char *name, size_t len, hw_result_open *ret);
__attribute__((import_module(I2C_MODULE), import_name("[method]i2c.write-read")))
extern void hw_i2c_write_read(int32_t self, int32_t address, const uint8_t *w, size_t wlen, uint64_t rlen, hw_result_bytes *ret);
__attribute__((import_module(I2C_MODULE), import_name("[method]i2c.read")))
extern void hw_i2c_read(int32_t self, int32_t address, uint64_t len, hw_result_bytes *ret);
__attribute__((import_module(I2C_MODULE), import_name("[method]i2c.write")))
extern void hw_i2c_write(int32_t self, int32_t address, const uint8_t *data, size_t len, hw_result_unit *ret);
__attribute__((import_module(I2C_MODULE), import_name("[method]i2c.transaction")))
extern void hw_i2c_transaction(int32_t self, int32_t address, const hw_operation *ops, size_t n, hw_result_lists *ret);
__attribute__((import_module(I2C_MODULE), import_name("[resource-drop]i2c")))
extern void hw_i2c_drop(int32_t self);

static const char *const HW_SOURCES[] = {"address", "data", "unknown"};

// Prints an error-code the way WIT spells it, e.g. "no-acknowledge(address)".
static void hw_print_error(const char *check, uint8_t tag, uint8_t source) {
  static const char *const names[] = {"bus", "arbitration-loss", "no-acknowledge", "overrun", "other"};
  if (tag == 2) printf("%s: err no-acknowledge(%s)\n", check, source < 3 ? HW_SOURCES[source] : "?");
  else printf("%s: err %s\n", check, tag < 5 ? names[tag] : "?");
}

static void hw_print_hex(const uint8_t *p, size_t n) {
  for (size_t i = 0; i < n; i++) printf("%s%02x", i ? " " : "", p[i]);
}

// Opens a configured bus by name; exits (status 2) if the host refuses.
static int32_t hw_open(const char *name) {
  hw_result_open r;
  hw_open_i2c(name, strlen(name), &r);
  if (r.is_err) {
    printf("open: err access-error %u %.*s\n", r.val.err.tag, r.val.err.tag == 2 ? (int)r.val.err.message.len : 0,
           r.val.err.tag == 2 ? r.val.err.message.ptr : "");
    exit(2);
  }
  printf("open: ok %s\n", name);
  return r.val.handle;
}

// write-read; prints the first `show` bytes of what came back (a test reads one more byte than
// it shows where the emulator garbles the last byte of an SMBus block read).
static void hw_write_read(const char *check, int32_t bus, uint16_t addr, const uint8_t *w, size_t wlen, size_t rlen, size_t show) {
  hw_result_bytes r;
  hw_i2c_write_read(bus, addr, w, wlen, rlen, &r);
  if (r.is_err) { hw_print_error(check, r.val.err.tag, r.val.err.source); return; }
  printf("%s: ok ", check);
  hw_print_hex(r.val.ok.ptr, r.val.ok.len < show ? r.val.ok.len : show);
  printf("\n");
  free(r.val.ok.ptr);
}

static void hw_read(const char *check, int32_t bus, uint16_t addr, size_t len) {
  hw_result_bytes r;
  hw_i2c_read(bus, addr, len, &r);
  if (r.is_err) { hw_print_error(check, r.val.err.tag, r.val.err.source); return; }
  printf("%s: ok ", check);
  hw_print_hex(r.val.ok.ptr, r.val.ok.len);
  printf("\n");
  free(r.val.ok.ptr);
}

static void hw_write(const char *check, int32_t bus, uint16_t addr, const uint8_t *data, size_t len) {
  hw_result_unit r;
  hw_i2c_write(bus, addr, data, len, &r);
  if (r.is_err) hw_print_error(check, r.tag, r.source);
  else printf("%s: ok\n", check);
}

// transaction; prints each read result as hex, separated by " | ".
static void hw_transaction(const char *check, int32_t bus, uint16_t addr, const hw_operation *ops, size_t n) {
  hw_result_lists r;
  hw_i2c_transaction(bus, addr, ops, n, &r);
  if (r.is_err) { hw_print_error(check, r.val.err.tag, r.val.err.source); return; }
  printf("%s: ok ", check);
  for (size_t i = 0; i < r.val.ok.len; i++) {
    if (i) printf(" | ");
    hw_print_hex(r.val.ok.ptr[i].ptr, r.val.ok.ptr[i].len);
    free(r.val.ok.ptr[i].ptr);
  }
  printf("\n");
  free(r.val.ok.ptr);
}

static hw_operation hw_op_write(const uint8_t *p, size_t n) {
  hw_operation o = {.tag = 1};
  o.val.write.ptr = (uint8_t *)p;
  o.val.write.len = n;
  return o;
}

static hw_operation hw_op_read(uint64_t n) {
  hw_operation o = {.tag = 0};
  o.val.read = n;
  return o;
}
