// wasi:buffer-pool (unversioned HEAD) for C guests: canonical-ABI import declarations written by
// hand (no wit-bindgen offline; check with `node scripts/print-core-abi.mjs edge-imports buffer-pool`).
// Handles are i32, enums their case index, lists (ptr, len); results go to a return area the
// caller passes last. Also the wasi:io/poll@0.2.0 functions a pool's pollable needs. The one
// declaration of these interfaces for every C guest (the ordinary ones and the conformance guest).
#ifndef WASI_BUFFER_POOL_H
#define WASI_BUFFER_POOL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "cabi.h"

typedef int32_t bp_pool_t;
typedef int32_t bp_memory_t;
typedef int32_t bp_pollable_t;

// enum buffering-mode
enum { BP_BUFFERING_OFF = 0, BP_BUFFERING_DISCARD = 1, BP_BUFFERING_OVERWRITE = 2, BP_BUFFERING_UNLIMITED = 3 };
// enum pixel-format
enum { BP_GRAY = 0, BP_RGB24 = 1, BP_BGR24 = 2, BP_ARGB32 = 3, BP_ABGR32 = 4, BP_YUY2 = 5, BP_MJPEG = 6 };
// enum buffer-error (same cases as wasi:sensor device-error)
static const char *const BP_ERROR_NAMES[] = {
  "not-found", "invalid-argument", "resource-exhausted", "permission-denied", "busy", "timeout", "cancelled",
  "aborted", "already-exists", "invalid-operation", "out-of-range", "data-loss", "hardware-error", "not-supported", "unknown",
};
static inline const char *bp_error_name(uint8_t e) { return e < 15 ? BP_ERROR_NAMES[e] : "?"; }
// buffer-error / device-error cases the apps act on (indices into BP_ERROR_NAMES)
enum { BP_BUSY = 4, BP_HARDWARE_ERROR = 12 };
// variant frame-data
enum { BP_BY_VALUE = 0, BP_HOST_MEMORY = 1 };

typedef struct { uint32_t width, height, stride_bytes; uint8_t pixel_format; } bp_dimension_t;
_Static_assert(sizeof(bp_dimension_t) == 16, "dimension record");

typedef struct { bp_dimension_t dimension; uint8_t *payload; size_t payload_len; } bp_image_t;
_Static_assert(sizeof(bp_image_t) == 24 && offsetof(bp_image_t, payload) == 16, "image record");

typedef struct { uint8_t tag; bp_image_t image; } bp_data_type_t;  // variant data-type { image }
_Static_assert(sizeof(bp_data_type_t) == 28 && offsetof(bp_data_type_t, image) == 4, "data-type variant");

typedef struct { uint8_t tag; union { bp_data_type_t by_value; bp_memory_t host_memory; } val; } bp_frame_data_t;
_Static_assert(sizeof(bp_frame_data_t) == 32 && offsetof(bp_frame_data_t, val) == 4, "frame-data variant");

typedef struct { uint64_t sequence_number, timestamp; bp_frame_data_t *data; size_t data_len; } bp_frame_info_t;
_Static_assert(sizeof(bp_frame_info_t) == 24 && offsetof(bp_frame_info_t, data) == 16, "frame-info record");

typedef struct { uint64_t enqueued, dropped, dequeued; } bp_statistics_t;

typedef struct { uint8_t is_err; union { int32_t handle; uint8_t err; } val; } bp_result_handle_t;
_Static_assert(sizeof(bp_result_handle_t) == 8, "result<own, buffer-error>");
typedef struct { uint8_t is_err; union { struct { bp_frame_info_t *ptr; size_t len; } ok; uint8_t err; } val; } bp_result_frames_t;
_Static_assert(sizeof(bp_result_frames_t) == 12 && offsetof(bp_result_frames_t, val) == 4, "result<list<frame-info>, buffer-error>");
typedef struct { uint8_t is_err; union { bp_statistics_t ok; uint8_t err; } val; } bp_result_statistics_t;
_Static_assert(sizeof(bp_result_statistics_t) == 32 && offsetof(bp_result_statistics_t, val) == 8, "result<pool-statistics, buffer-error>");
typedef struct { uint8_t is_err; uint8_t err; } bp_result_unit_t;

#define BP_IMPORT(name) __attribute__((import_module("wasi:buffer-pool/buffer-pool"), import_name(name)))
#define POLL_IMPORT(name) __attribute__((import_module("wasi:io/poll@0.2.0"), import_name(name)))

BP_IMPORT("[static]pool.create")
void bp_pool_create(int32_t mode, uint32_t size, uint32_t buffer_num, const char *name, size_t name_len, bp_result_handle_t *ret);
BP_IMPORT("[method]pool.read-frames") void bp_pool_read_frames(bp_pool_t self, uint32_t max_results, bp_result_frames_t *ret);
BP_IMPORT("[method]pool.subscribe") bp_pollable_t bp_pool_subscribe(bp_pool_t self);
BP_IMPORT("[method]pool.get-statistics") void bp_pool_get_statistics(bp_pool_t self, bp_result_statistics_t *ret);
BP_IMPORT("[resource-drop]pool") void bp_pool_drop(bp_pool_t self);
BP_IMPORT("[method]memory.address") uint64_t bp_memory_address(bp_memory_t self);
BP_IMPORT("[method]memory.size") uint32_t bp_memory_size(bp_memory_t self);
BP_IMPORT("[method]memory.invalidate") void bp_memory_invalidate(bp_memory_t self, bp_result_unit_t *ret);
BP_IMPORT("[resource-drop]memory") void bp_memory_drop(bp_memory_t self);

POLL_IMPORT("[method]pollable.ready") int32_t poll_pollable_ready(bp_pollable_t self);
POLL_IMPORT("[method]pollable.block") void poll_pollable_block(bp_pollable_t self);
POLL_IMPORT("[resource-drop]pollable") void poll_pollable_drop(bp_pollable_t self);
typedef struct { uint32_t *ptr; size_t len; } poll_ready_list_t;
POLL_IMPORT("poll") void poll_poll(const bp_pollable_t *list, size_t len, poll_ready_list_t *ret);

/** Prints "error: <what>: <buffer-error>" and ends the guest with status 1. */
static inline void bp_die(const char *what, uint8_t code) {
  printf("error: %s: %s\n", what, bp_error_name(code));
  exit(1);
}

/** Frees what read-frames allocated through cabi_realloc (payloads, data lists, the frame list). */
static inline void bp_free_frames(bp_frame_info_t *frames, size_t n) {
  for (size_t i = 0; i < n; i++) {
    for (size_t j = 0; j < frames[i].data_len; j++) {
      bp_image_t *im = &frames[i].data[j].val.by_value.image;
      if (frames[i].data[j].tag == BP_BY_VALUE) cabi_free_list(im->payload, im->payload_len);
    }
    cabi_free_list(frames[i].data, frames[i].data_len);
  }
  cabi_free_list(frames, n);
}

#endif
