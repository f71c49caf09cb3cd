// wasi:vision@0.1.0-draft for C guests: canonical-ABI import declarations written by hand (no
// wit-bindgen offline; check against `node scripts/print-core-abi.mjs edge-imports vision`).
// Handles are i32, lists (ptr, len), enums their case index; results are written to a return
// area the caller passes last: (u8 tag, padding, payload at offset 4). The one declaration of
// wasi:vision for every C guest (the ordinary ones and the conformance guest).
#ifndef WASI_VISION_H
#define WASI_VISION_H

#include <stddef.h>
#include <stdint.h>
#include "cabi.h"

#define WASI_VISION_MODULE "wasi:vision/image@0.1.0-draft"

typedef int32_t vision_image_t;

// enum pixel-format (the first seven have wasi:buffer-pool's ordinals)
enum {
  VISION_GRAY = 0, VISION_RGB24 = 1, VISION_BGR24 = 2, VISION_ARGB32 = 3, VISION_ABGR32 = 4,
  VISION_YUY2 = 5, VISION_MJPEG = 6, VISION_RGBA32 = 7, VISION_NV12 = 8, VISION_I420 = 9
};
// enum resize-method
enum { VISION_NEAREST = 0, VISION_BILINEAR = 1, VISION_AREA = 2 };
// variant encoding
enum { VISION_PNG = 0, VISION_JPEG = 1 };
// enum tensor-layout
enum { VISION_NHWC = 0, VISION_NCHW = 1 };
// enum channel-order
enum { VISION_RGB = 0, VISION_BGR = 1, VISION_GRAY_CHANNEL = 2 };
// variant normalization
enum { VISION_NORM_NONE = 0, VISION_NORM_SCALE_OFFSET = 1, VISION_NORM_MEAN_STD = 2 };
// variant vision-error
enum {
  VISION_E_INVALID_ARGUMENT = 0, VISION_E_OUT_OF_BOUNDS = 1, VISION_E_UNSUPPORTED_FORMAT = 2,
  VISION_E_DECODE_FAILED = 3, VISION_E_TOO_LARGE = 4, VISION_E_NOT_SUPPORTED = 5, VISION_E_STALE_FRAME = 6
};

static const char *const VISION_ERROR_NAMES[] = {
  "invalid-argument", "out-of-bounds", "unsupported-format", "decode-failed", "too-large", "not-supported", "stale-frame",
};
static inline const char *vision_error_name(uint8_t tag) { return tag <= 6 ? VISION_ERROR_NAMES[tag] : "?"; }

typedef cabi_bytes_t vision_bytes_t;     // list<u8>
typedef cabi_string_t vision_string_t;   // string

typedef struct { uint32_t offset, stride_bytes; } vision_plane_t;
typedef struct { vision_plane_t *ptr; size_t len; } vision_planes_t;
typedef struct { uint32_t width, height; uint8_t pixel_format; vision_planes_t planes; } vision_layout_t;
typedef struct { uint32_t x, y, width, height; } vision_rect_t;
typedef struct { uint32_t x, y; } vision_point_t;
_Static_assert(sizeof(vision_layout_t) == 20 && offsetof(vision_layout_t, planes) == 12, "layout record");
_Static_assert(sizeof(vision_point_t) == 8, "point record");

// variant vision-error: tag, then a string (invalid-argument, decode-failed, not-supported) or a
// pixel-format (unsupported-format) at offset 4.
typedef struct {
  uint8_t tag;
  union { vision_string_t message; uint8_t format; } val;
} vision_error_t;
_Static_assert(sizeof(vision_error_t) == 12 && offsetof(vision_error_t, val) == 4, "vision-error");

// result<own<image>|own<tensor>, vision-error>
typedef struct { uint8_t is_err; union { int32_t handle; vision_error_t err; } val; } vision_result_handle_t;
// result<list<u8>, vision-error>
typedef struct { uint8_t is_err; union { vision_bytes_t ok; vision_error_t err; } val; } vision_result_bytes_t;
// result<_, vision-error>
typedef struct { uint8_t is_err; union { vision_error_t err; } val; } vision_result_unit_t;
_Static_assert(sizeof(vision_result_handle_t) == 16 && offsetof(vision_result_handle_t, val) == 4, "result<handle, vision-error>");
_Static_assert(sizeof(vision_result_bytes_t) == 16, "result<list<u8>, vision-error>");
_Static_assert(sizeof(vision_result_unit_t) == 16, "result<_, vision-error>");

// tensor-options, passed flattened: f32 payloads of `normalization` travel as i32 bit patterns
// (the canonical ABI joins the scale-offset and mean-std cases into i32 slots).
typedef struct {
  uint32_t width, height;
  int32_t resize_method, tensor_layout, element_type, channels;
  int32_t norm_tag;
  float scale, offset;                                 // scale-offset
  const float *mean; size_t mean_len; const float *std; size_t std_len;  // mean-std
} vision_tensor_options_t;

// ---- imports ----
#define VISION_IMPORT(name) __attribute__((import_module(WASI_VISION_MODULE), import_name(name)))

VISION_IMPORT("[static]image.from-encoded")
extern void vision_from_encoded_raw(const uint8_t *data, size_t len, vision_result_handle_t *ret);
VISION_IMPORT("[static]image.from-pixels")
extern void vision_from_pixels_raw(uint32_t width, uint32_t height, int32_t format, const vision_plane_t *planes, size_t planes_len,
                                   const uint8_t *data, size_t len, vision_result_handle_t *ret);
// frame-data flattened: tag (0 by-value, 1 host-memory), then 7 slots: by-value is
// data-type tag (0 = image), width, height, stride, pixel-format, payload ptr, payload len;
// host-memory is the memory handle in the first slot. The memory handle is consumed.
VISION_IMPORT("[static]image.from-frame")
extern void vision_from_frame_raw(int32_t tag, int32_t a, int32_t b, int32_t c, int32_t d, int32_t e, int32_t f, int32_t g,
                                  vision_result_handle_t *ret);
VISION_IMPORT("[method]image.width") extern uint32_t vision_width(vision_image_t self);
VISION_IMPORT("[method]image.height") extern uint32_t vision_height(vision_image_t self);
VISION_IMPORT("[method]image.pixel-format") extern int32_t vision_pixel_format(vision_image_t self);
VISION_IMPORT("[method]image.layout") extern void vision_layout(vision_image_t self, vision_layout_t *ret);
VISION_IMPORT("[method]image.crop")
extern void vision_crop_raw(vision_image_t self, uint32_t x, uint32_t y, uint32_t w, uint32_t h, vision_result_handle_t *ret);
VISION_IMPORT("[method]image.resize")
extern void vision_resize(vision_image_t self, uint32_t width, uint32_t height, int32_t method, vision_result_handle_t *ret);
VISION_IMPORT("[method]image.convert")
extern void vision_convert(vision_image_t self, int32_t format, vision_result_handle_t *ret);
VISION_IMPORT("[method]image.encode")
extern void vision_encode(vision_image_t self, int32_t encoding, int32_t quality, vision_result_bytes_t *ret);
VISION_IMPORT("[method]image.read")
extern void vision_read_raw(vision_image_t self, int32_t has_region, uint32_t x, uint32_t y, uint32_t w, uint32_t h,
                            vision_result_bytes_t *ret);
VISION_IMPORT("[method]image.to-tensor")
extern void vision_to_tensor_raw(vision_image_t self, uint32_t width, uint32_t height, int32_t method, int32_t layout,
                                 int32_t element_type, int32_t channels, int32_t norm_tag, int32_t s1, int32_t s2, int32_t s3,
                                 int32_t s4, vision_result_handle_t *ret);
VISION_IMPORT("[method]image.draw-rect")
extern void vision_draw_rect_raw(vision_image_t self, uint32_t x, uint32_t y, uint32_t w, uint32_t h, int32_t r, int32_t g,
                                 int32_t b, uint32_t thickness, vision_result_unit_t *ret);
VISION_IMPORT("[method]image.draw-points")
extern void vision_draw_points_raw(vision_image_t self, const vision_point_t *points, size_t len, int32_t r, int32_t g, int32_t b,
                                   uint32_t radius, vision_result_unit_t *ret);
VISION_IMPORT("[resource-drop]image") extern void vision_image_drop(vision_image_t self);

// ---- small wrappers (static: each guest links what it uses) ----
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static inline int32_t vision_f32_bits(float f) {
  int32_t i;
  memcpy(&i, &f, sizeof i);
  return i;
}

static inline void vision_from_pixels(const vision_layout_t *l, const uint8_t *data, size_t len, vision_result_handle_t *ret) {
  vision_from_pixels_raw(l->width, l->height, l->pixel_format, l->planes.ptr, l->planes.len, data, len, ret);
}

static inline void vision_from_host_memory(int32_t memory, vision_result_handle_t *ret) {
  vision_from_frame_raw(1, memory, 0, 0, 0, 0, 0, 0, ret);
}

static inline void vision_crop(vision_image_t self, vision_rect_t r, vision_result_handle_t *ret) {
  vision_crop_raw(self, r.x, r.y, r.width, r.height, ret);
}

static inline void vision_read(vision_image_t self, const vision_rect_t *region, vision_result_bytes_t *ret) {
  if (region) vision_read_raw(self, 1, region->x, region->y, region->width, region->height, ret);
  else vision_read_raw(self, 0, 0, 0, 0, 0, ret);
}

static inline void vision_to_tensor(vision_image_t self, const vision_tensor_options_t *o, vision_result_handle_t *ret) {
  int32_t s1 = 0, s2 = 0, s3 = 0, s4 = 0;
  if (o->norm_tag == VISION_NORM_SCALE_OFFSET) s1 = vision_f32_bits(o->scale), s2 = vision_f32_bits(o->offset);
  if (o->norm_tag == VISION_NORM_MEAN_STD) s1 = (int32_t)(intptr_t)o->mean, s2 = (int32_t)o->mean_len, s3 = (int32_t)(intptr_t)o->std, s4 = (int32_t)o->std_len;
  vision_to_tensor_raw(self, o->width, o->height, o->resize_method, o->tensor_layout, o->element_type, o->channels, o->norm_tag,
                       s1, s2, s3, s4, ret);
}

// Prints "<what>: <error name>[: message]", frees the message, returns the error tag.
static int vision_report_error(const char *what, vision_error_t *e) {
  const char *name = vision_error_name(e->tag);
  if (e->tag == VISION_E_INVALID_ARGUMENT || e->tag == VISION_E_DECODE_FAILED || e->tag == VISION_E_NOT_SUPPORTED) {
    printf("%s: %s: %.*s\n", what, name, (int)e->val.message.len, e->val.message.ptr);
    cabi_free_list(e->val.message.ptr, e->val.message.len);
  } else if (e->tag == VISION_E_UNSUPPORTED_FORMAT) {
    printf("%s: %s: %u\n", what, name, e->val.format);
  } else {
    printf("%s: %s\n", what, name);
  }
  return e->tag;
}

#endif
