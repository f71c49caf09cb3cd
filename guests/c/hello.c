// The first end-to-end guest: proves the plumbing. It prints to stdout, asks the host's own
// `wasi-edge:host/access` interface which I2C buses it may open, and returns from wasi:cli/run.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include "edge_access.h"

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  printf("hello from a wasi-edge guest\n");
  edge_string_list_t buses;
  access_list_i2c_buses(&buses);
  printf("i2c buses granted: %zu\n", buses.len);
  for (size_t i = 0; i < buses.len; i++) printf("  %.*s\n", (int)buses.ptr[i].len, buses.ptr[i].ptr);
  cabi_free_strings(&buses);
  return 0;
}
