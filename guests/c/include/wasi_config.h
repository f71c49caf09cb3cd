// wasi:config@0.2.0-rc.1 for C guests: canonical-ABI import declarations written by hand (check
// with `node scripts/print-core-abi.mjs edge-imports`), plus a helper that reads one value into a
// NUL-terminated string, which is what a C app wants.
#ifndef WASI_CONFIG_H
#define WASI_CONFIG_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "cabi.h"

// variant error { upstream(string), io(string) }
enum { CONFIG_ERR_UPSTREAM = 0, CONFIG_ERR_IO = 1 };
typedef struct { uint8_t tag; cabi_string_t message; } config_error_t;
_Static_assert(sizeof(config_error_t) == 12 && offsetof(config_error_t, message) == 4, "error");

typedef struct { uint8_t is_some; cabi_string_t value; } config_option_string_t;
_Static_assert(sizeof(config_option_string_t) == 12 && offsetof(config_option_string_t, value) == 4, "option<string>");

typedef struct { cabi_string_t key; cabi_string_t value; } config_pair_t;
_Static_assert(sizeof(config_pair_t) == 16, "tuple<string, string>");

typedef struct { uint8_t is_err; union { config_option_string_t ok; config_error_t err; } val; } config_result_get_t;
_Static_assert(sizeof(config_result_get_t) == 16 && offsetof(config_result_get_t, val) == 4, "result<option<string>, error>");
typedef struct { uint8_t is_err; union { struct { config_pair_t *ptr; size_t len; } ok; config_error_t err; } val; } config_result_all_t;
_Static_assert(sizeof(config_result_all_t) == 16 && offsetof(config_result_all_t, val) == 4, "result<list<tuple<string, string>>, error>");

#define CONFIG_IMPORT(name) __attribute__((import_module("wasi:config/store@0.2.0-rc.1"), import_name(name)))

CONFIG_IMPORT("get") void config_get(const char *key, size_t len, config_result_get_t *ret);
CONFIG_IMPORT("get-all") void config_get_all(config_result_all_t *ret);

// The value of `key` as a malloc'd NUL-terminated string (free it), or NULL when the key is absent
// or the store failed.
static inline char *config_get_cstr(const char *key) {
  config_result_get_t r;
  config_get(key, strlen(key), &r);
  if (r.is_err) {
    cabi_free_list(r.val.err.message.ptr, r.val.err.message.len);
    return NULL;
  }
  if (!r.val.ok.is_some) return NULL;
  char *s = malloc(r.val.ok.value.len + 1);
  memcpy(s, r.val.ok.value.ptr, r.val.ok.value.len);
  s[r.val.ok.value.len] = 0;
  cabi_free_list(r.val.ok.value.ptr, r.val.ok.value.len);
  return s;
}

#endif
