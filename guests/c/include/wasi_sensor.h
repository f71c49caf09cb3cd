// wasi:sensor (unversioned HEAD) for C guests: canonical-ABI import declarations written by hand
// (check with `node scripts/print-core-abi.mjs edge-imports sensor`). See wasi_buffer_pool.h. The
// one declaration of wasi:sensor for every C guest (the ordinary ones and the conformance guest).
#ifndef WASI_SENSOR_H
#define WASI_SENSOR_H

#include "wasi_buffer_pool.h"

typedef int32_t sensor_device_t;

// enum property-key
enum { SENSOR_SAMPLING_RATE = 0, SENSOR_DIMENSION = 1 };
// variant property-value
enum { SENSOR_VALUE_FRACTION = 0, SENSOR_VALUE_DIMENSION = 1 };
// enum device-error: the names are BP_ERROR_NAMES (same cases, same order)

typedef struct { uint32_t numerator, denominator; } sensor_fraction_t;
typedef struct { uint8_t tag; union { sensor_fraction_t fraction; bp_dimension_t dimension; } val; } sensor_property_value_t;
_Static_assert(sizeof(sensor_property_value_t) == 20 && offsetof(sensor_property_value_t, val) == 4, "property-value variant");

typedef struct { uint8_t is_err; union { sensor_device_t handle; uint8_t err; } val; } sensor_result_device_t;
typedef struct { uint8_t is_err; uint8_t err; } sensor_result_unit_t;
typedef cabi_string_t sensor_string_t;
typedef struct { uint8_t is_err; union { cabi_string_list_t ok; uint8_t err; } val; } sensor_result_names_t;
typedef struct { uint8_t is_err; union { sensor_property_value_t ok; uint8_t err; } val; } sensor_result_property_t;
_Static_assert(sizeof(sensor_result_property_t) == 24 && offsetof(sensor_result_property_t, val) == 4, "result<property-value, device-error>");

#define SENSOR_IMPORT(name) __attribute__((import_module("wasi:sensor/sensor"), import_name(name)))

SENSOR_IMPORT("[static]device.open") void sensor_device_open(const char *name, size_t len, sensor_result_device_t *ret);
SENSOR_IMPORT("[static]device.list-names") void sensor_device_list_names(sensor_result_names_t *ret);
SENSOR_IMPORT("[method]device.start")
void sensor_device_start(sensor_device_t self, const char *pool, size_t len, sensor_result_unit_t *ret);
SENSOR_IMPORT("[method]device.stop") void sensor_device_stop(sensor_device_t self, sensor_result_unit_t *ret);
// property-value flattened: tag, then four i32 slots (fraction uses two, dimension four).
SENSOR_IMPORT("[method]device.set-property")
void sensor_device_set_property_raw(sensor_device_t self, int32_t key, int32_t tag, int32_t a, int32_t b, int32_t c, int32_t d,
                                    sensor_result_unit_t *ret);
SENSOR_IMPORT("[method]device.get-property")
void sensor_device_get_property(sensor_device_t self, int32_t key, sensor_result_property_t *ret);
SENSOR_IMPORT("[resource-drop]device") void sensor_device_drop(sensor_device_t self);

static inline void sensor_set_rate(sensor_device_t d, uint32_t num, uint32_t den, sensor_result_unit_t *ret) {
  sensor_device_set_property_raw(d, SENSOR_SAMPLING_RATE, SENSOR_VALUE_FRACTION, (int32_t)num, (int32_t)den, 0, 0, ret);
}
static inline void sensor_set_dimension(sensor_device_t d, const bp_dimension_t *dim, sensor_result_unit_t *ret) {
  sensor_device_set_property_raw(d, SENSOR_DIMENSION, SENSOR_VALUE_DIMENSION, (int32_t)dim->width, (int32_t)dim->height,
                                 (int32_t)dim->stride_bytes, dim->pixel_format, ret);
}

#endif
