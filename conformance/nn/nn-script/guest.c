// Conformance guest for wasi:nn@0.2.0-rc-2024-10-28. Its arguments are a script of commands:
//   load PATH ENC TARGET      graph.load of one file's bytes (ENC: onnx autodetect openvino …;
//                             TARGET: cpu gpu tpu)            → "load: ok" | "load: err <code>"
//   load-twice PATH           graph.load with the file as two builders
//   by-name NAME              graph.load-by-name              → "by-name NAME: ok" | "… err <code>"
//   ctx                       init-execution-context on the current graph → "ctx: ok" | "ctx: err <code>"
//   in NAME TYPE DIMS DATA    adds an input tensor: TYPE fp16 fp32 fp64 bf16 u8 i32 i64; DIMS 2x3
//                             ("-" = scalar); DATA comma-separated numbers, or zeros:N for N bytes
//   in-again                  adds the previous input tensor's name once more (a duplicate)
//   compute                   compute on the current context → "compute: ok n=K" then per output
//                             "output NAME [d0,d1] TYPE v0 v1 …" | "compute: err <code>"
//   tensor TYPE DIMS DATA     constructs a tensor and reads it back → "tensor: [dims] TYPE bytes=N"
// Error data (the message) is for people and is not printed; only the code is.
#include "conf.h"
#include "wasi_nn.h"

static const char *const TYPES[] = {"fp16", "fp32", "fp64", "bf16", "u8", "i32", "i64"};
static const char *const TYPE_NAMES[] = {"FP16", "FP32", "FP64", "BF16", "U8", "I32", "I64"};
static const size_t SIZES[] = {2, 4, 8, 2, 1, 4, 8};
static const char *const ENCODINGS[] = {"openvino", "onnx", "tensorflow", "pytorch", "tensorflowlite", "ggml", "autodetect"};
static const char *const TARGETS[] = {"cpu", "gpu", "tpu"};

static int lookup(const char *s, const char *const *names, int n) {
  for (int i = 0; i < n; i++) if (!strcmp(s, names[i])) return i;
  printf("unknown word %s\n", s);
  exit(1);
}

static uint8_t *read_file(const char *path, size_t *len) {
  uint8_t *buf = edge_read_file(path, len);
  if (!buf) { printf("cannot read %s\n", path); exit(1); }
  return buf;
}

static void print_err(const char *what, nn_error_t err) {
  printf("%s: err %s\n", what, nn_error_name(nn_error_take_code(err)));
}

typedef struct { uint32_t dims[8]; size_t rank; int ty; uint8_t *data; size_t len; } tensor_spec;

static tensor_spec parse_tensor(const char *type, const char *dims, const char *data) {
  tensor_spec t = {{0}, 0, lookup(type, TYPES, 7), NULL, 0};
  if (strcmp(dims, "-")) {
    char *d = strdup(dims);
    for (char *tok = strtok(d, "x"); tok && t.rank < 8; tok = strtok(NULL, "x")) t.dims[t.rank++] = (uint32_t)conf_num(tok);
    free(d);
  }
  if (!strncmp(data, "zeros:", 6)) {
    t.len = (size_t)conf_num(data + 6);
    t.data = calloc(t.len ? t.len : 1, 1);
    return t;
  }
  size_t cap = 64;
  t.data = calloc(cap * 8, 1);
  char *v = strdup(data);
  size_t n = 0;
  for (char *tok = strtok(v, ","); tok && n < cap; tok = strtok(NULL, ","), n++) {
    double x = strtod(tok, NULL);
    uint8_t *p = t.data + n * SIZES[t.ty];
    switch (t.ty) {
      case NN_FP32: { float f = (float)x; memcpy(p, &f, 4); break; }
      case NN_FP64: memcpy(p, &x, 8); break;
      case NN_U8: *p = (uint8_t)x; break;
      case NN_I32: { int32_t i = (int32_t)x; memcpy(p, &i, 4); break; }
      case NN_I64: { int64_t i = (int64_t)x; memcpy(p, &i, 8); break; }
      default: { uint16_t h = (uint16_t)strtoul(tok, NULL, 0); memcpy(p, &h, 2); break; }  // fp16/bf16: raw bits
    }
  }
  free(v);
  t.len = n * SIZES[t.ty];
  return t;
}

static void print_values(nn_tensor_t t, int ty) {
  nn_bytes_t b;
  nn_tensor_data(t, &b);
  size_t n = b.len / SIZES[ty];
  for (size_t i = 0; i < n && i < 8; i++) {
    const uint8_t *p = b.ptr + i * SIZES[ty];
    switch (ty) {
      case NN_FP32: { float f; memcpy(&f, p, 4); printf(" %g", f); break; }
      case NN_FP64: { double d; memcpy(&d, p, 8); printf(" %g", d); break; }
      case NN_U8: printf(" %u", *p); break;
      case NN_I32: { int32_t i32; memcpy(&i32, p, 4); printf(" %d", i32); break; }
      case NN_I64: { int64_t i64; memcpy(&i64, p, 8); printf(" %lld", (long long)i64); break; }
      default: { uint16_t h; memcpy(&h, p, 2); printf(" 0x%04x", h); break; }
    }
  }
  if (n > 8) printf(" …");
  cabi_free_list(b.ptr, b.len);
}

static void print_dims(nn_tensor_t t) {
  nn_dims_t d;
  nn_tensor_dimensions(t, &d);
  nn_print_dims(&d);
  cabi_free_list(d.ptr, d.len);
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IONBF, 0);
  conf_args a = {argc, argv, 1};
  nn_graph_t graph = -1;
  nn_context_t ctx = -1;
  nn_named_tensor_t inputs[16];
  size_t n_inputs = 0;
  while (a.i < argc) {
    const char *cmd = conf_next(&a, "command");
    nn_result_handle_t r;
    if (!strcmp(cmd, "load") || !strcmp(cmd, "load-twice")) {
      int twice = !strcmp(cmd, "load-twice");
      size_t len;
      uint8_t *bytes = read_file(conf_next(&a, "path"), &len);
      int enc = twice ? NN_ONNX : lookup(conf_next(&a, "encoding"), ENCODINGS, 7);
      int target = twice ? NN_CPU : lookup(conf_next(&a, "target"), TARGETS, 3);
      nn_bytes_t builders[2] = {{bytes, len}, {bytes, len}};
      nn_load(builders, twice ? 2 : 1, enc, target, &r);
      if (r.is_err) print_err(cmd, r.handle);
      else graph = r.handle, printf("%s: ok\n", cmd);
      free(bytes);
    } else if (!strcmp(cmd, "by-name")) {
      const char *name = conf_next(&a, "model name");
      nn_load_by_name(name, strlen(name), &r);
      char what[128];
      snprintf(what, sizeof what, "by-name %s", name);
      if (r.is_err) print_err(what, r.handle);
      else graph = r.handle, printf("%s: ok\n", what);
    } else if (!strcmp(cmd, "ctx")) {
      nn_graph_init_execution_context(graph, &r);
      if (r.is_err) print_err("ctx", r.handle);
      else ctx = r.handle, printf("ctx: ok\n");
    } else if (!strcmp(cmd, "in")) {
      const char *name = conf_next(&a, "input name");
      const char *type = conf_next(&a, "type");
      const char *dims = conf_next(&a, "dimensions");
      tensor_spec t = parse_tensor(type, dims, conf_next(&a, "data"));
      inputs[n_inputs].name.ptr = strdup(name);
      inputs[n_inputs].name.len = strlen(name);
      inputs[n_inputs].tensor = nn_tensor_new(t.dims, t.rank, t.ty, t.data, t.len);
      n_inputs++;
      free(t.data);
    } else if (!strcmp(cmd, "in-again")) {
      // The same name again, with a fresh tensor of the same content.
      nn_named_tensor_t *prev = &inputs[n_inputs - 1];
      nn_dims_t d;
      nn_tensor_dimensions(prev->tensor, &d);
      nn_bytes_t b;
      nn_tensor_data(prev->tensor, &b);
      inputs[n_inputs].name = prev->name;
      inputs[n_inputs].tensor = nn_tensor_new(d.ptr, d.len, nn_tensor_ty(prev->tensor), b.ptr, b.len);
      n_inputs++;
    } else if (!strcmp(cmd, "compute")) {
      nn_result_tensors_t res;
      nn_context_compute(ctx, inputs, n_inputs, &res);
      n_inputs = 0;  // the inputs are consumed (own<tensor>)
      if (res.is_err) { print_err("compute", res.val.err); continue; }
      printf("compute: ok n=%zu\n", res.val.ok.len);
      for (size_t i = 0; i < res.val.ok.len; i++) {
        nn_named_tensor_t *o = &res.val.ok.ptr[i];
        int ty = nn_tensor_ty(o->tensor);
        printf("output %.*s ", (int)o->name.len, o->name.ptr);
        print_dims(o->tensor);
        printf(" %s", ty >= 0 && ty < 7 ? TYPE_NAMES[ty] : "?");
        print_values(o->tensor, ty);
        printf("\n");
      }
      nn_free_outputs(&res.val.ok);
    } else if (!strcmp(cmd, "tensor")) {
      const char *type = conf_next(&a, "type");
      const char *dims = conf_next(&a, "dimensions");
      tensor_spec t = parse_tensor(type, dims, conf_next(&a, "data"));
      nn_tensor_t h = nn_tensor_new(t.dims, t.rank, t.ty, t.data, t.len);
      int ty = nn_tensor_ty(h);
      nn_bytes_t b;
      nn_tensor_data(h, &b);
      printf("tensor: ");
      print_dims(h);
      printf(" %s bytes=%zu%s\n", ty >= 0 && ty < 7 ? TYPE_NAMES[ty] : "?", b.len, b.len == t.len && (!b.len || !memcmp(b.ptr, t.data, b.len)) ? " same" : " differ");
      cabi_free_list(b.ptr, b.len);
      nn_tensor_drop(h);
      free(t.data);
    } else {
      printf("unknown command %s\n", cmd);
      return 1;
    }
  }
  return 0;
}
