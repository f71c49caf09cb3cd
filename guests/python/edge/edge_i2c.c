// edge.i2c: wasi:i2c@0.2.0-draft buses, opened through wasi-edge:host/access.
//
//   buses() -> [name]                 the buses this app may open
//   open(name) -> Bus                 AccessError (.code not-found | permission-denied | unavailable)
//   Bus.write_read(address, data, n) -> bytes
//   Bus.read(address, n) -> bytes, Bus.write(address, data)
//   Bus.transaction(address, ops) -> [bytes]   ops: an int reads that many bytes, bytes-like writes;
//                                              one bytes per read, in order
// Every bus error raises I2CError: .code bus | arbitration-loss | no-acknowledge | overrun | other,
// and for no-acknowledge .detail address | data | unknown.
#include "edge.h"
#include "wasi_i2c.h"

static PyObject *I2CError, *AccessError;

static PyObject *raise_i2c(i2c_error_t e) {
  const char *code = e.tag < 5 ? I2C_ERROR_NAMES[e.tag] : "other";
  const char *source = e.tag == I2C_ERR_NO_ACKNOWLEDGE ? (e.source < 3 ? I2C_NACK_SOURCE_NAMES[e.source] : "unknown") : NULL;
  return edge_raise(I2CError, code, source);
}

static int check_address(int address) {
  if (address < 0 || address > 0x3ff) {
    PyErr_Format(PyExc_ValueError, "I2C address %d is outside 0..1023", address);
    return -1;
  }
  return 0;
}

static int check_count(Py_ssize_t n) {
  if (n < 0) {
    PyErr_SetString(PyExc_ValueError, "a byte count cannot be negative");
    return -1;
  }
  return 0;
}

static PyObject *bus_write_read(PyObject *self, PyObject *args) {
  int address;
  Py_buffer data;
  Py_ssize_t n;
  if (!PyArg_ParseTuple(args, "iy*n:write_read", &address, &data, &n)) return NULL;
  int32_t h = edge_resource_handle(self);
  PyObject *out = NULL;
  if (h >= 0 && check_address(address) == 0 && check_count(n) == 0) {
    i2c_result_bytes_t r;
    i2c_write_read(h, address, data.buf, (size_t)data.len, (uint64_t)n, &r);
    out = r.is_err ? raise_i2c(r.val.err) : edge_take_bytes(r.val.ok.ptr, r.val.ok.len);
  }
  PyBuffer_Release(&data);
  return out;
}

static PyObject *bus_read(PyObject *self, PyObject *args) {
  int address;
  Py_ssize_t n;
  if (!PyArg_ParseTuple(args, "in:read", &address, &n)) return NULL;
  int32_t h = edge_resource_handle(self);
  if (h < 0 || check_address(address) || check_count(n)) return NULL;
  i2c_result_bytes_t r;
  i2c_read(h, address, (uint64_t)n, &r);
  return r.is_err ? raise_i2c(r.val.err) : edge_take_bytes(r.val.ok.ptr, r.val.ok.len);
}

static PyObject *bus_write(PyObject *self, PyObject *args) {
  int address;
  Py_buffer data;
  if (!PyArg_ParseTuple(args, "iy*:write", &address, &data)) return NULL;
  int32_t h = edge_resource_handle(self);
  PyObject *out = NULL;
  if (h >= 0 && check_address(address) == 0) {
    i2c_result_unit_t r;
    i2c_write(h, address, data.buf, (size_t)data.len, &r);
    out = r.is_err ? raise_i2c(r.err) : Py_NewRef(Py_None);
  }
  PyBuffer_Release(&data);
  return out;
}

static PyObject *bus_transaction(PyObject *self, PyObject *args) {
  int address;
  PyObject *ops_in;
  if (!PyArg_ParseTuple(args, "iO:transaction", &address, &ops_in)) return NULL;
  int32_t h = edge_resource_handle(self);
  if (h < 0 || check_address(address)) return NULL;
  PyObject *seq = PySequence_Fast(ops_in, "transaction() takes a sequence of operations (int: read, bytes: write)");
  if (!seq) return NULL;
  Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
  i2c_operation_t *ops = PyMem_Calloc((size_t)n + 1, sizeof *ops);
  Py_buffer *bufs = PyMem_Calloc((size_t)n + 1, sizeof *bufs);
  Py_ssize_t held = 0;
  PyObject *out = NULL;
  if (!ops || !bufs) {
    PyErr_NoMemory();
    goto done;
  }
  for (Py_ssize_t i = 0; i < n; i++) {
    PyObject *op = PySequence_Fast_GET_ITEM(seq, i);
    if (PyLong_Check(op)) {
      Py_ssize_t len = PyLong_AsSsize_t(op);
      if ((len == -1 && PyErr_Occurred()) || check_count(len)) goto done;
      ops[i] = i2c_op_read((uint64_t)len);
    } else if (PyObject_CheckBuffer(op) && !PyUnicode_Check(op)) {
      if (PyObject_GetBuffer(op, &bufs[held], PyBUF_SIMPLE) < 0) goto done;
      ops[i] = i2c_op_write(bufs[held].buf, (size_t)bufs[held].len);
      held++;
    } else {
      PyErr_Format(PyExc_TypeError, "transaction operation %zd: expected int (read) or bytes-like (write), got %.100s", i,
                   Py_TYPE(op)->tp_name);
      goto done;
    }
  }
  i2c_result_lists_t r;
  i2c_transaction(h, address, ops, (size_t)n, &r);
  if (r.is_err) {
    raise_i2c(r.val.err);
    goto done;
  }
  out = PyList_New((Py_ssize_t)r.val.ok.len);
  for (size_t i = 0; i < r.val.ok.len; i++) {
    PyObject *b = edge_take_bytes(r.val.ok.ptr[i].ptr, r.val.ok.ptr[i].len);
    if (out && b) PyList_SET_ITEM(out, (Py_ssize_t)i, b);
    else Py_XDECREF(b);
  }
  cabi_free_list(r.val.ok.ptr, r.val.ok.len);
done:
  for (Py_ssize_t i = 0; i < held; i++) PyBuffer_Release(&bufs[i]);
  PyMem_Free(ops);
  PyMem_Free(bufs);
  Py_DECREF(seq);
  return out;
}

static PyMethodDef bus_methods[] = {
  {"write_read", bus_write_read, METH_VARARGS, "write_read(address, data, n) -> bytes: writes data, then reads n bytes (a repeated start)."},
  {"read", bus_read, METH_VARARGS, "read(address, n) -> bytes"},
  {"write", bus_write, METH_VARARGS, "write(address, data)"},
  {"transaction", bus_transaction, METH_VARARGS,
   "transaction(address, ops) -> [bytes]: ops run as one transaction; an int reads that many bytes, a bytes-like writes.\n"
   "Returns one bytes per read."},
  {NULL, NULL, 0, NULL},
};

static PyTypeObject Bus_Type = {
  PyVarObject_HEAD_INIT(NULL, 0)
  .tp_name = "edge.i2c.Bus",
  .tp_doc = "An open I2C bus (wasi:i2c i2c resource).",
  .tp_methods = bus_methods,
};

static void drop_bus(int32_t h) { i2c_drop(h); }

static PyObject *i2c_buses(PyObject *m, PyObject *unused) {
  (void)m, (void)unused;
  cabi_string_list_t names;
  access_list_i2c_buses(&names);
  return edge_take_strings(names.ptr, names.len);
}

static PyObject *i2c_open(PyObject *m, PyObject *args) {
  (void)m;
  edge_text_t name;
  if (!PyArg_ParseTuple(args, "O&:open", edge_text, &name)) return NULL;
  access_result_i2c_t r;
  access_open_i2c(name.ptr, (size_t)name.len, &r);
  if (!r.is_err) return edge_resource_new(&Bus_Type, r.val.handle, drop_bus);
  const char *code = access_error_name(r.val.err.tag);
  if (r.val.err.tag != ACCESS_UNAVAILABLE) return edge_raise_n(AccessError, code, name.ptr, (size_t)name.len);
  edge_raise_n(AccessError, code, r.val.err.message.ptr, r.val.err.message.len);
  cabi_free_list(r.val.err.message.ptr, r.val.err.message.len);
  return NULL;
}

static PyMethodDef i2c_functions[] = {
  {"buses", i2c_buses, METH_NOARGS, "buses() -> [str]: the I2C buses this app may open."},
  {"open", i2c_open, METH_VARARGS, "open(name) -> Bus; AccessError if the host has no such bus or does not grant it."},
  {NULL, NULL, 0, NULL},
};

static struct PyModuleDef i2c_def = {PyModuleDef_HEAD_INIT, "edge.i2c", "I2C buses (wasi:i2c).", -1, i2c_functions,
                                     NULL, NULL, NULL, NULL};

PyObject *edge_i2c_module(void) {
  PyObject *m = PyModule_Create(&i2c_def);
  if (!m) return NULL;
  I2CError = edge_add_error(m, "edge.i2c.I2CError", "I2CError", "A wasi:i2c error-code (.code; .detail is the NACK source).");
  AccessError = edge_add_error(m, "edge.i2c.AccessError", "AccessError", "The host refused to open a bus (wasi-edge:host/access access-error).");
  if (!I2CError || !AccessError || edge_add_resource_type(m, &Bus_Type) < 0) {
    Py_DECREF(m);
    return NULL;
  }
  return m;
}
