// Canonical-ABI basics for every C guest here (guests/c/*.c, the hardware-test guests hw-*.c and the
// conformance guests conformance/<iface>/<case>/guest.c): how list<u8>, string and list<string> lie
// in wasm32 memory, and how to free a list the host returned. The interface headers (edge_access.h,
// wasi_i2c.h, wasi_spi.h, wasi_nn.h, wasi_buffer_pool.h, wasi_sensor.h, wasi_vision.h) name their
// lists after these, so a list<u8> from wasi:i2c and one from wasi:spi are the same C type and one
// helper (edge_util.h) serves both. The allocator the host calls, cabi_realloc, is cabi.c (linked
// into every guest by guests/build.mjs).
#ifndef CABI_H
#define CABI_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

typedef struct { uint8_t *ptr; size_t len; } cabi_bytes_t;               // list<u8>
typedef struct { char *ptr; size_t len; } cabi_string_t;                 // string (UTF-8, no NUL)
typedef struct { cabi_string_t *ptr; size_t len; } cabi_string_list_t;  // list<string>
_Static_assert(sizeof(cabi_bytes_t) == 8 && sizeof(cabi_string_t) == 8, "a list is (ptr, len)");

void *cabi_realloc(void *old, size_t old_size, size_t align, size_t new_size);

// Frees a list (or string) the host placed in guest memory. cabi_realloc answers a zero-byte
// request with the alignment instead of memory, so an empty list's pointer is not malloc's and
// must not be freed.
static inline void cabi_free_list(void *ptr, size_t len) {
  if (len) free(ptr);
}

// Frees a list<string> and every string in it.
static inline void cabi_free_strings(cabi_string_list_t *l) {
  for (size_t i = 0; i < l->len; i++) cabi_free_list(l->ptr[i].ptr, l->ptr[i].len);
  cabi_free_list(l->ptr, l->len);
  l->ptr = NULL;
  l->len = 0;
}

#endif
