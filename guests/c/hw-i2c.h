// Output helpers for the hardware-test guests (hw-eeprom.c, hw-tmp105.c): each wasi:i2c call prints
// one line in the form the host-side driver (test/hardware/run.mjs) checks:
//   "<check>: ok <hex bytes>"  or  "<check>: err <code>".
// The imports and their canonical-ABI layouts are the ones every C guest uses (guests/c/include/
// wasi_i2c.h and edge_access.h), so the hardware tests run the same declarations as the simulator's.
#pragma once
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "edge_util.h"
#include "wasi_i2c.h"

// Prints an error-code the way WIT spells it, e.g. "no-acknowledge(address)".
static void hw_print_error(const char *check, i2c_error_t e) {
  char name[40];
  printf("%s: err %s\n", check, i2c_error_name(e, name, sizeof name));
}

// Opens a configured bus by name; exits (status 2) if the host refuses.
static i2c_handle_t hw_open(const char *name) {
  access_result_i2c_t r;
  access_open_i2c(name, strlen(name), &r);
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
static void hw_write_read(const char *check, i2c_handle_t bus, uint16_t addr, const uint8_t *w, size_t wlen, size_t rlen, size_t show) {
  i2c_result_bytes_t r;
  i2c_write_read(bus, addr, w, wlen, rlen, &r);
  if (r.is_err) { hw_print_error(check, r.val.err); return; }
  edge_print_ok_hex(check, r.val.ok.ptr, r.val.ok.len < show ? r.val.ok.len : show);
  cabi_free_list(r.val.ok.ptr, r.val.ok.len);
}

static void hw_read(const char *check, i2c_handle_t bus, uint16_t addr, size_t len) {
  i2c_result_bytes_t r;
  i2c_read(bus, addr, len, &r);
  if (r.is_err) { hw_print_error(check, r.val.err); return; }
  edge_print_ok_hex(check, r.val.ok.ptr, r.val.ok.len);
  cabi_free_list(r.val.ok.ptr, r.val.ok.len);
}

static void hw_write(const char *check, i2c_handle_t bus, uint16_t addr, const uint8_t *data, size_t len) {
  i2c_result_unit_t r;
  i2c_write(bus, addr, data, len, &r);
  if (r.is_err) hw_print_error(check, r.err);
  else printf("%s: ok\n", check);
}

// transaction; prints each read result as hex, separated by " | ".
static void hw_transaction(const char *check, i2c_handle_t bus, uint16_t addr, const i2c_operation_t *ops, size_t n) {
  i2c_result_lists_t r;
  i2c_transaction(bus, addr, ops, n, &r);
  if (r.is_err) { hw_print_error(check, r.val.err); return; }
  printf("%s: ok ", check);
  for (size_t i = 0; i < r.val.ok.len; i++) {
    if (i) printf(" | ");
    edge_print_hex(r.val.ok.ptr[i].ptr, r.val.ok.ptr[i].len);
    cabi_free_list(r.val.ok.ptr[i].ptr, r.val.ok.ptr[i].len);
  }
  printf("\n");
  cabi_free_list(r.val.ok.ptr, r.val.ok.len);
}
