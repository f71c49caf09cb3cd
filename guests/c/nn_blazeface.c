// BlazeFace face detection through wasi:nn, twice: once from model bytes the guest reads through
// wasi:filesystem (graph.load), once by the name the host configures (graph.load-by-name).
// usage: nn_blazeface <model.onnx> <input.f32>   (input: 1x128x128x3 f32 NHWC in [-1,1], raw LE)
// Prints each output's name and shape, and the best face score (sigmoid of the score logits).
#include "blazeface_post.h"
#include "edge_util.h"
#include "wasi_nn.h"

static int run(const char *how, nn_result_handle_t loaded, const uint8_t *input, size_t input_len) {
  if (loaded.is_err) return nn_report_error(how, loaded.handle), 1;
  nn_graph_t graph = loaded.handle;
  nn_result_handle_t ctx;
  nn_graph_init_execution_context(graph, &ctx);
  if (ctx.is_err) return nn_report_error(how, ctx.handle), 1;

  static const uint32_t dims[4] = {1, 128, 128, 3};
  nn_named_tensor_t in = {{"input:0", 7}, nn_tensor_new(dims, 4, NN_FP32, input, input_len)};
  nn_result_tensors_t res;
  nn_context_compute(ctx.handle, &in, 1, &res);
  if (res.is_err) return nn_report_error(how, res.val.err), 1;

  float best = -1;
  size_t best_anchor = 0, anchor_base = 0;
  for (size_t i = 0; i < res.val.ok.len; i++) {
    nn_named_tensor_t *out = &res.val.ok.ptr[i];
    nn_dims_t d;
    nn_tensor_dimensions(out->tensor, &d);
    printf("%s: output %.*s ", how, (int)out->name.len, out->name.ptr);
    nn_print_dims(&d);
    printf(" %s\n", nn_tensor_ty(out->tensor) == NN_FP32 ? "FP32" : "other");
    // Score outputs are [1, anchors, 1]: 512 anchors (16x16 grid) then 384 (8x8 grid).
    if (d.len == 3 && d.ptr[2] == 1) {
      nn_bytes_t data;
      nn_tensor_data(out->tensor, &data);
      size_t at = 0;
      float p = bf_best_score((const float *)data.ptr, d.ptr[1], &at);
      if (p > best) best = p, best_anchor = anchor_base + at;
      anchor_base += d.ptr[1];
      free(data.ptr);
    }
    free(d.ptr);
  }
  printf("%s: top score %.4f at anchor %zu\n", how, best, best_anchor);
  nn_free_outputs(&res.val.ok);
  nn_context_drop(ctx.handle);
  nn_graph_drop(graph);
  return 0;
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IONBF, 0);
  if (argc < 3) return printf("usage: nn_blazeface <model.onnx> <input.f32>\n"), 2;
  size_t model_len = 0, input_len = 0;
  uint8_t *model = edge_read_file(argv[1], &model_len);
  uint8_t *input = edge_read_file(argv[2], &input_len);
  if (!model || !input) return printf("cannot read %s\n", model ? argv[2] : argv[1]), 2;
  printf("model %zu bytes, input %zu bytes\n", model_len, input_len);

  nn_bytes_t builder = {model, model_len};
  nn_result_handle_t by_bytes;
  nn_load(&builder, 1, NN_ONNX, NN_CPU, &by_bytes);
  int failed = run("load", by_bytes, input, input_len);

  nn_result_handle_t by_name;
  nn_load_by_name("blazeface", 9, &by_name);
  failed |= run("load-by-name", by_name, input, input_len);
  free(model);
  free(input);
  return failed;
}
