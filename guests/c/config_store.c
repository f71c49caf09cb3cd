// wasi:config through a real component: prints, one JSON line each, the value of every key given
// as an argument (`null` when absent) and then every pair get-all returns, in order. The test
// (test/config/component.test.ts) compares them with the configuration it wrote.
#include <stdio.h>
#include <string.h>
#include "edge_util.h"
#include "wasi_config.h"


int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IONBF, 0);
  for (int i = 1; i < argc; i++) {
    config_result_get_t r;
    config_get(argv[i], strlen(argv[i]), &r);
    printf("{\"get\":");
    edge_print_json_string(argv[i], strlen(argv[i]));
    if (r.is_err) {
      printf(",\"error\":%u}\n", r.val.err.tag);
      continue;
    }
    printf(",\"value\":");
    if (r.val.ok.is_some) {
      edge_print_json_string(r.val.ok.value.ptr, r.val.ok.value.len);
      cabi_free_list(r.val.ok.value.ptr, r.val.ok.value.len);
    } else {
      printf("null");
    }
    printf("}\n");
  }
  config_result_all_t all;
  config_get_all(&all);
  if (all.is_err) {
    printf("{\"getAll\":{\"error\":%u}}\n", all.val.err.tag);
    return 1;
  }
  printf("{\"getAll\":[");
  for (size_t i = 0; i < all.val.ok.len; i++) {
    config_pair_t *p = &all.val.ok.ptr[i];
    printf("%s[", i ? "," : "");
    edge_print_json_string(p->key.ptr, p->key.len);
    putchar(',');
    edge_print_json_string(p->value.ptr, p->value.len);
    putchar(']');
    cabi_free_list(p->key.ptr, p->key.len);
    cabi_free_list(p->value.ptr, p->value.len);
  }
  printf("]}\n");
  cabi_free_list(all.val.ok.ptr, all.val.ok.len);
  return 0;
}
