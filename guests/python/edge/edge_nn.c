// edge.nn: wasi:nn@0.2.0-rc-2024-10-28, models by name.
//
//   load(name) -> Graph                      the host's model of that name (load-by-name)
//   Graph.context() -> Context               init-execution-context
//   Context.compute({name: Tensor} | [(name, Tensor)]) -> {name: Tensor}
//                                            the input tensors go to the host (they are closed after)
//   Tensor(dimensions, type, data)           type: fp16 fp32 fp64 bf16 u8 i32 i64; data bytes-like
//   Tensor.dimensions, Tensor.type, Tensor.data() -> bytes, Tensor.floats() -> memoryview of float
// Errors raise NNError: .code invalid-argument | invalid-encoding | timeout | runtime-error |
// unsupported-operation | too-large | not-found | security | unknown, .detail the host's text.
#include "edge.h"
#include "wasi_nn.h"

static PyObject *NNError;
static const char *const TYPE_NAMES[] = {"fp16", "fp32", "fp64", "bf16", "u8", "i32", "i64"};

static PyObject *raise_nn(nn_error_t err) {
  int code = nn_error_code(err);
  nn_string_t data;
  nn_error_data(err, &data);
  edge_raise_n(NNError, nn_error_name(code), data.ptr, data.len);
  cabi_free_list(data.ptr, data.len);
  nn_error_drop(err);
  return NULL;
}

// ---------------------------------------------------------------- tensors

static void tensor_drop(int32_t h) { nn_tensor_drop(h); }

PyObject *edge_tensor_wrap(int32_t handle) { return edge_resource_new(&EdgeTensor_Type, handle, tensor_drop); }

static int tensor_init(PyObject *self, PyObject *args, PyObject *kwargs) {
  static char *keywords[] = {"dimensions", "type", "data", NULL};
  PyObject *dims_in;
  const char *type;
  Py_buffer data;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "Osy*:Tensor", keywords, &dims_in, &type, &data)) return -1;
  int ty = -1;
  for (int i = 0; i < 7; i++)
    if (!strcmp(type, TYPE_NAMES[i])) ty = i;
  PyObject *seq = ty < 0 ? NULL : PySequence_Fast(dims_in, "Tensor dimensions must be a sequence of int");
  int status = -1;
  if (ty < 0) PyErr_Format(PyExc_ValueError, "tensor type %s: expected one of fp16 fp32 fp64 bf16 u8 i32 i64", type);
  if (seq) {
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    uint32_t *dims = PyMem_Calloc((size_t)n + 1, sizeof *dims);
    int ok = dims != NULL;
    for (Py_ssize_t i = 0; ok && i < n; i++) {
      PyObject *d = PySequence_Fast_GET_ITEM(seq, i);
      if (!PyLong_Check(d)) {
        PyErr_Format(PyExc_TypeError, "Tensor dimension %zd: expected int, got %.100s", i, Py_TYPE(d)->tp_name);
        ok = 0;
      } else {
        unsigned long v = PyLong_AsUnsignedLong(d);
        if (PyErr_Occurred() || v > UINT32_MAX) {
          if (!PyErr_Occurred()) PyErr_SetString(PyExc_OverflowError, "a dimension is a u32");
          ok = 0;
        }
        dims[i] = (uint32_t)v;
      }
    }
    if (ok) {
      EdgeResource *r = (EdgeResource *)self;
      if (r->drop) r->drop(r->handle);  // __init__ again: the old tensor goes
      r->handle = nn_tensor_new(dims, (size_t)n, ty, data.buf, (size_t)data.len);
      r->drop = tensor_drop;
      status = 0;
    }
    PyMem_Free(dims);
    Py_DECREF(seq);
  }
  PyBuffer_Release(&data);
  return status;
}

static PyObject *tensor_new(PyTypeObject *type, PyObject *args, PyObject *kwargs) {
  (void)args, (void)kwargs;
  return type->tp_alloc(type, 0);
}

static PyObject *tensor_dimensions(PyObject *self, void *unused) {
  (void)unused;
  int32_t h = edge_resource_handle(self);
  if (h < 0) return NULL;
  nn_dims_t d;
  nn_tensor_dimensions(h, &d);
  PyObject *out = PyList_New((Py_ssize_t)d.len);
  for (size_t i = 0; out && i < d.len; i++) PyList_SET_ITEM(out, (Py_ssize_t)i, PyLong_FromUnsignedLong(d.ptr[i]));
  cabi_free_list(d.ptr, d.len);
  return out;
}

static PyObject *tensor_type(PyObject *self, void *unused) {
  (void)unused;
  int32_t h = edge_resource_handle(self);
  if (h < 0) return NULL;
  int t = nn_tensor_ty(h);
  return PyUnicode_FromString(t >= 0 && t < 7 ? TYPE_NAMES[t] : "unknown");
}

static PyObject *tensor_data(PyObject *self, PyObject *unused) {
  (void)unused;
  int32_t h = edge_resource_handle(self);
  if (h < 0) return NULL;
  nn_bytes_t data;
  nn_tensor_data(h, &data);
  return edge_take_bytes(data.ptr, data.len);
}

static PyObject *tensor_floats(PyObject *self, PyObject *unused) {
  PyObject *bytes = tensor_data(self, unused);
  if (!bytes) return NULL;
  PyObject *view = PyMemoryView_FromObject(bytes);
  Py_DECREF(bytes);
  if (!view) return NULL;
  PyObject *floats = PyObject_CallMethod(view, "cast", "s", "f");
  Py_DECREF(view);
  return floats;
}

static PyMethodDef tensor_methods[] = {
  {"data", tensor_data, METH_NOARGS, "data() -> bytes: the tensor's bytes (a copy into this app)."},
  {"floats", tensor_floats, METH_NOARGS, "floats() -> memoryview of float (format 'f'): data() of an fp32 tensor, indexable."},
  {NULL, NULL, 0, NULL},
};

static PyGetSetDef tensor_getset[] = {
  {"dimensions", tensor_dimensions, NULL, "The dimensions, a list of int.", NULL},
  {"type", tensor_type, NULL, "The element type: fp16 fp32 fp64 bf16 u8 i32 i64.", NULL},
  {NULL, NULL, NULL, NULL, NULL},
};

PyTypeObject EdgeTensor_Type = {
  PyVarObject_HEAD_INIT(NULL, 0)
  .tp_name = "edge.nn.Tensor",
  .tp_doc = "Tensor(dimensions, type, data): a wasi:nn tensor (its data lives in the host).",
  .tp_methods = tensor_methods,
  .tp_getset = tensor_getset,
  .tp_init = tensor_init,
  .tp_new = tensor_new,
};

// ---------------------------------------------------------------- graphs and contexts

static void graph_drop(int32_t h) { nn_graph_drop(h); }
static void context_drop(int32_t h) { nn_context_drop(h); }

static PyObject *context_compute(PyObject *self, PyObject *args) {
  PyObject *inputs;
  if (!PyArg_ParseTuple(args, "O:compute", &inputs)) return NULL;
  int32_t h = edge_resource_handle(self);
  if (h < 0) return NULL;
  PyObject *items = PyDict_Check(inputs) ? PyDict_Items(inputs) : PySequence_List(inputs);
  if (!items) {
    if (PyErr_ExceptionMatches(PyExc_TypeError)) {
      PyErr_Clear();
      PyErr_Format(PyExc_TypeError, "compute() takes a dict or a sequence of (name, Tensor), got %.100s", Py_TYPE(inputs)->tp_name);
    }
    return NULL;
  }
  Py_ssize_t n = PyList_GET_SIZE(items);
  nn_named_tensor_t *named = PyMem_Calloc((size_t)n + 1, sizeof *named);
  PyObject *out = NULL;
  if (!named) {
    PyErr_NoMemory();
    goto done;
  }
  // Check every input before any tensor goes to the host.
  for (Py_ssize_t i = 0; i < n; i++) {
    PyObject *pair = PyList_GET_ITEM(items, i);
    PyObject *name, *tensor;
    if (!PyTuple_Check(pair) || PyTuple_GET_SIZE(pair) != 2 || !PyUnicode_Check(name = PyTuple_GET_ITEM(pair, 0)) ||
        !PyObject_TypeCheck(tensor = PyTuple_GET_ITEM(pair, 1), &EdgeTensor_Type)) {
      PyErr_Format(PyExc_TypeError, "compute() input %zd: expected (str, edge.nn.Tensor)", i);
      goto done;
    }
    Py_ssize_t len;
    const char *s = PyUnicode_AsUTF8AndSize(name, &len);
    if (!s || edge_resource_handle(tensor) < 0) goto done;
    named[i].name.ptr = (char *)s;
    named[i].name.len = (size_t)len;
  }
  for (Py_ssize_t i = 0; i < n; i++) named[i].tensor = edge_resource_take(PyTuple_GET_ITEM(PyList_GET_ITEM(items, i), 1));
  nn_result_tensors_t r;
  nn_context_compute(h, named, (size_t)n, &r);
  if (r.is_err) {
    raise_nn(r.val.err);
    goto done;
  }
  out = PyDict_New();
  for (size_t i = 0; i < r.val.ok.len; i++) {
    nn_named_tensor_t *t = &r.val.ok.ptr[i];
    PyObject *key = PyUnicode_DecodeUTF8(t->name.ptr, (Py_ssize_t)t->name.len, "replace");
    PyObject *value = edge_tensor_wrap(t->tensor);
    if (!out || !key || !value || PyDict_SetItem(out, key, value) < 0) Py_CLEAR(out);
    Py_XDECREF(key);
    Py_XDECREF(value);
    cabi_free_list(t->name.ptr, t->name.len);
  }
  cabi_free_list(r.val.ok.ptr, r.val.ok.len);
done:
  PyMem_Free(named);
  Py_DECREF(items);
  return out;
}

static PyMethodDef context_methods[] = {
  {"compute", context_compute, METH_VARARGS,
   "compute(inputs) -> {name: Tensor}: inputs a dict or [(name, Tensor)]; the input tensors go to the host."},
  {NULL, NULL, 0, NULL},
};

static PyTypeObject Context_Type = {
  PyVarObject_HEAD_INIT(NULL, 0)
  .tp_name = "edge.nn.Context",
  .tp_doc = "An execution context of a graph (wasi:nn graph-execution-context).",
  .tp_methods = context_methods,
};

static PyObject *graph_context(PyObject *self, PyObject *unused) {
  (void)unused;
  int32_t h = edge_resource_handle(self);
  if (h < 0) return NULL;
  nn_result_handle_t r;
  nn_graph_init_execution_context(h, &r);
  if (r.is_err) return raise_nn(r.handle);
  return edge_resource_new(&Context_Type, r.handle, context_drop);
}

static PyMethodDef graph_methods[] = {
  {"context", graph_context, METH_NOARGS, "context() -> Context"},
  {NULL, NULL, 0, NULL},
};

static PyTypeObject Graph_Type = {
  PyVarObject_HEAD_INIT(NULL, 0)
  .tp_name = "edge.nn.Graph",
  .tp_doc = "A loaded model (wasi:nn graph).",
  .tp_methods = graph_methods,
};

static PyObject *nn_load_fn(PyObject *m, PyObject *args) {
  (void)m;
  edge_text_t name;
  if (!PyArg_ParseTuple(args, "O&:load", edge_text, &name)) return NULL;
  nn_result_handle_t r;
  nn_load_by_name(name.ptr, (size_t)name.len, &r);
  if (r.is_err) return raise_nn(r.handle);
  return edge_resource_new(&Graph_Type, r.handle, graph_drop);
}

static PyMethodDef nn_functions[] = {
  {"load", nn_load_fn, METH_VARARGS, "load(name) -> Graph: the host's model of that name (wasi:nn load-by-name)."},
  {NULL, NULL, 0, NULL},
};

static struct PyModuleDef nn_def = {PyModuleDef_HEAD_INIT, "edge.nn", "Neural networks (wasi:nn).", -1, nn_functions,
                                    NULL, NULL, NULL, NULL};

PyObject *edge_nn_module(void) {
  PyObject *m = PyModule_Create(&nn_def);
  if (!m) return NULL;
  NNError = edge_add_error(m, "edge.nn.NNError", "NNError", "A wasi:nn error (.code its error-code, .detail its data).");
  if (!NNError || edge_add_resource_type(m, &EdgeTensor_Type) < 0 || edge_add_resource_type(m, &Graph_Type) < 0 ||
      edge_add_resource_type(m, &Context_Type) < 0) {
    Py_DECREF(m);
    return NULL;
  }
  return m;
}
