// wasi:nn@0.2.0-rc-2024-10-28 for C guests: canonical-ABI import declarations written by hand
// (no wit-bindgen offline). Layouts follow the component model's canonical ABI for wasm32:
// handles are i32, lists are (ptr, len), enums are their case index, results are
// (u8 tag, padding, payload) written to a return area the caller passes last. The one declaration
// of wasi:nn for every C guest (the ordinary ones and the conformance guest).
#ifndef WASI_NN_H
#define WASI_NN_H

#include <stddef.h>
#include <stdint.h>
#include "cabi.h"

#define WASI_NN_MODULE(iface) "wasi:nn/" iface "@0.2.0-rc-2024-10-28"
#define NN_IMPORT(iface, name) __attribute__((import_module(WASI_NN_MODULE(iface)), import_name(name)))

typedef int32_t nn_tensor_t;
typedef int32_t nn_graph_t;
typedef int32_t nn_context_t;
typedef int32_t nn_error_t;

// enum tensor-type
enum { NN_FP16 = 0, NN_FP32 = 1, NN_FP64 = 2, NN_BF16 = 3, NN_U8 = 4, NN_I32 = 5, NN_I64 = 6 };
// enum graph-encoding
enum { NN_OPENVINO = 0, NN_ONNX = 1, NN_TENSORFLOW = 2, NN_PYTORCH = 3, NN_TENSORFLOWLITE = 4, NN_GGML = 5, NN_AUTODETECT = 6 };
// enum execution-target
enum { NN_CPU = 0, NN_GPU = 1, NN_TPU = 2 };
// enum error-code
enum {
  NN_E_INVALID_ARGUMENT = 0, NN_E_INVALID_ENCODING = 1, NN_E_TIMEOUT = 2, NN_E_RUNTIME_ERROR = 3,
  NN_E_UNSUPPORTED_OPERATION = 4, NN_E_TOO_LARGE = 5, NN_E_NOT_FOUND = 6, NN_E_SECURITY = 7, NN_E_UNKNOWN = 8
};

static const char *const NN_ERROR_CODE_NAMES[] = {
  "invalid-argument", "invalid-encoding", "timeout", "runtime-error", "unsupported-operation",
  "too-large", "not-found", "security", "unknown",
};

typedef cabi_bytes_t nn_bytes_t;                                   // list<u8>
typedef struct { uint32_t *ptr; size_t len; } nn_dims_t;          // list<u32>
typedef cabi_string_t nn_string_t;                                 // string
typedef struct { nn_string_t name; nn_tensor_t tensor; } nn_named_tensor_t;  // tuple<string, tensor>
typedef struct { nn_named_tensor_t *ptr; size_t len; } nn_named_tensors_t;

_Static_assert(sizeof(nn_bytes_t) == 8, "list is (ptr, len)");
_Static_assert(sizeof(nn_named_tensor_t) == 12, "tuple<string, own<tensor>> is 12 bytes");
_Static_assert(offsetof(nn_named_tensor_t, tensor) == 8, "handle after the string");

// result<own<T>, own<error>>: tag 0 = ok, 1 = err; the handle at offset 4.
typedef struct { uint8_t is_err; int32_t handle; } nn_result_handle_t;
_Static_assert(sizeof(nn_result_handle_t) == 8 && offsetof(nn_result_handle_t, handle) == 4, "result<handle, handle>");

// result<list<named-tensor>, own<error>>: payload at offset 4 (list = 8 bytes, or the error handle).
typedef struct {
  uint8_t is_err;
  union { nn_named_tensors_t ok; nn_error_t err; } val;
} nn_result_tensors_t;
_Static_assert(sizeof(nn_result_tensors_t) == 12 && offsetof(nn_result_tensors_t, val) == 4, "result<list, handle>");

// ---- interface tensor ----
NN_IMPORT("tensor", "[constructor]tensor")
extern nn_tensor_t nn_tensor_new(const uint32_t *dims, size_t dims_len, int32_t ty, const uint8_t *data, size_t data_len);
NN_IMPORT("tensor", "[method]tensor.dimensions") extern void nn_tensor_dimensions(nn_tensor_t self, nn_dims_t *ret);
NN_IMPORT("tensor", "[method]tensor.ty") extern int32_t nn_tensor_ty(nn_tensor_t self);
NN_IMPORT("tensor", "[method]tensor.data") extern void nn_tensor_data(nn_tensor_t self, nn_bytes_t *ret);
NN_IMPORT("tensor", "[resource-drop]tensor") extern void nn_tensor_drop(nn_tensor_t self);

// ---- interface errors ----
NN_IMPORT("errors", "[method]error.code") extern int32_t nn_error_code(nn_error_t self);
NN_IMPORT("errors", "[method]error.data") extern void nn_error_data(nn_error_t self, nn_string_t *ret);
NN_IMPORT("errors", "[resource-drop]error") extern void nn_error_drop(nn_error_t self);

// ---- interface inference ----
NN_IMPORT("inference", "[method]graph-execution-context.compute")
extern void nn_context_compute(nn_context_t self, const nn_named_tensor_t *inputs, size_t len, nn_result_tensors_t *ret);
NN_IMPORT("inference", "[resource-drop]graph-execution-context") extern void nn_context_drop(nn_context_t self);

// ---- interface graph ----
NN_IMPORT("graph", "[method]graph.init-execution-context")
extern void nn_graph_init_execution_context(nn_graph_t self, nn_result_handle_t *ret);
NN_IMPORT("graph", "load")
extern void nn_load(const nn_bytes_t *builders, size_t len, int32_t encoding, int32_t target, nn_result_handle_t *ret);
NN_IMPORT("graph", "load-by-name") extern void nn_load_by_name(const char *name, size_t len, nn_result_handle_t *ret);
NN_IMPORT("graph", "[resource-drop]graph") extern void nn_graph_drop(nn_graph_t self);

// ---- small helpers (static: each guest links what it uses) ----
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static inline const char *nn_error_name(int code) { return code >= 0 && code <= 8 ? NN_ERROR_CODE_NAMES[code] : "?"; }

// Writes "<code>: <data>" for an error handle into out (truncated to n), drops it, returns the code.
static int nn_error_text(nn_error_t err, char *out, size_t n) {
  int code = nn_error_code(err);
  nn_string_t data;
  nn_error_data(err, &data);
  snprintf(out, n, "%s: %.*s", nn_error_name(code), (int)data.len, data.ptr);
  cabi_free_list(data.ptr, data.len);
  nn_error_drop(err);
  return code;
}

// Drops an error handle without printing; returns its code (the data, for people, is freed).
static int nn_error_take_code(nn_error_t err) {
  int code = nn_error_code(err);
  nn_string_t data;
  nn_error_data(err, &data);
  cabi_free_list(data.ptr, data.len);
  nn_error_drop(err);
  return code;
}

// Prints dimensions as "[1,128,128,3]".
static void nn_print_dims(const nn_dims_t *d) {
  printf("[");
  for (size_t k = 0; k < d->len; k++) printf(k ? ",%u" : "%u", d->ptr[k]);
  printf("]");
}

// Prints "<what>: <code>: <data>" for an error handle, drops it, returns the code.
static int nn_report_error(const char *what, nn_error_t err) {
  char text[512];
  int code = nn_error_text(err, text, sizeof text);
  printf("%s: %s\n", what, text);
  return code;
}

// Frees a compute result's names and drops its tensors.
static void nn_free_outputs(nn_named_tensors_t *outs) {
  for (size_t i = 0; i < outs->len; i++) {
    cabi_free_list(outs->ptr[i].name.ptr, outs->ptr[i].name.len);
    nn_tensor_drop(outs->ptr[i].tensor);
  }
  cabi_free_list(outs->ptr, outs->len);
  outs->ptr = NULL;
  outs->len = 0;
}

#endif
