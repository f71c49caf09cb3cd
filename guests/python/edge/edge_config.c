// edge.config: wasi:config/store@0.2.0-rc.1, the app's settings from the host configuration.
//
//   get(key) -> str | None; get_all() -> {key: value}
// A store failure raises ConfigError (.code upstream | io, .detail its message).
#include "edge.h"
#include "wasi_config.h"

static PyObject *ConfigError;

static PyObject *raise_config(config_error_t *e) {
  edge_raise_n(ConfigError, e->tag == CONFIG_ERR_IO ? "io" : "upstream", e->message.ptr, e->message.len);
  cabi_free_list(e->message.ptr, e->message.len);
  return NULL;
}

static PyObject *take_string(cabi_string_t *s) {
  PyObject *out = PyUnicode_DecodeUTF8(s->ptr, (Py_ssize_t)s->len, "replace");
  cabi_free_list(s->ptr, s->len);
  return out;
}

static PyObject *config_get_fn(PyObject *m, PyObject *args) {
  (void)m;
  edge_text_t key;
  if (!PyArg_ParseTuple(args, "O&:get", edge_text, &key)) return NULL;
  config_result_get_t r;
  config_get(key.ptr, (size_t)key.len, &r);
  if (r.is_err) return raise_config(&r.val.err);
  if (!r.val.ok.is_some) Py_RETURN_NONE;
  return take_string(&r.val.ok.value);
}

static PyObject *config_get_all_fn(PyObject *m, PyObject *unused) {
  (void)m, (void)unused;
  config_result_all_t r;
  config_get_all(&r);
  if (r.is_err) return raise_config(&r.val.err);
  PyObject *out = PyDict_New();
  for (size_t i = 0; i < r.val.ok.len; i++) {
    PyObject *k = take_string(&r.val.ok.ptr[i].key), *v = take_string(&r.val.ok.ptr[i].value);
    if (!out || !k || !v || PyDict_SetItem(out, k, v) < 0) Py_CLEAR(out);
    Py_XDECREF(k);
    Py_XDECREF(v);
  }
  cabi_free_list(r.val.ok.ptr, r.val.ok.len);
  return out;
}

static PyMethodDef config_functions[] = {
  {"get", config_get_fn, METH_VARARGS, "get(key) -> str or None"},
  {"get_all", config_get_all_fn, METH_NOARGS, "get_all() -> {key: value}"},
  {NULL, NULL, 0, NULL},
};

static struct PyModuleDef config_def = {PyModuleDef_HEAD_INIT, "edge.config", "The app's settings (wasi:config/store).", -1,
                                        config_functions, NULL, NULL, NULL, NULL};

PyObject *edge_config_module(void) {
  PyObject *m = PyModule_Create(&config_def);
  if (!m) return NULL;
  ConfigError = edge_add_error(m, "edge.config.ConfigError", "ConfigError", "A wasi:config store error (.code upstream | io).");
  if (!ConfigError) {
    Py_DECREF(m);
    return NULL;
  }
  return m;
}
