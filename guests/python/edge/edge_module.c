// `edge`: the module, its Resource base type, EdgeError and the helpers the submodules share.
#include "edge.h"
#include "cabi.h"

PyObject *EdgeError;

// ---------------------------------------------------------------- resources

PyObject *edge_resource_new(PyTypeObject *type, int32_t handle, edge_drop_fn drop) {
  EdgeResource *self = (EdgeResource *)type->tp_alloc(type, 0);
  if (!self) {
    drop(handle);  // nobody else can drop it now
    return NULL;
  }
  self->handle = handle;
  self->drop = drop;
  return (PyObject *)self;
}

int32_t edge_resource_handle(PyObject *self) {
  EdgeResource *r = (EdgeResource *)self;
  if (!r->drop) {
    PyErr_Format(PyExc_ValueError, "%s is closed", Py_TYPE(self)->tp_name);
    return -1;
  }
  return r->handle;
}

int32_t edge_resource_take(PyObject *self) {
  int32_t h = edge_resource_handle(self);
  if (h >= 0) ((EdgeResource *)self)->drop = NULL;
  return h;
}

static void resource_release(EdgeResource *self) {
  edge_drop_fn drop = self->drop;
  self->drop = NULL;
  if (drop) drop(self->handle);
}

static void resource_dealloc(PyObject *self) {
  resource_release((EdgeResource *)self);  // garbage collection closes what the app left open
  Py_TYPE(self)->tp_free(self);
}

static PyObject *resource_close(PyObject *self, PyObject *unused) {
  (void)unused;
  resource_release((EdgeResource *)self);
  Py_RETURN_NONE;
}

static PyObject *resource_enter(PyObject *self, PyObject *unused) {
  (void)unused;
  if (edge_resource_handle(self) < 0) return NULL;
  Py_INCREF(self);
  return self;
}

static PyObject *resource_exit(PyObject *self, PyObject *args) {
  (void)args;
  resource_release((EdgeResource *)self);
  Py_RETURN_FALSE;  // exceptions go on
}

static PyObject *resource_closed(PyObject *self, void *unused) {
  (void)unused;
  return PyBool_FromLong(((EdgeResource *)self)->drop == NULL);
}

static PyObject *resource_repr(PyObject *self) {
  EdgeResource *r = (EdgeResource *)self;
  if (!r->drop) return PyUnicode_FromFormat("<%s closed>", Py_TYPE(self)->tp_name);
  return PyUnicode_FromFormat("<%s handle %d>", Py_TYPE(self)->tp_name, (int)r->handle);
}

static PyMethodDef resource_methods[] = {
  {"close", resource_close, METH_NOARGS, "Drops the handle (the host frees what it holds). Closing twice is fine."},
  {"__enter__", resource_enter, METH_NOARGS, NULL},
  {"__exit__", resource_exit, METH_VARARGS, NULL},
  {NULL, NULL, 0, NULL},
};

static PyGetSetDef resource_getset[] = {
  {"closed", resource_closed, NULL, "True once close() ran (or the host took the handle over).", NULL},
  {NULL, NULL, NULL, NULL, NULL},
};

PyTypeObject EdgeResource_Type = {
  PyVarObject_HEAD_INIT(NULL, 0)
  .tp_name = "edge.Resource",
  .tp_basicsize = sizeof(EdgeResource),
  .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
  .tp_doc = "A WIT resource handle: close() or a `with` block drops it; so does garbage collection.",
  .tp_dealloc = resource_dealloc,
  .tp_repr = resource_repr,
  .tp_methods = resource_methods,
  .tp_getset = resource_getset,
};

int edge_add_resource_type(PyObject *module, PyTypeObject *type) {
  if (!type->tp_base) type->tp_base = &EdgeResource_Type;
  if (!type->tp_basicsize) type->tp_basicsize = sizeof(EdgeResource);
  type->tp_flags |= Py_TPFLAGS_DEFAULT;
  if (PyType_Ready(type) < 0) return -1;
  const char *dot = strrchr(type->tp_name, '.');
  Py_INCREF(type);
  return PyModule_AddObject(module, dot ? dot + 1 : type->tp_name, (PyObject *)type);
}

// ---------------------------------------------------------------- errors

PyObject *edge_add_error(PyObject *module, const char *qualified, const char *name, const char *doc) {
  PyObject *cls = PyErr_NewExceptionWithDoc(qualified, doc, EdgeError, NULL);
  if (!cls) return NULL;
  Py_INCREF(cls);
  if (PyModule_AddObject(module, name, cls) < 0) {
    Py_DECREF(cls);
    Py_DECREF(cls);
    return NULL;
  }
  return cls;  // the module holds one reference, the submodule's static another
}

PyObject *edge_raise_n(PyObject *cls, const char *code, const char *detail, size_t len) {
  PyObject *detail_obj = detail ? PyUnicode_DecodeUTF8(detail, (Py_ssize_t)len, "replace") : Py_NewRef(Py_None);
  PyObject *message = detail ? PyUnicode_FromFormat("%s: %U", code, detail_obj) : PyUnicode_FromString(code);
  PyObject *exc = message ? PyObject_CallOneArg(cls, message) : NULL;
  if (exc) {
    PyObject *code_obj = PyUnicode_FromString(code);
    if (code_obj && PyObject_SetAttrString(exc, "code", code_obj) == 0 && PyObject_SetAttrString(exc, "detail", detail_obj) == 0)
      PyErr_SetObject(cls, exc);
    Py_XDECREF(code_obj);
  }
  Py_XDECREF(exc);
  Py_XDECREF(message);
  Py_XDECREF(detail_obj);
  return NULL;
}

PyObject *edge_raise(PyObject *cls, const char *code, const char *detail) {
  return edge_raise_n(cls, code, detail, detail ? strlen(detail) : 0);
}

// ---------------------------------------------------------------- arguments

int edge_text(PyObject *arg, void *out) {
  if (!PyUnicode_Check(arg)) {
    PyErr_Format(PyExc_TypeError, "expected str, got %.100s", Py_TYPE(arg)->tp_name);
    return 0;
  }
  edge_text_t *t = out;
  t->ptr = PyUnicode_AsUTF8AndSize(arg, &t->len);
  return t->ptr != NULL;
}

// ---------------------------------------------------------------- lists from the host

PyObject *edge_take_strings(void *list_ptr, size_t len) {
  cabi_string_list_t list = {(cabi_string_t *)list_ptr, len};
  PyObject *out = PyList_New((Py_ssize_t)len);
  for (size_t i = 0; out && i < len; i++) {
    PyObject *s = PyUnicode_DecodeUTF8(list.ptr[i].ptr, (Py_ssize_t)list.ptr[i].len, "replace");
    if (!s) Py_CLEAR(out);
    else PyList_SET_ITEM(out, (Py_ssize_t)i, s);
  }
  cabi_free_strings(&list);
  return out;
}

PyObject *edge_take_bytes(uint8_t *ptr, size_t len) {
  PyObject *b = PyBytes_FromStringAndSize((const char *)ptr, (Py_ssize_t)len);
  cabi_free_list(ptr, len);
  return b;
}

// ---------------------------------------------------------------- the module

static struct PyModuleDef edge_def = {
  PyModuleDef_HEAD_INIT, "edge",
  "The edge-device interfaces for Python apps: edge.sensor (cameras, pools, frames), edge.vision\n"
  "(images on the host), edge.nn (models by name, tensors), edge.i2c and edge.spi (buses), edge.config (settings).\n"
  "Each WIT error is an exception class derived from edge.EdgeError, with .code (the WIT case\n"
  "name) and .detail. Resources close with close(), a `with` block or garbage collection.",
  -1, NULL, NULL, NULL, NULL, NULL,
};

static int add_submodule(PyObject *edge, const char *name, PyObject *(*make)(void)) {
  PyObject *sub = make();
  if (!sub) return -1;
  char qualified[32];
  snprintf(qualified, sizeof qualified, "edge.%s", name);
  // In sys.modules too, so that `import edge.i2c` and `from edge.i2c import I2CError` work.
  if (PyDict_SetItemString(PyImport_GetModuleDict(), qualified, sub) < 0 || PyModule_AddObject(edge, name, sub) < 0) {
    Py_DECREF(sub);
    return -1;
  }
  return 0;
}

PyMODINIT_FUNC PyInit_edge(void) {
  if (PyType_Ready(&EdgeResource_Type) < 0) return NULL;
  PyObject *m = PyModule_Create(&edge_def);
  if (!m) return NULL;
  EdgeError = PyErr_NewExceptionWithDoc("edge.EdgeError",
                                        "An error value of an edge interface: .code is its WIT case name, .detail its payload (or None).",
                                        NULL, NULL);
  if (!EdgeError || PyModule_AddObject(m, "EdgeError", Py_NewRef(EdgeError)) < 0) goto fail;
  Py_INCREF(&EdgeResource_Type);
  if (PyModule_AddObject(m, "Resource", (PyObject *)&EdgeResource_Type) < 0) goto fail;
  if (add_submodule(m, "i2c", edge_i2c_module) < 0 || add_submodule(m, "spi", edge_spi_module) < 0 ||
      add_submodule(m, "sensor", edge_sensor_module) < 0 || add_submodule(m, "nn", edge_nn_module) < 0 ||
      add_submodule(m, "vision", edge_vision_module) < 0 || add_submodule(m, "config", edge_config_module) < 0)
    goto fail;
  return m;
fail:
  Py_DECREF(m);
  return NULL;
}
