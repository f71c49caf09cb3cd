// Helpers shared by the conformance guests: argument parsing and the one-line output format every
// case checks ("<command>: ok …" or "<command>: err <code>"). Only what is particular to the suite
// lives here: the imports and canonical-ABI layouts come from guests/c/include/ (cabi.h and one
// header per interface), the generic helpers (hex printing, file reading) from edge_util.h, so the
// conformance guests exercise the very declarations every other C guest uses.
#pragma once
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cabi.h"
#include "edge_util.h"

// "0x76" or "118"; unsigned 64-bit so that u64 lengths can be given in full.
static uint64_t conf_num(const char *s) { return strtoull(s, NULL, 0); }

// "d0f4" → bytes; "-" → no bytes. The caller frees `ptr`.
static cabi_bytes_t conf_hex(const char *s) {
  cabi_bytes_t b = {NULL, 0};
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

// Arguments are consumed left to right; a missing one ends the guest with status 1.
typedef struct { int argc; char **argv; int i; } conf_args;

static const char *conf_next(conf_args *a, const char *what) {
  if (a->i >= a->argc) {
    printf("usage: missing %s\n", what);
    exit(1);
  }
  return a->argv[a->i++];
}

// Prints "<label>: a,b" (just "<label>:" for none) and frees the list.
static void conf_print_names(const char *label, cabi_string_list_t *l) {
  printf("%s:", label);
  for (size_t i = 0; i < l->len; i++) printf("%s%.*s", i ? "," : " ", (int)l->ptr[i].len, l->ptr[i].ptr);
  printf("\n");
  cabi_free_strings(l);
}
