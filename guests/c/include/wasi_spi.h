// wasi:spi (unversioned) for C guests: canonical-ABI import declarations written by hand
// (check with `node scripts/print-core-abi.mjs wasi:spi/wasi-spi`). The one declaration of this
// interface for every C guest (ordinary, hardware-test and conformance ones), for both revisions:
// upstream a4797e2 (wit/deps/spi: `open`) and 3fe70d6 (wit/spi-3fe70d6: `get-device-names`,
// `open-device`, `configure`). A guest calls the functions of one revision and is embedded
// against that revision's world (`// build: spi=3fe70d6` for the older one, guests/build.mjs);
// declarations it does not call are not imported.
#ifndef WASI_SPI_H
#define WASI_SPI_H

#include <stddef.h>
#include <stdint.h>
#include "cabi.h"

typedef int32_t spi_device_t;
typedef cabi_bytes_t spi_bytes_t;
typedef cabi_string_t spi_string_t;

// variant error { overrun, mode-fault, frame-format, chip-select-fault, other(string) }
enum { SPI_ERR_OVERRUN = 0, SPI_ERR_MODE_FAULT = 1, SPI_ERR_FRAME_FORMAT = 2, SPI_ERR_CHIP_SELECT_FAULT = 3, SPI_ERR_OTHER = 4 };
typedef struct { uint8_t tag; spi_string_t message; } spi_error_t;
_Static_assert(sizeof(spi_error_t) == 12 && offsetof(spi_error_t, message) == 4, "error");

// variant operation { read(u64), write(list<u8>), transfer(list<u8>), delay-ns(u32) }
enum { SPI_OP_READ = 0, SPI_OP_WRITE = 1, SPI_OP_TRANSFER = 2, SPI_OP_DELAY_NS = 3 };
typedef struct { uint8_t tag; union { uint64_t read; spi_bytes_t write; spi_bytes_t transfer; uint32_t delay_ns; } val; } spi_operation_t;
_Static_assert(sizeof(spi_operation_t) == 16 && offsetof(spi_operation_t, val) == 8, "operation");

// variant operation-result { read(list<u8>), write, transfer(list<u8>), delay }
typedef struct { uint8_t tag; spi_bytes_t bytes; } spi_operation_result_t;
_Static_assert(sizeof(spi_operation_result_t) == 12 && offsetof(spi_operation_result_t, bytes) == 4, "operation-result");

// enum mode (3fe70d6 only)
enum { SPI_MODE0 = 0, SPI_MODE1 = 1, SPI_MODE2 = 2, SPI_MODE3 = 3 };

typedef struct { uint8_t is_err; union { spi_device_t handle; spi_error_t err; } val; } spi_result_device_t;
_Static_assert(sizeof(spi_result_device_t) == 16 && offsetof(spi_result_device_t, val) == 4, "result<spi-device, error>");
typedef struct { uint8_t is_err; spi_error_t err; } spi_result_unit_t;
_Static_assert(sizeof(spi_result_unit_t) == 16 && offsetof(spi_result_unit_t, err) == 4, "result<_, error>");
typedef struct { uint8_t is_err; union { spi_bytes_t ok; spi_error_t err; } val; } spi_result_bytes_t;
_Static_assert(sizeof(spi_result_bytes_t) == 16 && offsetof(spi_result_bytes_t, val) == 4, "result<list<u8>, error>");
typedef struct { uint8_t is_err; union { struct { spi_operation_result_t *ptr; size_t len; } ok; spi_error_t err; } val; } spi_result_ops_t;
_Static_assert(sizeof(spi_result_ops_t) == 16 && offsetof(spi_result_ops_t, val) == 4, "result<list<operation-result>, error>");
typedef cabi_string_list_t spi_string_list_t;

#define SPI_IMPORT(name) __attribute__((import_module("wasi:spi/spi"), import_name(name)))

// a4797e2 (current)
SPI_IMPORT("open") void spi_open(const char *name, size_t len, spi_result_device_t *ret);
// 3fe70d6 (previous)
SPI_IMPORT("get-device-names") void spi_get_device_names(spi_string_list_t *ret);
SPI_IMPORT("open-device") void spi_open_device(const char *name, size_t len, spi_result_device_t *ret);
SPI_IMPORT("[method]spi-device.configure")
void spi_configure(spi_device_t self, uint32_t frequency, int32_t mode, int32_t lsb_first, spi_result_unit_t *ret);
// both
SPI_IMPORT("[method]spi-device.read") void spi_read(spi_device_t self, uint64_t len, spi_result_bytes_t *ret);
SPI_IMPORT("[method]spi-device.write") void spi_write(spi_device_t self, const uint8_t *data, size_t len, spi_result_unit_t *ret);
SPI_IMPORT("[method]spi-device.transfer")
void spi_transfer(spi_device_t self, const uint8_t *data, size_t len, spi_result_bytes_t *ret);
SPI_IMPORT("[method]spi-device.transaction")
void spi_transaction(spi_device_t self, const spi_operation_t *ops, size_t n, spi_result_ops_t *ret);
SPI_IMPORT("[resource-drop]spi-device") void spi_device_drop(spi_device_t self);

static const char *const SPI_ERROR_NAMES[] = {"overrun", "mode-fault", "frame-format", "chip-select-fault", "other"};
static inline const char *spi_error_name(uint8_t tag) { return tag < 5 ? SPI_ERROR_NAMES[tag] : "?"; }
// variant operation-result's case names (read, write, transfer, delay)
static const char *const SPI_OP_RESULT_NAMES[] = {"read", "write", "transfer", "delay"};

#endif
