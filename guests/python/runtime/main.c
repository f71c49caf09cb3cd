// The entry point of a Python edge app: CPython 3.11 with the app and the standard-library modules
// it imports frozen into the binary (guests/python/freeze.py), and the `edge` module compiled in.
//
// One .wasm is one app: no file system is needed (no PYTHONHOME, no --dir): module search paths are
// empty, site is off, every import is a frozen or a built-in module. sys.argv is the component's
// arguments with the app's file name in front; the environment is the component's.
//
// An exception that escapes the app is printed with its traceback on stderr and the run ends with
// status 1; SystemExit ends it with its code. Neither traps.
#include <Python.h>
#include <marshal.h>
#include <stdio.h>
#include <string.h>

// freeze.py writes the table in struct _frozen's layout (Include/cpython/import.h).
extern const struct _frozen edge_frozen_modules[];
extern const unsigned char *const edge_app_code;
extern const int edge_app_size;
extern const char edge_app_name[];
PyMODINIT_FUNC PyInit_edge(void);

static int fatal(PyStatus status) {
  if (PyStatus_IsExit(status)) return status.exitcode;
  fprintf(stderr, "python: %s%s%s\n", status.func ? status.func : "", status.func ? ": " : "", status.err_msg ? status.err_msg : "startup failed");
  return 1;
}

static int start(int argc, char **argv) {
  PyPreConfig pre;
  PyPreConfig_InitIsolatedConfig(&pre);
  pre.utf8_mode = 1;  // WASI has no locales: text is UTF-8
  PyStatus status = Py_PreInitialize(&pre);
  if (PyStatus_Exception(status)) return fatal(status);

  PyConfig config;
  PyConfig_InitIsolatedConfig(&config);
  config.site_import = 0;
  config.write_bytecode = 0;
  config.install_signal_handlers = 0;
  config.pathconfig_warnings = 0;   // there is no prefix to find, on purpose
  config.module_search_paths_set = 1;  // ... and no search path: frozen and built-in modules only
  config.use_frozen_modules = 1;
  config.buffered_stdio = 0;  // a line printed is a line the host sees (like python -u)
  config.parse_argv = 0;
  status = PyConfig_SetBytesString(&config, &config.program_name, edge_app_name);
  if (!PyStatus_Exception(status)) {
    // sys.argv[0] is the app's name; the component's own arguments follow (argv[0] is the host's).
    char *args[64];
    int n = 0;
    args[n++] = (char *)edge_app_name;
    for (int i = 1; i < argc && n < 64; i++) args[n++] = argv[i];
    status = PyConfig_SetBytesArgv(&config, n, args);
  }
  if (!PyStatus_Exception(status)) status = Py_InitializeFromConfig(&config);
  PyConfig_Clear(&config);
  if (PyStatus_Exception(status)) return fatal(status);
  return -1;
}

/** The exit status for the exception set now: SystemExit's code, 1 (after the traceback) otherwise. */
static int exit_status(void) {
  if (!PyErr_ExceptionMatches(PyExc_SystemExit)) {
    PyErr_Print();  // sys.excepthook: "Traceback (most recent call last): ..." on stderr
    return 1;
  }
  PyObject *type, *value, *tb;
  PyErr_Fetch(&type, &value, &tb);
  PyErr_NormalizeException(&type, &value, &tb);
  int status = 0;
  PyObject *code = value ? PyObject_GetAttrString(value, "code") : NULL;
  if (code == NULL || code == Py_None) {
    status = 0;
  } else if (PyLong_Check(code)) {
    status = (int)PyLong_AsLong(code);
  } else {
    // sys.exit("message"): the message goes to stderr, the status is 1 (as python does).
    PyObject_Print(code, stderr, Py_PRINT_RAW);
    fputc('\n', stderr);
    status = 1;
  }
  PyErr_Clear();
  Py_XDECREF(code);
  Py_XDECREF(type);
  Py_XDECREF(value);
  Py_XDECREF(tb);
  return status;
}

int main(int argc, char **argv) {
  PyImport_FrozenModules = edge_frozen_modules;
  if (PyImport_AppendInittab("edge", PyInit_edge) < 0) return 1;
  int status = start(argc, argv);
  if (status >= 0) return status;

  PyObject *code = PyMarshal_ReadObjectFromString((const char *)edge_app_code, edge_app_size);
  PyObject *main_module = PyImport_AddModule("__main__");  // borrowed
  PyObject *globals = main_module ? PyModule_GetDict(main_module) : NULL;
  PyObject *result = NULL;
  if (code && globals) {
    PyObject *file = PyUnicode_FromString(edge_app_name);
    if (file && PyDict_SetItemString(globals, "__file__", file) == 0) result = PyEval_EvalCode(code, globals, globals);
    Py_XDECREF(file);
  }
  status = result ? 0 : exit_status();
  Py_XDECREF(result);
  Py_XDECREF(code);
  // Finalising runs the apps' pending __del__ and closes the resources still open (their drops go
  // to the host); it also flushes stdio.
  if (Py_FinalizeEx() < 0 && status == 0) status = 120;
  return status;
}
