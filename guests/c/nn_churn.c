// Resource churn for the leak check: N cycles of tensor create/drop, context create, compute and
// drop of everything, on the configured model "tiny" (y = relu(x), x f32 [N,3]).
// usage: nn_churn [cycles]   (default 10000)
#include "wasi_nn.h"

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IONBF, 0);
  long cycles = argc > 1 ? atol(argv[1]) : 10000;
  nn_result_handle_t g;
  nn_load_by_name("tiny", 4, &g);
  if (g.is_err) return nn_report_error("load-by-name", g.handle), 1;
  static const uint32_t dims[2] = {1, 3};
  float x[3] = {-1, 0, 1};
  double checksum = 0;
  for (long i = 0; i < cycles; i++) {
    nn_tensor_drop(nn_tensor_new(dims, 2, NN_FP32, (uint8_t *)x, sizeof x));  // created and dropped unused
    nn_result_handle_t ctx;
    nn_graph_init_execution_context(g.handle, &ctx);
    if (ctx.is_err) return nn_report_error("init", ctx.handle), 1;
    x[2] = (float)(i % 7);
    nn_named_tensor_t in = {{"x", 1}, nn_tensor_new(dims, 2, NN_FP32, (uint8_t *)x, sizeof x)};
    nn_result_tensors_t res;
    nn_context_compute(ctx.handle, &in, 1, &res);
    if (res.is_err) return nn_report_error("compute", res.val.err), 1;
    nn_bytes_t data;
    nn_tensor_data(res.val.ok.ptr[0].tensor, &data);
    checksum += ((float *)data.ptr)[2];
    free(data.ptr);
    nn_free_outputs(&res.val.ok);
    nn_context_drop(ctx.handle);
  }
  nn_graph_drop(g.handle);
  printf("cycles %ld checksum %.0f\n", cycles, checksum);
  return 0;
}
