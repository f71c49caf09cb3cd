// wasi:i2c@0.2.0-draft for C guests: canonical-ABI import declarations written by hand (check
// with `node scripts/print-core-abi.mjs`). Handles come from edge_access.h. The one declaration of
// this interface for every C guest: the ordinary ones, the hardware tests (hw-i2c.h) and the
// conformance guest.
#ifndef WASI_I2C_H
#define WASI_I2C_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "edge_access.h"

typedef cabi_bytes_t i2c_bytes_t;

// variant error-code { bus, arbitration-loss, no-acknowledge(no-acknowledge-source), overrun, other }
enum { I2C_ERR_BUS = 0, I2C_ERR_ARBITRATION_LOSS = 1, I2C_ERR_NO_ACKNOWLEDGE = 2, I2C_ERR_OVERRUN = 3, I2C_ERR_OTHER = 4 };
// enum no-acknowledge-source { address, data, unknown }
enum { I2C_NACK_ADDRESS = 0, I2C_NACK_DATA = 1, I2C_NACK_UNKNOWN = 2 };
typedef struct { uint8_t tag; uint8_t source; } i2c_error_t;
_Static_assert(sizeof(i2c_error_t) == 2, "error-code is 2 bytes");

// variant operation { read(u64), write(list<u8>) }: tag at 0, payload at 8 (u64 alignment).
enum { I2C_OP_READ = 0, I2C_OP_WRITE = 1 };
typedef struct { uint8_t tag; union { uint64_t read; i2c_bytes_t write; } val; } i2c_operation_t;
_Static_assert(sizeof(i2c_operation_t) == 16 && offsetof(i2c_operation_t, val) == 8, "operation");

typedef struct { uint8_t is_err; union { i2c_bytes_t ok; i2c_error_t err; } val; } i2c_result_bytes_t;
_Static_assert(sizeof(i2c_result_bytes_t) == 12 && offsetof(i2c_result_bytes_t, val) == 4, "result<list<u8>, error-code>");
typedef struct { uint8_t is_err; i2c_error_t err; } i2c_result_unit_t;
_Static_assert(sizeof(i2c_result_unit_t) == 3 && offsetof(i2c_result_unit_t, err) == 1, "result<_, error-code>");
typedef struct { uint8_t is_err; union { struct { i2c_bytes_t *ptr; size_t len; } ok; i2c_error_t err; } val; } i2c_result_lists_t;
_Static_assert(sizeof(i2c_result_lists_t) == 12 && offsetof(i2c_result_lists_t, val) == 4, "result<list<list<u8>>, error-code>");

#define I2C_IMPORT(name) __attribute__((import_module("wasi:i2c/i2c@0.2.0-draft"), import_name(name)))
#define DELAY_IMPORT(name) __attribute__((import_module("wasi:i2c/delay@0.2.0-draft"), import_name(name)))

I2C_IMPORT("[method]i2c.transaction")
void i2c_transaction(i2c_handle_t self, int32_t address, const i2c_operation_t *ops, size_t n, i2c_result_lists_t *ret);
I2C_IMPORT("[method]i2c.read") void i2c_read(i2c_handle_t self, int32_t address, uint64_t len, i2c_result_bytes_t *ret);
I2C_IMPORT("[method]i2c.write")
void i2c_write(i2c_handle_t self, int32_t address, const uint8_t *data, size_t len, i2c_result_unit_t *ret);
I2C_IMPORT("[method]i2c.write-read")
void i2c_write_read(i2c_handle_t self, int32_t address, const uint8_t *data, size_t len, uint64_t read_len,
                    i2c_result_bytes_t *ret);
I2C_IMPORT("[resource-drop]i2c") void i2c_drop(i2c_handle_t self);

DELAY_IMPORT("[method]delay.delay-ns") void delay_delay_ns(delay_handle_t self, uint32_t ns);
DELAY_IMPORT("[resource-drop]delay") void delay_drop(delay_handle_t self);

static const char *const I2C_ERROR_NAMES[] = {"bus", "arbitration-loss", "no-acknowledge", "overrun", "other"};
static const char *const I2C_NACK_SOURCE_NAMES[] = {"address", "data", "unknown"};

/** The error code as WIT spells it, "no-acknowledge(address)" etc., into buf. */
static inline const char *i2c_error_name(i2c_error_t e, char *buf, size_t size) {
  if (e.tag == I2C_ERR_NO_ACKNOWLEDGE) {
    snprintf(buf, size, "no-acknowledge(%s)", e.source < 3 ? I2C_NACK_SOURCE_NAMES[e.source] : "?");
  } else {
    snprintf(buf, size, "%s", e.tag < 5 ? I2C_ERROR_NAMES[e.tag] : "?");
  }
  return buf;
}

static inline i2c_operation_t i2c_op_read(uint64_t len) {
  i2c_operation_t o = {.tag = I2C_OP_READ};
  o.val.read = len;
  return o;
}
static inline i2c_operation_t i2c_op_write(const uint8_t *data, size_t len) {
  i2c_operation_t o = {.tag = I2C_OP_WRITE};
  o.val.write.ptr = (uint8_t *)data;
  o.val.write.len = len;
  return o;
}

#endif
