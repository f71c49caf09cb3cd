// Walks every error path of wasi:nn this host can produce and prints one line per case:
//   <case>: <error-code>: <data>
// The host configuration (test/nn/component.test.ts) names the models used here and sets small
// limits; /models holds add.onnx (sum = a + b, f32 [2,3]). `timeout` arises only on a backend with a
// compute time limit (the optional "slow" case); `unknown` never arises (docs/spec-notes/nn.md).
#include "edge_util.h"
#include "wasi_nn.h"

static void expect_load_error(const char *what, const nn_bytes_t *builders, size_t n, int enc, int target) {
  nn_result_handle_t r;
  nn_load(builders, n, enc, target, &r);
  if (r.is_err) nn_report_error(what, r.handle);
  else printf("%s: ok (unexpected)\n", what), nn_graph_drop(r.handle);
}

static nn_graph_t by_name(const char *what, const char *name) {
  nn_result_handle_t r;
  nn_load_by_name(name, strlen(name), &r);
  if (r.is_err) return nn_report_error(what, r.handle), -1;
  return r.handle;
}

// Computes on a fresh context of `graph` with one input; prints the error or "ok".
static void expect_compute_error(const char *what, nn_graph_t graph, const char *input, const uint32_t *dims,
                                 size_t rank, int ty, const uint8_t *data, size_t len) {
  nn_result_handle_t ctx;
  nn_graph_init_execution_context(graph, &ctx);
  if (ctx.is_err) return (void)nn_report_error(what, ctx.handle);
  nn_named_tensor_t in = {{(char *)input, strlen(input)}, nn_tensor_new(dims, rank, ty, data, len)};
  nn_result_tensors_t res;
  nn_context_compute(ctx.handle, &in, 1, &res);
  if (res.is_err) nn_report_error(what, res.val.err);
  else printf("%s: ok (unexpected)\n", what), nn_free_outputs(&res.val.ok);
  nn_context_drop(ctx.handle);
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  printf("nn error walk\n");
  size_t add_len = 0;
  uint8_t *add = edge_read_file("/models/add.onnx", &add_len);
  if (!add) return printf("cannot read /models/add.onnx\n"), 2;
  static uint8_t junk[] = "definitely not a model";
  nn_bytes_t junk_b = {junk, sizeof junk - 1}, add_b = {add, add_len};
  nn_bytes_t two[2] = {add_b, add_b};

  // graph.load
  expect_load_error("load-junk-onnx", &junk_b, 1, NN_ONNX, NN_CPU);                 // invalid-encoding
  expect_load_error("load-junk-autodetect", &junk_b, 1, NN_AUTODETECT, NN_CPU);     // invalid-encoding
  expect_load_error("load-openvino", &add_b, 1, NN_OPENVINO, NN_CPU);               // invalid-encoding
  expect_load_error("load-gpu", &add_b, 1, NN_ONNX, NN_GPU);                        // unsupported-operation
  expect_load_error("load-tpu", &add_b, 1, NN_ONNX, NN_TPU);                        // unsupported-operation
  expect_load_error("load-two-builders", two, 2, NN_ONNX, NN_CPU);                  // invalid-argument

  // graph.load-by-name
  by_name("name-missing", "no-such-model");                                         // not-found
  by_name("name-not-granted", "secret");                                            // security
  by_name("name-too-large", "big");                                                 // too-large
  by_name("name-unknown-op", "unknown-op");                                         // unsupported-operation

  // inference.compute
  nn_graph_t g = by_name("name-add", "add");
  if (g < 0) return 1;
  static const uint32_t d23[2] = {2, 3}, d6[1] = {6}, d32[2] = {3, 2}, big[1] = {4096};
  static float six[6] = {1, 2, 3, 4, 5, 6};
  static float lots[4096];
  expect_compute_error("compute-short-data", g, "a", d23, 2, NN_FP32, (uint8_t *)six, 12);      // invalid-argument
  expect_compute_error("compute-unknown-input", g, "zzz", d23, 2, NN_FP32, (uint8_t *)six, 24); // invalid-argument
  expect_compute_error("compute-missing-input", g, "a", d23, 2, NN_FP32, (uint8_t *)six, 24);   // invalid-argument
  expect_compute_error("compute-wrong-type", g, "a", d23, 2, NN_I32, (uint8_t *)six, 24);       // invalid-argument
  expect_compute_error("compute-wrong-rank", g, "a", d6, 1, NN_FP32, (uint8_t *)six, 24);       // invalid-argument
  expect_compute_error("compute-wrong-dims", g, "a", d32, 2, NN_FP32, (uint8_t *)six, 24);      // invalid-argument
  expect_compute_error("compute-too-large", g, "a", big, 1, NN_FP32, (uint8_t *)lots, sizeof lots); // too-large
  nn_graph_drop(g);

  nn_graph_t bf = by_name("name-bf16", "bf16");
  static const uint32_t d3[1] = {3};
  static uint16_t bf16[3] = {0x3f80, 0, 0};
  if (bf >= 0) expect_compute_error("compute-bf16", bf, "x", d3, 1, NN_BF16, (uint8_t *)bf16, 6); // unsupported-operation
  nn_graph_t rs = by_name("name-reshape", "reshape");
  static float five[5] = {1, 2, 3, 4, 5};
  static const uint32_t d5[1] = {5};
  if (rs >= 0) expect_compute_error("compute-runtime", rs, "x", d5, 1, NN_FP32, (uint8_t *)five, 20); // runtime-error
  if (bf >= 0) nn_graph_drop(bf);
  if (rs >= 0) nn_graph_drop(rs);

  // Only when the host configures a "slow" model (x [512,512] -> many MatMuls) on a backend with a compute
  // time limit (onnxruntime-web, nn.timeoutMs): the one path that yields `timeout`.
  nn_result_handle_t slow;
  nn_load_by_name("slow", 4, &slow);
  if (slow.is_err) {
    // Not configured (the onnxruntime-node walk): nothing to report. Anything else is a failure to show.
    if (nn_error_code(slow.handle) == NN_E_NOT_FOUND) nn_error_drop(slow.handle);
    else nn_report_error("compute-timeout-load", slow.handle);
  } else {
    static const uint32_t dn[2] = {512, 512};
    size_t bytes = 512 * 512 * sizeof(float);
    uint8_t *m = calloc(1, bytes);
    nn_result_handle_t ctx;
    nn_graph_init_execution_context(slow.handle, &ctx);
    if (ctx.is_err) {
      nn_report_error("compute-timeout", ctx.handle);
    } else {
      nn_named_tensor_t in = {{"x", 1}, nn_tensor_new(dn, 2, NN_FP32, m, bytes)};
      nn_result_tensors_t res;
      nn_context_compute(ctx.handle, &in, 1, &res);
      if (res.is_err) nn_report_error("compute-timeout", res.val.err);
      else printf("compute-timeout: ok (unexpected)\n"), nn_free_outputs(&res.val.ok);
      nn_context_drop(ctx.handle);
    }
    free(m);
    nn_graph_drop(slow.handle);
  }

  free(add);
  printf("done\n");
  return 0;
}
