// Small helpers shared by the conformance guests: argument parsing and the one-line output
// format every case checks ("<command>: ok …" or "<command>: err <code>").
#pragma once
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct { uint8_t *ptr; size_t len; } conf_bytes;
typedef struct { char *ptr; size_t len; } conf_string;

// "0x76" or "118"; unsigned 64-bit so that u64 lengths can be given in full.
static uint64_t conf_num(const char *s) { return strtoull(s, NULL, 0); }

// "d0f4" → bytes; "-" → no bytes. The caller frees `ptr`.
static conf_bytes conf_hex(const char *s) {
  conf_bytes b = {NULL, 0};
  if (strcmp(s, "-") == 0) return b;
  size_t n = strlen(s) / 2;
  b.ptr = malloc(n ? n : 1);
  for (size_t i = 0; i < n; i++) {
    char two[3] = {s[2 * i], s[2 * i + 1], 0};
    b.ptr[i] = (uint8_t)strtoul(two, NULL, 16);
  }
  b.len = n;
  return b;
}

static void conf_print_hex(const uint8_t *p, size_t n) {
  for (size_t i = 0; i < n; i++) printf("%s%02x", i ? " " : "", p[i]);
}

// Arguments are consumed left to right; a missing one ends the guest with status 1.
typedef struct { int argc; char **argv; int i; } conf_args;

static const char *conf_next(conf_args *a, const char *what) {
  if (a->i >= a->argc) {
    printf("usage: missing %s\n", what);
    exit(1);
  }
  return a->argv[a->i++];
}

// Frees a list the host returned. An empty list's pointer is not from malloc (cabi_realloc
// returns the alignment for a zero-byte request), so it must not be freed.
static void conf_free(void *ptr, size_t len) {
  if (len) free(ptr);
}
