// edge.vision: wasi:vision@0.1.0-draft images, which live in the host.
//
//   Image.from_frame(frame, index=0)   a host-memory entry is taken over (no pixel copy; the buffer
//                                      returns to the pool when the image closes), a by-value one copied
//   Image.from_encoded(data), Image.from_pixels(width, height, format, data)
//   .width .height .pixel_format; crop(x, y, w, h); resize(w, h, method="bilinear"); convert(format)
//   to_tensor(width, height, method="bilinear", layout="nhwc", type="fp32", channels="rgb",
//             scale=None, offset=0.0, mean=None, std=None) -> edge.nn.Tensor
//   encode(format="png", quality=90) -> bytes; read() -> bytes; draw_rect(x, y, w, h, color=(0, 255, 0), thickness=1)
// Errors raise VisionError: .code invalid-argument | out-of-bounds | unsupported-format |
// decode-failed | too-large | not-supported | stale-frame, .detail the message (or the format).
#include "edge.h"
#include "wasi_vision.h"

static PyObject *VisionError;

static const char *const FORMATS[] = {"gray", "rgb24", "bgr24", "argb32", "abgr32", "yuy2", "mjpeg", "rgba32", "nv12", "i420", NULL};
static const char *const METHODS[] = {"nearest", "bilinear", "area", NULL};
static const char *const LAYOUTS[] = {"nhwc", "nchw", NULL};
static const char *const CHANNELS[] = {"rgb", "bgr", "gray", NULL};
static const char *const TYPES[] = {"fp16", "fp32", "fp64", "bf16", "u8", "i32", "i64", NULL};

/** The index of `name` in `names`, or -1 with ValueError naming the choices. */
static int choose(const char *what, const char *name, const char *const *names) {
  for (int i = 0; names[i]; i++)
    if (!strcmp(name, names[i])) return i;
  char choices[160] = "";
  for (int i = 0; names[i]; i++) snprintf(choices + strlen(choices), sizeof choices - strlen(choices), "%s%s", i ? " " : "", names[i]);
  PyErr_Format(PyExc_ValueError, "%s %s: expected one of %s", what, name, choices);
  return -1;
}

static PyObject *raise_vision(vision_error_t *e) {
  const char *code = vision_error_name(e->tag);
  if (e->tag == VISION_E_INVALID_ARGUMENT || e->tag == VISION_E_DECODE_FAILED || e->tag == VISION_E_NOT_SUPPORTED) {
    edge_raise_n(VisionError, code, e->val.message.ptr, e->val.message.len);
    cabi_free_list(e->val.message.ptr, e->val.message.len);
    return NULL;
  }
  if (e->tag == VISION_E_UNSUPPORTED_FORMAT) return edge_raise(VisionError, code, e->val.format < 10 ? FORMATS[e->val.format] : "?");
  return edge_raise(VisionError, code, NULL);
}

static PyTypeObject Image_Type;
static void image_drop(int32_t h) { vision_image_drop(h); }

static PyObject *image_result(vision_result_handle_t *r) {
  return r->is_err ? raise_vision(&r->val.err) : edge_resource_new(&Image_Type, r->val.handle, image_drop);
}

static PyObject *bytes_result(vision_result_bytes_t *r) {
  return r->is_err ? raise_vision(&r->val.err) : edge_take_bytes(r->val.ok.ptr, r->val.ok.len);
}

// ---------------------------------------------------------------- constructors

static PyObject *image_from_frame(PyObject *cls, PyObject *args) {
  (void)cls;
  PyObject *frame;
  Py_ssize_t index = 0;
  if (!PyArg_ParseTuple(args, "O!|n:from_frame", &EdgeFrame_Type, &frame, &index)) return NULL;
  vision_result_handle_t r;
  uint32_t w, h, stride;
  int format;
  PyObject *bytes;
  int32_t memory = edge_frame_take_host_memory(frame, index);
  if (memory >= 0) {
    vision_from_host_memory(memory, &r);  // the host takes the memory handle
  } else if (PyErr_Occurred()) {
    return NULL;
  } else if (edge_frame_by_value(frame, index, &w, &h, &stride, &format, &bytes)) {
    vision_from_frame_raw(0, 0, (int32_t)w, (int32_t)h, (int32_t)stride, format, (int32_t)(intptr_t)PyBytes_AS_STRING(bytes),
                          (int32_t)PyBytes_GET_SIZE(bytes), &r);
  } else {
    return PyErr_Format(PyExc_ValueError, "frame entry %zd has no image (closed, or already taken by another image)", index);
  }
  return image_result(&r);
}

static PyObject *image_from_encoded(PyObject *cls, PyObject *args) {
  (void)cls;
  Py_buffer data;
  if (!PyArg_ParseTuple(args, "y*:from_encoded", &data)) return NULL;
  vision_result_handle_t r;
  vision_from_encoded_raw(data.buf, (size_t)data.len, &r);
  PyBuffer_Release(&data);
  return image_result(&r);
}

static PyObject *image_from_pixels(PyObject *cls, PyObject *args) {
  (void)cls;
  unsigned int w, h;
  const char *format;
  Py_buffer data;
  if (!PyArg_ParseTuple(args, "IIsy*:from_pixels", &w, &h, &format, &data)) return NULL;
  int f = choose("pixel format", format, FORMATS);
  PyObject *out = NULL;
  if (f >= 0) {
    vision_result_handle_t r;
    vision_from_pixels_raw(w, h, f, NULL, 0, data.buf, (size_t)data.len, &r);  // no planes: the tightly packed layout
    out = image_result(&r);
  }
  PyBuffer_Release(&data);
  return out;
}

// ---------------------------------------------------------------- methods

static PyObject *image_width(PyObject *self, void *unused) {
  (void)unused;
  int32_t h = edge_resource_handle(self);
  return h < 0 ? NULL : PyLong_FromUnsignedLong(vision_width(h));
}

static PyObject *image_height(PyObject *self, void *unused) {
  (void)unused;
  int32_t h = edge_resource_handle(self);
  return h < 0 ? NULL : PyLong_FromUnsignedLong(vision_height(h));
}

static PyObject *image_pixel_format(PyObject *self, void *unused) {
  (void)unused;
  int32_t h = edge_resource_handle(self);
  if (h < 0) return NULL;
  int f = vision_pixel_format(h);
  return PyUnicode_FromString(f >= 0 && f < 10 ? FORMATS[f] : "unknown");
}

static PyObject *image_crop(PyObject *self, PyObject *args) {
  unsigned int x, y, w, hh;
  if (!PyArg_ParseTuple(args, "IIII:crop", &x, &y, &w, &hh)) return NULL;
  int32_t h = edge_resource_handle(self);
  if (h < 0) return NULL;
  vision_result_handle_t r;
  vision_crop_raw(h, x, y, w, hh, &r);
  return image_result(&r);
}

static PyObject *image_resize(PyObject *self, PyObject *args, PyObject *kwargs) {
  static char *keywords[] = {"width", "height", "method", NULL};
  unsigned int w, hh;
  const char *method = "bilinear";
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "II|s:resize", keywords, &w, &hh, &method)) return NULL;
  int m = choose("resize method", method, METHODS);
  int32_t h = m < 0 ? -1 : edge_resource_handle(self);
  if (h < 0) return NULL;
  vision_result_handle_t r;
  vision_resize(h, w, hh, m, &r);
  return image_result(&r);
}

static PyObject *image_convert(PyObject *self, PyObject *args) {
  const char *format;
  if (!PyArg_ParseTuple(args, "s:convert", &format)) return NULL;
  int f = choose("pixel format", format, FORMATS);
  int32_t h = f < 0 ? -1 : edge_resource_handle(self);
  if (h < 0) return NULL;
  vision_result_handle_t r;
  vision_convert(h, f, &r);
  return image_result(&r);
}

static PyObject *image_encode(PyObject *self, PyObject *args, PyObject *kwargs) {
  static char *keywords[] = {"format", "quality", NULL};
  const char *format = "png";
  unsigned char quality = 90;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|sb:encode", keywords, &format, &quality)) return NULL;
  int e = !strcmp(format, "png") ? VISION_PNG : !strcmp(format, "jpeg") ? VISION_JPEG : -1;
  if (e < 0) return PyErr_Format(PyExc_ValueError, "encoding %s: expected png or jpeg", format);
  int32_t h = edge_resource_handle(self);
  if (h < 0) return NULL;
  vision_result_bytes_t r;
  vision_encode(h, e, quality, &r);
  return bytes_result(&r);
}

static PyObject *image_read(PyObject *self, PyObject *unused) {
  (void)unused;
  int32_t h = edge_resource_handle(self);
  if (h < 0) return NULL;
  vision_result_bytes_t r;
  vision_read(h, NULL, &r);
  return bytes_result(&r);
}

/** A list<f32> from a sequence of numbers into *out (PyMem); its length in *n. */
static int float_list(const char *what, PyObject *in, float **out, size_t *n) {
  PyObject *seq = PySequence_Fast(in, what);
  if (!seq) return -1;
  *n = (size_t)PySequence_Fast_GET_SIZE(seq);
  *out = PyMem_Calloc(*n + 1, sizeof **out);
  for (size_t i = 0; *out && i < *n; i++) {
    double v = PyFloat_AsDouble(PySequence_Fast_GET_ITEM(seq, (Py_ssize_t)i));
    if (v == -1.0 && PyErr_Occurred()) {
      Py_DECREF(seq);
      return -1;
    }
    (*out)[i] = (float)v;
  }
  Py_DECREF(seq);
  return *out ? 0 : (PyErr_NoMemory(), -1);
}

static PyObject *image_to_tensor(PyObject *self, PyObject *args, PyObject *kwargs) {
  static char *keywords[] = {"width", "height", "method", "layout", "type", "channels", "scale", "offset", "mean", "std", NULL};
  unsigned int w, hh;
  const char *method = "bilinear", *layout = "nhwc", *type = "fp32", *channels = "rgb";
  PyObject *scale = Py_None, *mean = Py_None, *std = Py_None;
  double offset = 0.0;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "II|ssssOdOO:to_tensor", keywords, &w, &hh, &method, &layout, &type, &channels,
                                   &scale, &offset, &mean, &std))
    return NULL;
  vision_tensor_options_t o = {w, hh, choose("resize method", method, METHODS), choose("tensor layout", layout, LAYOUTS),
                               choose("tensor type", type, TYPES), choose("channel order", channels, CHANNELS),
                               VISION_NORM_NONE, 0.f, 0.f, NULL, 0, NULL, 0};
  if (PyErr_Occurred()) return NULL;
  float *m = NULL, *s = NULL;
  PyObject *out = NULL;
  if (scale != Py_None) {
    double v = PyFloat_AsDouble(scale);
    if (v == -1.0 && PyErr_Occurred()) return NULL;
    o.norm_tag = VISION_NORM_SCALE_OFFSET, o.scale = (float)v, o.offset = (float)offset;
  } else if (mean != Py_None || std != Py_None) {
    if (mean == Py_None || std == Py_None) return PyErr_Format(PyExc_TypeError, "to_tensor(): mean and std go together");
    if (float_list("mean must be a sequence of float", mean, &m, &o.mean_len) < 0 ||
        float_list("std must be a sequence of float", std, &s, &o.std_len) < 0)
      goto done;
    o.norm_tag = VISION_NORM_MEAN_STD, o.mean = m, o.std = s;
  }
  int32_t h = edge_resource_handle(self);
  if (h >= 0) {
    vision_result_handle_t r;
    vision_to_tensor(h, &o, &r);
    out = r.is_err ? raise_vision(&r.val.err) : edge_tensor_wrap(r.val.handle);
  }
done:
  PyMem_Free(m);
  PyMem_Free(s);
  return out;
}

static PyObject *image_draw_rect(PyObject *self, PyObject *args, PyObject *kwargs) {
  static char *keywords[] = {"x", "y", "width", "height", "color", "thickness", NULL};
  unsigned int x, y, w, hh, thickness = 1;
  unsigned char cr = 0, cg = 255, cb = 0;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "IIII|(bbb)I:draw_rect", keywords, &x, &y, &w, &hh, &cr, &cg, &cb, &thickness))
    return NULL;
  int32_t h = edge_resource_handle(self);
  if (h < 0) return NULL;
  vision_result_unit_t r;
  vision_draw_rect_raw(h, x, y, w, hh, cr, cg, cb, thickness, &r);
  return r.is_err ? raise_vision(&r.val.err) : Py_NewRef(Py_None);
}

static PyMethodDef image_methods[] = {
  {"from_frame", image_from_frame, METH_VARARGS | METH_CLASS,
   "from_frame(frame, index=0) -> Image: a host-memory entry is taken over without a copy; a by-value one is copied."},
  {"from_encoded", image_from_encoded, METH_VARARGS | METH_CLASS, "from_encoded(data) -> Image: PNG or JPEG bytes."},
  {"from_pixels", image_from_pixels, METH_VARARGS | METH_CLASS, "from_pixels(width, height, format, data) -> Image (tightly packed)."},
  {"crop", image_crop, METH_VARARGS, "crop(x, y, width, height) -> Image"},
  {"resize", (PyCFunction)(void (*)(void))image_resize, METH_VARARGS | METH_KEYWORDS, "resize(width, height, method=\"bilinear\") -> Image"},
  {"convert", image_convert, METH_VARARGS, "convert(format) -> Image"},
  {"encode", (PyCFunction)(void (*)(void))image_encode, METH_VARARGS | METH_KEYWORDS, "encode(format=\"png\", quality=90) -> bytes"},
  {"read", image_read, METH_NOARGS, "read() -> bytes: the pixels (a copy into this app)."},
  {"to_tensor", (PyCFunction)(void (*)(void))image_to_tensor, METH_VARARGS | METH_KEYWORDS,
   "to_tensor(width, height, method=\"bilinear\", layout=\"nhwc\", type=\"fp32\", channels=\"rgb\", scale=None, offset=0.0,\n"
   "mean=None, std=None) -> edge.nn.Tensor: resized and normalised on the host (x * scale + offset, or (x - mean) / std)."},
  {"draw_rect", (PyCFunction)(void (*)(void))image_draw_rect, METH_VARARGS | METH_KEYWORDS,
   "draw_rect(x, y, width, height, color=(0, 255, 0), thickness=1)"},
  {NULL, NULL, 0, NULL},
};

static PyGetSetDef image_getset[] = {
  {"width", image_width, NULL, "Width in pixels.", NULL},
  {"height", image_height, NULL, "Height in pixels.", NULL},
  {"pixel_format", image_pixel_format, NULL, "The pixel format's WIT name (rgb24, ...).", NULL},
  {NULL, NULL, NULL, NULL, NULL},
};

static PyTypeObject Image_Type = {
  PyVarObject_HEAD_INIT(NULL, 0)
  .tp_name = "edge.vision.Image",
  .tp_doc = "An image held by the host (wasi:vision image resource).",
  .tp_methods = image_methods,
  .tp_getset = image_getset,
};

static struct PyModuleDef vision_def = {PyModuleDef_HEAD_INIT, "edge.vision", "Host-side images (wasi:vision).", -1, NULL,
                                        NULL, NULL, NULL, NULL};

PyObject *edge_vision_module(void) {
  PyObject *m = PyModule_Create(&vision_def);
  if (!m) return NULL;
  VisionError = edge_add_error(m, "edge.vision.VisionError", "VisionError", "A wasi:vision vision-error (.code, .detail).");
  if (!VisionError || edge_add_resource_type(m, &Image_Type) < 0) {
    Py_DECREF(m);
    return NULL;
  }
  return m;
}
