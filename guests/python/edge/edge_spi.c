// edge.spi: wasi:spi devices (upstream a4797e2: open by name; the host holds the bus settings).
//
//   open(name) -> Device              SPIError if the host has no such device
//   Device.read(n) -> bytes, Device.write(data), Device.transfer(data) -> bytes
//   Device.transaction(ops) -> [bytes | None]   ops: ("read", n) ("write", data) ("transfer", data)
//                                               ("delay-ns", ns); an int is a read, bytes a write
// Errors raise SPIError: .code overrun | mode-fault | frame-format | chip-select-fault | other
// (.detail: other's message).
#include "edge.h"
#include "wasi_spi.h"

static PyObject *SPIError;

static PyObject *raise_spi(spi_error_t *e) {
  const char *code = spi_error_name(e->tag);
  if (e->tag != SPI_ERR_OTHER) return edge_raise(SPIError, code, NULL);
  edge_raise_n(SPIError, code, e->message.ptr, e->message.len);
  cabi_free_list(e->message.ptr, e->message.len);
  return NULL;
}

static PyObject *bytes_result(spi_result_bytes_t *r) {
  return r->is_err ? raise_spi(&r->val.err) : edge_take_bytes(r->val.ok.ptr, r->val.ok.len);
}

static PyObject *device_read(PyObject *self, PyObject *args) {
  Py_ssize_t n;
  if (!PyArg_ParseTuple(args, "n:read", &n)) return NULL;
  int32_t h = edge_resource_handle(self);
  if (h < 0) return NULL;
  if (n < 0) return PyErr_Format(PyExc_ValueError, "a byte count cannot be negative");
  spi_result_bytes_t r;
  spi_read(h, (uint64_t)n, &r);
  return bytes_result(&r);
}

static PyObject *device_write(PyObject *self, PyObject *args) {
  Py_buffer data;
  if (!PyArg_ParseTuple(args, "y*:write", &data)) return NULL;
  int32_t h = edge_resource_handle(self);
  PyObject *out = NULL;
  if (h >= 0) {
    spi_result_unit_t r;
    spi_write(h, data.buf, (size_t)data.len, &r);
    out = r.is_err ? raise_spi(&r.err) : Py_NewRef(Py_None);
  }
  PyBuffer_Release(&data);
  return out;
}

static PyObject *device_transfer(PyObject *self, PyObject *args) {
  Py_buffer data;
  if (!PyArg_ParseTuple(args, "y*:transfer", &data)) return NULL;
  int32_t h = edge_resource_handle(self);
  PyObject *out = NULL;
  if (h >= 0) {
    spi_result_bytes_t r;
    spi_transfer(h, data.buf, (size_t)data.len, &r);
    out = bytes_result(&r);
  }
  PyBuffer_Release(&data);
  return out;
}

/** One operation from Python: fills *op; a write/transfer's buffer goes to *buf (held). */
static int parse_op(PyObject *item, Py_ssize_t i, spi_operation_t *op, Py_buffer *buf, int *held) {
  const char *kind = NULL;
  PyObject *value = item;
  if (PyTuple_Check(item)) {
    if (!PyArg_ParseTuple(item, "sO", &kind, &value)) return -1;
  } else if (PyLong_Check(item)) {
    kind = "read";
  } else if (PyObject_CheckBuffer(item)) {
    kind = "write";
  } else {
    PyErr_Format(PyExc_TypeError, "transaction operation %zd: expected a (kind, value) tuple, int or bytes-like, got %.100s", i,
                 Py_TYPE(item)->tp_name);
    return -1;
  }
  if (!strcmp(kind, "read") || !strcmp(kind, "delay-ns")) {
    if (!PyLong_Check(value)) {
      PyErr_Format(PyExc_TypeError, "transaction operation %zd: %s takes an int", i, kind);
      return -1;
    }
    unsigned long long v = PyLong_AsUnsignedLongLong(value);
    if (PyErr_Occurred()) return -1;
    op->tag = !strcmp(kind, "read") ? SPI_OP_READ : SPI_OP_DELAY_NS;
    if (op->tag == SPI_OP_READ) op->val.read = v;
    else op->val.delay_ns = (uint32_t)v;
    return 0;
  }
  if (!strcmp(kind, "write") || !strcmp(kind, "transfer")) {
    if (PyUnicode_Check(value) || PyObject_GetBuffer(value, buf, PyBUF_SIMPLE) < 0) {
      if (!PyErr_Occurred() || PyErr_ExceptionMatches(PyExc_TypeError)) {
        PyErr_Clear();
        PyErr_Format(PyExc_TypeError, "transaction operation %zd: %s takes a bytes-like object", i, kind);
      }
      return -1;
    }
    *held = 1;
    op->tag = !strcmp(kind, "write") ? SPI_OP_WRITE : SPI_OP_TRANSFER;
    op->val.write.ptr = buf->buf;
    op->val.write.len = (size_t)buf->len;
    return 0;
  }
  PyErr_Format(PyExc_ValueError, "transaction operation %zd: unknown kind %s (read, write, transfer, delay-ns)", i, kind);
  return -1;
}

static PyObject *device_transaction(PyObject *self, PyObject *args) {
  PyObject *ops_in;
  if (!PyArg_ParseTuple(args, "O:transaction", &ops_in)) return NULL;
  int32_t h = edge_resource_handle(self);
  if (h < 0) return NULL;
  PyObject *seq = PySequence_Fast(ops_in, "transaction() takes a sequence of operations");
  if (!seq) return NULL;
  Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
  spi_operation_t *ops = PyMem_Calloc((size_t)n + 1, sizeof *ops);
  Py_buffer *bufs = PyMem_Calloc((size_t)n + 1, sizeof *bufs);
  int *held = PyMem_Calloc((size_t)n + 1, sizeof *held);
  PyObject *out = NULL;
  if (!ops || !bufs || !held) {
    PyErr_NoMemory();
    goto done;
  }
  for (Py_ssize_t i = 0; i < n; i++)
    if (parse_op(PySequence_Fast_GET_ITEM(seq, i), i, &ops[i], &bufs[i], &held[i]) < 0) goto done;
  spi_result_ops_t r;
  spi_transaction(h, ops, (size_t)n, &r);
  if (r.is_err) {
    raise_spi(&r.val.err);
    goto done;
  }
  out = PyList_New((Py_ssize_t)r.val.ok.len);
  for (size_t i = 0; i < r.val.ok.len; i++) {
    spi_operation_result_t *res = &r.val.ok.ptr[i];
    PyObject *item = (res->tag == SPI_OP_READ || res->tag == SPI_OP_TRANSFER) ? edge_take_bytes(res->bytes.ptr, res->bytes.len)
                                                                              : Py_NewRef(Py_None);
    if (out && item) PyList_SET_ITEM(out, (Py_ssize_t)i, item);
    else Py_XDECREF(item);
  }
  cabi_free_list(r.val.ok.ptr, r.val.ok.len);
done:
  for (Py_ssize_t i = 0; held && i < n; i++)
    if (held[i]) PyBuffer_Release(&bufs[i]);
  PyMem_Free(ops);
  PyMem_Free(bufs);
  PyMem_Free(held);
  Py_DECREF(seq);
  return out;
}

static PyMethodDef device_methods[] = {
  {"read", device_read, METH_VARARGS, "read(n) -> bytes"},
  {"write", device_write, METH_VARARGS, "write(data)"},
  {"transfer", device_transfer, METH_VARARGS, "transfer(data) -> bytes: full duplex, as many bytes back as sent."},
  {"transaction", device_transaction, METH_VARARGS,
   "transaction(ops) -> list: ops are (\"read\", n), (\"write\", data), (\"transfer\", data), (\"delay-ns\", ns);\n"
   "the result has bytes for reads and transfers, None for the others."},
  {NULL, NULL, 0, NULL},
};

static PyTypeObject Device_Type = {
  PyVarObject_HEAD_INIT(NULL, 0)
  .tp_name = "edge.spi.Device",
  .tp_doc = "An open SPI device (wasi:spi spi-device resource).",
  .tp_methods = device_methods,
};

static void drop_device(int32_t h) { spi_device_drop(h); }

static PyObject *spi_open_fn(PyObject *m, PyObject *args) {
  (void)m;
  edge_text_t name;
  if (!PyArg_ParseTuple(args, "O&:open", edge_text, &name)) return NULL;
  spi_result_device_t r;
  spi_open(name.ptr, (size_t)name.len, &r);
  if (r.is_err) return raise_spi(&r.val.err);
  return edge_resource_new(&Device_Type, r.val.handle, drop_device);
}

static PyMethodDef spi_functions[] = {
  {"open", spi_open_fn, METH_VARARGS, "open(name) -> Device"},
  {NULL, NULL, 0, NULL},
};

static struct PyModuleDef spi_def = {PyModuleDef_HEAD_INIT, "edge.spi", "SPI devices (wasi:spi).", -1, spi_functions,
                                     NULL, NULL, NULL, NULL};

PyObject *edge_spi_module(void) {
  PyObject *m = PyModule_Create(&spi_def);
  if (!m) return NULL;
  SPIError = edge_add_error(m, "edge.spi.SPIError", "SPIError", "A wasi:spi error (.code; .detail for other).");
  if (!SPIError || edge_add_resource_type(m, &Device_Type) < 0) {
    Py_DECREF(m);
    return NULL;
  }
  return m;
}
