// edge.sensor: wasi:sensor devices and the wasi:buffer-pool pools they fill.
//
//   devices() -> [name]; open(name) -> Device
//   Device.dimension() -> (width, height, stride_bytes, pixel_format); Device.sampling_rate() -> (num, den)
//   Device.set_sampling_rate(num, den); Device.start(pool_name); Device.stop()
//   Pool(name, size, buffers=8, mode="discard")       mode: off | discard | overwrite | unlimited
//   Pool.ready() -> bool; Pool.wait(); Pool.read_frames(max=1) -> [Frame]; Pool.statistics() -> dict
//   Frame: .sequence, .timestamp, .kinds ("by-value" | "host-memory" per entry), .data(i=0) -> bytes
//          (a by-value entry), .dimension(i=0); close() returns its host-memory buffers to the pool.
// A host-memory entry stays in the host: edge.vision.Image.from_frame(frame) takes it over without
// copying a pixel. Device errors raise SensorError, pool errors PoolError (.code: the shared
// case names, not-found ... unknown).
#include "edge.h"
#include "wasi_sensor.h"

static PyObject *SensorError, *PoolError;

static const char *const FORMAT_NAMES[] = {"gray", "rgb24", "bgr24", "argb32", "abgr32", "yuy2", "mjpeg"};
static const char *const MODE_NAMES[] = {"off", "discard", "overwrite", "unlimited"};

static PyObject *raise_device(uint8_t e) { return edge_raise(SensorError, bp_error_name(e), NULL); }
static PyObject *raise_pool(uint8_t e) { return edge_raise(PoolError, bp_error_name(e), NULL); }

static PyObject *format_name(uint8_t f) { return PyUnicode_FromString(f < 7 ? FORMAT_NAMES[f] : "unknown"); }

static PyObject *dimension_tuple(const bp_dimension_t *d) {
  PyObject *f = format_name(d->pixel_format);
  return f ? Py_BuildValue("(IIIN)", d->width, d->height, d->stride_bytes, f) : NULL;
}

// ---------------------------------------------------------------- frames

typedef struct {
  uint8_t tag;           // BP_BY_VALUE or BP_HOST_MEMORY
  int32_t memory;        // host-memory handle, -1 once taken or dropped
  bp_dimension_t dim;    // by-value
  PyObject *bytes;       // by-value payload (a copy: the host put it in our memory)
} frame_entry_t;

typedef struct {
  PyObject_HEAD
  uint64_t sequence, timestamp;
  Py_ssize_t n;
  frame_entry_t *entries;
} EdgeFrame;

static void frame_release(EdgeFrame *f) {
  for (Py_ssize_t i = 0; i < f->n; i++) {
    if (f->entries[i].memory >= 0) bp_memory_drop(f->entries[i].memory);  // the buffer goes back to the pool
    f->entries[i].memory = -1;
    Py_CLEAR(f->entries[i].bytes);
  }
}

static void frame_dealloc(PyObject *self) {
  EdgeFrame *f = (EdgeFrame *)self;
  frame_release(f);
  PyMem_Free(f->entries);
  Py_TYPE(self)->tp_free(self);
}

static PyObject *frame_close(PyObject *self, PyObject *unused) {
  (void)unused;
  frame_release((EdgeFrame *)self);
  Py_RETURN_NONE;
}

static PyObject *frame_enter(PyObject *self, PyObject *unused) {
  (void)unused;
  return Py_NewRef(self);
}

static PyObject *frame_exit(PyObject *self, PyObject *args) {
  (void)args;
  frame_release((EdgeFrame *)self);
  Py_RETURN_FALSE;
}

static frame_entry_t *entry_at(PyObject *self, Py_ssize_t i) {
  EdgeFrame *f = (EdgeFrame *)self;
  if (i < 0 || i >= f->n) {
    PyErr_Format(PyExc_IndexError, "frame entry %zd: the frame has %zd", i, f->n);
    return NULL;
  }
  return &f->entries[i];
}

static PyObject *frame_data(PyObject *self, PyObject *args) {
  Py_ssize_t i = 0;
  if (!PyArg_ParseTuple(args, "|n:data", &i)) return NULL;
  frame_entry_t *e = entry_at(self, i);
  if (!e) return NULL;
  if (e->tag != BP_BY_VALUE) return PyErr_Format(PyExc_ValueError, "frame entry %zd is host memory: its pixels stay in the host (use edge.vision)", i);
  if (!e->bytes) return PyErr_Format(PyExc_ValueError, "the frame is closed");
  return Py_NewRef(e->bytes);
}

static PyObject *frame_dimension(PyObject *self, PyObject *args) {
  Py_ssize_t i = 0;
  if (!PyArg_ParseTuple(args, "|n:dimension", &i)) return NULL;
  frame_entry_t *e = entry_at(self, i);
  if (!e) return NULL;
  if (e->tag != BP_BY_VALUE) return PyErr_Format(PyExc_ValueError, "frame entry %zd is host memory (edge.vision.Image.from_frame gives its size)", i);
  return dimension_tuple(&e->dim);
}

static PyObject *frame_kinds(PyObject *self, void *unused) {
  (void)unused;
  EdgeFrame *f = (EdgeFrame *)self;
  PyObject *out = PyList_New(f->n);
  for (Py_ssize_t i = 0; out && i < f->n; i++)
    PyList_SET_ITEM(out, i, PyUnicode_FromString(f->entries[i].tag == BP_HOST_MEMORY ? "host-memory" : "by-value"));
  return out;
}

static PyObject *frame_sequence(PyObject *self, void *unused) {
  (void)unused;
  return PyLong_FromUnsignedLongLong(((EdgeFrame *)self)->sequence);
}

static PyObject *frame_timestamp(PyObject *self, void *unused) {
  (void)unused;
  return PyLong_FromUnsignedLongLong(((EdgeFrame *)self)->timestamp);
}

static PyMethodDef frame_methods[] = {
  {"data", frame_data, METH_VARARGS, "data(index=0) -> bytes: the payload of a by-value entry."},
  {"dimension", frame_dimension, METH_VARARGS, "dimension(index=0) -> (width, height, stride_bytes, pixel_format) of a by-value entry."},
  {"close", frame_close, METH_NOARGS, "Returns the frame's host-memory buffers to the pool (also on garbage collection)."},
  {"__enter__", frame_enter, METH_NOARGS, NULL},
  {"__exit__", frame_exit, METH_VARARGS, NULL},
  {NULL, NULL, 0, NULL},
};

static PyGetSetDef frame_getset[] = {
  {"sequence", frame_sequence, NULL, "The frame's sequence number.", NULL},
  {"timestamp", frame_timestamp, NULL, "The frame's timestamp (ns).", NULL},
  {"kinds", frame_kinds, NULL, "Per entry: \"by-value\" or \"host-memory\".", NULL},
  {NULL, NULL, NULL, NULL, NULL},
};

PyTypeObject EdgeFrame_Type = {
  PyVarObject_HEAD_INIT(NULL, 0)
  .tp_name = "edge.sensor.Frame",
  .tp_basicsize = sizeof(EdgeFrame),
  .tp_flags = Py_TPFLAGS_DEFAULT,
  .tp_doc = "A frame read from a pool: by-value entries carry bytes, host-memory entries stay in the host.",
  .tp_dealloc = frame_dealloc,
  .tp_methods = frame_methods,
  .tp_getset = frame_getset,
};

int32_t edge_frame_take_host_memory(PyObject *frame, Py_ssize_t index) {
  frame_entry_t *e = entry_at(frame, index);
  if (!e || e->tag != BP_HOST_MEMORY || e->memory < 0) return -1;
  int32_t m = e->memory;
  e->memory = -1;
  return m;
}

int edge_frame_by_value(PyObject *frame, Py_ssize_t index, uint32_t *w, uint32_t *h, uint32_t *stride, int *format, PyObject **bytes) {
  frame_entry_t *e = entry_at(frame, index);
  if (!e) {
    PyErr_Clear();
    return 0;
  }
  if (e->tag != BP_BY_VALUE || !e->bytes) return 0;
  *w = e->dim.width, *h = e->dim.height, *stride = e->dim.stride_bytes, *format = e->dim.pixel_format;
  *bytes = e->bytes;
  return 1;
}

/** A Frame from one frame-info; takes its host-memory handles and copies its by-value payloads. */
static PyObject *frame_from(const bp_frame_info_t *info) {
  EdgeFrame *f = PyObject_New(EdgeFrame, &EdgeFrame_Type);
  if (!f) return NULL;
  f->sequence = info->sequence_number;
  f->timestamp = info->timestamp;
  f->n = (Py_ssize_t)info->data_len;
  f->entries = PyMem_Calloc(info->data_len + 1, sizeof *f->entries);
  if (!f->entries) {
    f->n = 0;
    Py_DECREF(f);
    return PyErr_NoMemory();
  }
  for (size_t i = 0; i < info->data_len; i++) f->entries[i].memory = -1;
  for (size_t i = 0; i < info->data_len; i++) {
    const bp_frame_data_t *d = &info->data[i];
    frame_entry_t *e = &f->entries[i];
    e->tag = d->tag;
    if (d->tag == BP_HOST_MEMORY) {
      e->memory = d->val.host_memory;
    } else {
      e->dim = d->val.by_value.image.dimension;
      e->bytes = PyBytes_FromStringAndSize((const char *)d->val.by_value.image.payload, (Py_ssize_t)d->val.by_value.image.payload_len);
      if (!e->bytes) {
        Py_DECREF(f);
        return NULL;
      }
    }
  }
  return (PyObject *)f;
}

// ---------------------------------------------------------------- pools

typedef struct {
  EdgeResource base;
  int32_t pollable;  // -1 until the first ready()/wait()
} EdgePool;

static void pool_drop(int32_t h) { bp_pool_drop(h); }

static void pool_release_pollable(EdgePool *p) {
  if (p->pollable >= 0) poll_pollable_drop(p->pollable);  // a child of the pool: dropped first
  p->pollable = -1;
}

static void pool_dealloc(PyObject *self) {
  pool_release_pollable((EdgePool *)self);
  EdgeResource_Type.tp_dealloc(self);
}

static PyObject *pool_close(PyObject *self, PyObject *unused) {
  (void)unused;
  pool_release_pollable((EdgePool *)self);
  EdgeResource *r = (EdgeResource *)self;
  if (r->drop) r->drop(r->handle);
  r->drop = NULL;
  Py_RETURN_NONE;
}

static PyObject *pool_exit(PyObject *self, PyObject *args) {
  (void)args;
  PyObject *r = pool_close(self, NULL);
  Py_XDECREF(r);
  Py_RETURN_FALSE;
}

static int32_t pool_pollable(PyObject *self) {
  EdgePool *p = (EdgePool *)self;
  int32_t h = edge_resource_handle(self);
  if (h < 0) return -1;
  if (p->pollable < 0) p->pollable = bp_pool_subscribe(h);
  return p->pollable;
}

static PyObject *pool_ready(PyObject *self, PyObject *unused) {
  (void)unused;
  int32_t p = pool_pollable(self);
  return p < 0 ? NULL : PyBool_FromLong(poll_pollable_ready(p));
}

static PyObject *pool_wait(PyObject *self, PyObject *unused) {
  (void)unused;
  int32_t p = pool_pollable(self);
  if (p < 0) return NULL;
  poll_pollable_block(p);
  Py_RETURN_NONE;
}

static PyObject *pool_read_frames(PyObject *self, PyObject *args) {
  unsigned int max = 1;
  if (!PyArg_ParseTuple(args, "|I:read_frames", &max)) return NULL;
  int32_t h = edge_resource_handle(self);
  if (h < 0) return NULL;
  bp_result_frames_t r;
  bp_pool_read_frames(h, max, &r);
  if (r.is_err) return raise_pool(r.val.err);
  PyObject *out = PyList_New((Py_ssize_t)r.val.ok.len);
  for (size_t i = 0; i < r.val.ok.len; i++) {
    PyObject *f = out ? frame_from(&r.val.ok.ptr[i]) : NULL;
    if (f) {
      PyList_SET_ITEM(out, (Py_ssize_t)i, f);
    } else {
      Py_CLEAR(out);
      for (size_t j = 0; j < r.val.ok.ptr[i].data_len; j++)  // not wrapped: return its buffers now
        if (r.val.ok.ptr[i].data[j].tag == BP_HOST_MEMORY) bp_memory_drop(r.val.ok.ptr[i].data[j].val.host_memory);
    }
  }
  bp_free_frames(r.val.ok.ptr, r.val.ok.len);  // payloads were copied; host-memory handles are the frames' now
  return out;
}

static PyObject *pool_statistics(PyObject *self, PyObject *unused) {
  (void)unused;
  int32_t h = edge_resource_handle(self);
  if (h < 0) return NULL;
  bp_result_statistics_t r;
  bp_pool_get_statistics(h, &r);
  if (r.is_err) return raise_pool(r.val.err);
  return Py_BuildValue("{sKsKsK}", "enqueued", r.val.ok.enqueued, "dropped", r.val.ok.dropped, "dequeued", r.val.ok.dequeued);
}

static int pool_init(PyObject *self, PyObject *args, PyObject *kwargs) {
  static char *keywords[] = {"name", "size", "buffers", "mode", NULL};
  edge_text_t name;
  const char *mode = "discard";
  unsigned int size, buffers = 8;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O&I|Is:Pool", keywords, edge_text, &name, &size, &buffers, &mode)) return -1;
  int m = -1;
  for (int i = 0; i < 4; i++)
    if (!strcmp(mode, MODE_NAMES[i])) m = i;
  if (m < 0) {
    PyErr_Format(PyExc_ValueError, "buffering mode %s: expected off, discard, overwrite or unlimited", mode);
    return -1;
  }
  EdgePool *p = (EdgePool *)self;
  if (p->base.drop) {
    PyErr_SetString(PyExc_RuntimeError, "Pool.__init__ called twice");
    return -1;
  }
  bp_result_handle_t r;
  bp_pool_create(m, size, buffers, name.ptr, (size_t)name.len, &r);
  if (r.is_err) {
    raise_pool(r.val.err);
    return -1;
  }
  p->base.handle = r.val.handle;
  p->base.drop = pool_drop;
  p->pollable = -1;
  return 0;
}

static PyObject *pool_new(PyTypeObject *type, PyObject *args, PyObject *kwargs) {
  (void)args, (void)kwargs;
  EdgePool *p = (EdgePool *)type->tp_alloc(type, 0);
  if (p) p->pollable = -1;
  return (PyObject *)p;
}

static PyMethodDef pool_methods[] = {
  {"ready", pool_ready, METH_NOARGS, "ready() -> bool: a frame can be read now."},
  {"wait", pool_wait, METH_NOARGS, "wait(): blocks until a frame can be read."},
  {"read_frames", pool_read_frames, METH_VARARGS, "read_frames(max=1) -> [Frame]: what is there now (maybe nothing)."},
  {"statistics", pool_statistics, METH_NOARGS, "statistics() -> {enqueued, dropped, dequeued}"},
  {"close", pool_close, METH_NOARGS, "Drops the pool (and its pollable)."},
  {"__exit__", pool_exit, METH_VARARGS, NULL},
  {NULL, NULL, 0, NULL},
};

static PyTypeObject Pool_Type = {
  PyVarObject_HEAD_INIT(NULL, 0)
  .tp_name = "edge.sensor.Pool",
  .tp_basicsize = sizeof(EdgePool),
  .tp_doc = "Pool(name, size, buffers=8, mode=\"discard\"): a wasi:buffer-pool pool; a name ending in -hm\n"
            "delivers host-memory frames on this host.",
  .tp_methods = pool_methods,
  .tp_dealloc = pool_dealloc,
  .tp_init = pool_init,
  .tp_new = pool_new,
};

// ---------------------------------------------------------------- devices

static void device_drop(int32_t h) { sensor_device_drop(h); }

static PyObject *device_property(PyObject *self, int key) {
  int32_t h = edge_resource_handle(self);
  if (h < 0) return NULL;
  sensor_result_property_t r;
  sensor_device_get_property(h, key, &r);
  if (r.is_err) return raise_device(r.val.err);
  if (r.val.ok.tag == SENSOR_VALUE_DIMENSION) return dimension_tuple(&r.val.ok.val.dimension);
  return Py_BuildValue("(II)", r.val.ok.val.fraction.numerator, r.val.ok.val.fraction.denominator);
}

static PyObject *device_dimension(PyObject *self, PyObject *unused) {
  (void)unused;
  return device_property(self, SENSOR_DIMENSION);
}

static PyObject *device_sampling_rate(PyObject *self, PyObject *unused) {
  (void)unused;
  return device_property(self, SENSOR_SAMPLING_RATE);
}

static PyObject *device_set_sampling_rate(PyObject *self, PyObject *args) {
  unsigned int num, den;
  if (!PyArg_ParseTuple(args, "II:set_sampling_rate", &num, &den)) return NULL;
  int32_t h = edge_resource_handle(self);
  if (h < 0) return NULL;
  sensor_result_unit_t r;
  sensor_set_rate(h, num, den, &r);
  return r.is_err ? raise_device(r.err) : Py_NewRef(Py_None);
}

static PyObject *device_start(PyObject *self, PyObject *args) {
  edge_text_t pool;
  if (!PyArg_ParseTuple(args, "O&:start", edge_text, &pool)) return NULL;
  int32_t h = edge_resource_handle(self);
  if (h < 0) return NULL;
  sensor_result_unit_t r;
  sensor_device_start(h, pool.ptr, (size_t)pool.len, &r);
  return r.is_err ? raise_device(r.err) : Py_NewRef(Py_None);
}

static PyObject *device_stop(PyObject *self, PyObject *unused) {
  (void)unused;
  int32_t h = edge_resource_handle(self);
  if (h < 0) return NULL;
  sensor_result_unit_t r;
  sensor_device_stop(h, &r);
  return r.is_err ? raise_device(r.err) : Py_NewRef(Py_None);
}

static PyMethodDef device_methods[] = {
  {"dimension", device_dimension, METH_NOARGS, "dimension() -> (width, height, stride_bytes, pixel_format)"},
  {"sampling_rate", device_sampling_rate, METH_NOARGS, "sampling_rate() -> (numerator, denominator) frames per second"},
  {"set_sampling_rate", device_set_sampling_rate, METH_VARARGS, "set_sampling_rate(numerator, denominator)"},
  {"start", device_start, METH_VARARGS, "start(pool_name): deliver frames into the named pool."},
  {"stop", device_stop, METH_NOARGS, "stop()"},
  {NULL, NULL, 0, NULL},
};

static PyTypeObject Device_Type = {
  PyVarObject_HEAD_INIT(NULL, 0)
  .tp_name = "edge.sensor.Device",
  .tp_doc = "An open sensor (wasi:sensor device resource).",
  .tp_methods = device_methods,
};

static PyObject *sensor_devices(PyObject *m, PyObject *unused) {
  (void)m, (void)unused;
  sensor_result_names_t r;
  sensor_device_list_names(&r);
  if (r.is_err) return raise_device(r.val.err);
  return edge_take_strings(r.val.ok.ptr, r.val.ok.len);
}

static PyObject *sensor_open(PyObject *m, PyObject *args) {
  (void)m;
  edge_text_t name;
  if (!PyArg_ParseTuple(args, "O&:open", edge_text, &name)) return NULL;
  sensor_result_device_t r;
  sensor_device_open(name.ptr, (size_t)name.len, &r);
  if (r.is_err) return edge_raise_n(SensorError, bp_error_name(r.val.err), name.ptr, (size_t)name.len);
  return edge_resource_new(&Device_Type, r.val.handle, device_drop);
}

static PyMethodDef sensor_functions[] = {
  {"devices", sensor_devices, METH_NOARGS, "devices() -> [str]: the sensors this host has."},
  {"open", sensor_open, METH_VARARGS, "open(name) -> Device; SensorError (.code not-found, ...) otherwise."},
  {NULL, NULL, 0, NULL},
};

static struct PyModuleDef sensor_def = {PyModuleDef_HEAD_INIT, "edge.sensor", "Sensors, pools and frames (wasi:sensor, wasi:buffer-pool).",
                                        -1, sensor_functions, NULL, NULL, NULL, NULL};

PyObject *edge_sensor_module(void) {
  PyObject *m = PyModule_Create(&sensor_def);
  if (!m) return NULL;
  SensorError = edge_add_error(m, "edge.sensor.SensorError", "SensorError", "A wasi:sensor device-error (.code).");
  PoolError = edge_add_error(m, "edge.sensor.PoolError", "PoolError", "A wasi:buffer-pool buffer-error (.code).");
  if (!SensorError || !PoolError || edge_add_resource_type(m, &Device_Type) < 0 || edge_add_resource_type(m, &Pool_Type) < 0 ||
      PyType_Ready(&EdgeFrame_Type) < 0 || PyModule_AddObject(m, "Frame", Py_NewRef((PyObject *)&EdgeFrame_Type)) < 0) {
    Py_DECREF(m);
    return NULL;
  }
  return m;
}
