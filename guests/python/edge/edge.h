// The `edge` Python module (a C extension compiled into the interpreter, guests/python/build.sh):
// what its submodules share. The canonical-ABI calls themselves are guests/c/include's headers,
// the same ones every C guest uses.
//
// Resources: every WIT resource is a Python object over its handle (an `edge.Resource`). close()
// drops the handle; `with` closes it; so does garbage collection of an object still open. A
// method of a closed one raises ValueError.
//
// Errors: every WIT error type is an exception class (edge.i2c.I2CError, ...) derived from
// edge.EdgeError, with `.code` the WIT case name ("no-acknowledge") and `.detail` its payload as
// text or None. Arguments of the wrong type raise TypeError (the argument parsers do that).
#ifndef EDGE_PY_H
#define EDGE_PY_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>

typedef void (*edge_drop_fn)(int32_t handle);

typedef struct {
  PyObject_HEAD
  int32_t handle;
  edge_drop_fn drop;  // NULL once closed (or for a handle the host took back)
} EdgeResource;

extern PyTypeObject EdgeResource_Type;
extern PyObject *EdgeError;

/** A new `type` (a subtype of edge.Resource) owning `handle`; NULL with an exception set. */
PyObject *edge_resource_new(PyTypeObject *type, int32_t handle, edge_drop_fn drop);
/** The handle of an open resource; -1 with ValueError set if it is closed. */
int32_t edge_resource_handle(PyObject *self);
/** Gives the handle up without dropping it (the host consumed it); returns it. */
int32_t edge_resource_take(PyObject *self);
/** Initialises a subtype of edge.Resource and adds it to `module`. */
int edge_add_resource_type(PyObject *module, PyTypeObject *type);

/** A new exception class `edge.<module>.<name>` derived from edge.EdgeError, added to `module`. */
PyObject *edge_add_error(PyObject *module, const char *qualified, const char *name, const char *doc);
/** Raises `cls` with .code = code and .detail = detail (may be NULL); returns NULL. */
PyObject *edge_raise(PyObject *cls, const char *code, const char *detail);
/** As edge_raise with a detail of `len` bytes (a WIT string, not NUL-terminated). */
PyObject *edge_raise_n(PyObject *cls, const char *code, const char *detail, size_t len);

/** A str argument as UTF-8 (a WIT string): for PyArg_Parse's "O&". Anything but str is a TypeError. */
typedef struct { const char *ptr; Py_ssize_t len; } edge_text_t;
int edge_text(PyObject *arg, void *out);

/** A Python list of str from a WIT list<string>; frees the list. */
PyObject *edge_take_strings(void *list_ptr, size_t len);
/** bytes from a WIT list<u8> the host placed in our memory; frees it. */
PyObject *edge_take_bytes(uint8_t *ptr, size_t len);

/** The submodules: each builds its module (NULL with an exception set). */
PyObject *edge_i2c_module(void);
PyObject *edge_spi_module(void);
PyObject *edge_sensor_module(void);
PyObject *edge_vision_module(void);
PyObject *edge_nn_module(void);
PyObject *edge_config_module(void);

/** edge.vision needs the frame type of edge.sensor, edge.nn the tensor type for vision's to-tensor. */
extern PyTypeObject EdgeFrame_Type;
extern PyTypeObject EdgeTensor_Type;
/** The host-memory handle of frame entry `index`, taken over (the frame keeps no claim); or -1. */
int32_t edge_frame_take_host_memory(PyObject *frame, Py_ssize_t index);
/** The by-value image of frame entry `index` (width, height, stride, format, bytes), or 0 if none. */
int edge_frame_by_value(PyObject *frame, Py_ssize_t index, uint32_t *w, uint32_t *h, uint32_t *stride, int *format,
                        PyObject **bytes);
/** A new edge.nn.Tensor owning `handle`. */
PyObject *edge_tensor_wrap(int32_t handle);

#endif
