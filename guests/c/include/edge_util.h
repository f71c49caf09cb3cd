// Small helpers that C guests used to carry their own copies of: reading a whole file (through
// wasi-libc, i.e. wasi:filesystem), printing bytes as hex, the monotonic clock and sleeping. Shared
// by the ordinary guests (guests/c/*.c), the hardware-test guests (hw-i2c.h) and the conformance
// guests (conf.h). Header-only and static inline, so guests/build.mjs links nothing more and a guest
// carries only what it calls.
#ifndef EDGE_UTIL_H
#define EDGE_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

// The whole file at `path`, malloc'd (free it); its length in *len. NULL if it cannot be opened.
static inline uint8_t *edge_read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  uint8_t *buf = malloc(n > 0 ? (size_t)n : 1);
  *len = fread(buf, 1, n > 0 ? (size_t)n : 0, f);
  fclose(f);
  return buf;
}

// Prints bytes as lower-case hex pairs separated by one space ("d0 f4"); nothing for no bytes.
static inline void edge_print_hex(const uint8_t *p, size_t n) {
  for (size_t i = 0; i < n; i++) printf("%s%02x", i ? " " : "", p[i]);
}

// Prints "<what>: ok" and, if there are any, " " and the bytes in hex, then a newline: the
// one-line form the conformance and hardware-test drivers read.
static inline void edge_print_ok_hex(const char *what, const uint8_t *p, size_t n) {
  printf("%s: ok", what);
  if (n) printf(" ");
  edge_print_hex(p, n);
  printf("\n");
}

// Nanoseconds on the monotonic clock (wasi:clocks/monotonic-clock through wasi-libc).
static inline uint64_t edge_now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static inline void edge_sleep_ms(uint64_t ms) {
  struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
  nanosleep(&ts, NULL);
}

// Prints n bytes of s as a JSON string: quotes, backslashes and control characters escaped, other
// bytes (UTF-8) as they are. The JSON-lines output of the messaging and config guests uses it.
static inline void edge_print_json_string(const char *s, size_t n) {
  putchar('"');
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '"' || c == '\\') printf("\\%c", c);
    else if (c < 0x20) printf("\\u%04x", c);
    else putchar(c);
  }
  putchar('"');
}

#endif
