// wasi-edge:host/access@0.1.0 for C guests: how a guest obtains wasi:i2c handles (canonical-ABI
// imports written by hand; check with `node scripts/print-core-abi.mjs`). The one declaration of
// this interface for every C guest (ordinary, hardware-test and conformance ones).
#ifndef EDGE_ACCESS_H
#define EDGE_ACCESS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cabi.h"

typedef int32_t i2c_handle_t;
typedef int32_t delay_handle_t;

typedef cabi_string_t edge_string_t;
typedef cabi_string_list_t edge_string_list_t;

// variant access-error { not-found, permission-denied, unavailable(string) }
enum { ACCESS_NOT_FOUND = 0, ACCESS_PERMISSION_DENIED = 1, ACCESS_UNAVAILABLE = 2 };
typedef struct { uint8_t tag; edge_string_t message; } access_error_t;
_Static_assert(sizeof(access_error_t) == 12 && offsetof(access_error_t, message) == 4, "access-error");

// result<own<i2c>, access-error>
typedef struct { uint8_t is_err; union { i2c_handle_t handle; access_error_t err; } val; } access_result_i2c_t;
_Static_assert(sizeof(access_result_i2c_t) == 16 && offsetof(access_result_i2c_t, val) == 4, "result<i2c, access-error>");

#define ACCESS_IMPORT(name) __attribute__((import_module("wasi-edge:host/access@0.1.0"), import_name(name)))

ACCESS_IMPORT("list-i2c-buses") void access_list_i2c_buses(edge_string_list_t *ret);
ACCESS_IMPORT("open-i2c") void access_open_i2c(const char *name, size_t len, access_result_i2c_t *ret);
ACCESS_IMPORT("get-delay") delay_handle_t access_get_delay(void);

static const char *const ACCESS_ERROR_NAMES[] = {"not-found", "permission-denied", "unavailable"};
static inline const char *access_error_name(uint8_t tag) { return tag < 3 ? ACCESS_ERROR_NAMES[tag] : "?"; }

// Opens the bus `name`; if the host refuses, prints "error: open-i2c(<name>): <access-error>" and
// ends the guest with status 1.
static inline i2c_handle_t access_open_i2c_or_exit(const char *name) {
  access_result_i2c_t r;
  access_open_i2c(name, strlen(name), &r);
  if (r.is_err) {
    printf("error: open-i2c(%s): %s\n", name, access_error_name(r.val.err.tag));
    exit(1);
  }
  return r.val.handle;
}

#endif
