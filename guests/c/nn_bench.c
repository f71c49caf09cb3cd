// Benchmark guest for bench/nn.bench.mjs: a loop of wasi:nn computes. Each iteration does what any
// guest must: make the input tensor (its bytes cross into the host), compute, and read the first
// output back into guest memory. It prints "mark" before the loop and after every <segment>
// iterations: stdout reaches the host synchronously, so the host reads its clocks at each mark (and
// may run its own baseline there), timing only the computes, not instantiation or model loading.
// It also times the whole loop itself with the monotonic clock (ns_per_compute).
// usage: nn_bench <model-name> <input-name> <iterations> <segment> <dim>...   (FP32 input)
#include "edge_util.h"
#include "wasi_nn.h"

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IONBF, 0);
  if (argc < 6) return printf("usage: nn_bench <model> <input> <iterations> <segment> <dim>...\n"), 2;
  const char *model = argv[1], *input = argv[2];
  long iterations = atol(argv[3]), segment = atol(argv[4]);
  if (segment <= 0) segment = iterations;
  uint32_t dims[8];
  size_t rank = 0, count = 1;
  for (int i = 5; i < argc && rank < 8; i++) dims[rank] = (uint32_t)atol(argv[i]), count *= dims[rank++];
  float *x = malloc(count * sizeof(float));
  for (size_t i = 0; i < count; i++) x[i] = (float)((i % 255) / 127.5 - 1.0);

  nn_result_handle_t g, ctx;
  nn_load_by_name(model, strlen(model), &g);
  if (g.is_err) return nn_report_error("load-by-name", g.handle), 1;
  nn_graph_init_execution_context(g.handle, &ctx);
  if (ctx.is_err) return nn_report_error("init", ctx.handle), 1;

  double checksum = 0, start = 0;
  for (long i = -1; i < iterations; i++) {
    if (i == 0) printf("mark\n"), start = (double)edge_now_ns();  // iteration -1 warms up
    else if (i > 0 && i % segment == 0) printf("mark\n");
    nn_named_tensor_t in = {{(char *)input, strlen(input)}, nn_tensor_new(dims, rank, NN_FP32, (uint8_t *)x, count * sizeof(float))};
    nn_result_tensors_t res;
    nn_context_compute(ctx.handle, &in, 1, &res);
    if (res.is_err) return nn_report_error("compute", res.val.err), 1;
    nn_bytes_t data;
    nn_tensor_data(res.val.ok.ptr[0].tensor, &data);
    checksum += ((float *)data.ptr)[0];
    free(data.ptr);
    nn_free_outputs(&res.val.ok);
  }
  printf("mark\n");
  double elapsed = (double)edge_now_ns() - start;
  printf("ns_per_compute %.1f checksum %.6g\n", elapsed / (iterations > 0 ? iterations : 1), checksum);
  nn_context_drop(ctx.handle);
  nn_graph_drop(g.handle);
  free(x);
  return 0;
}
