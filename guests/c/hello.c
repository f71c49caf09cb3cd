// The first end-to-end guest: proves the plumbing. It prints to stdout, asks the host's own
// `wasi-edge:host/access` interface which I2C buses it may open, and returns from wasi:cli/run.
// It declares its one import itself so that it depends on no other guest header.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct { const char *ptr; size_t len; } abi_string;
typedef struct { abi_string *ptr; size_t len; } abi_string_list;
_Static_assert(sizeof(abi_string) == 8, "string is (ptr, len)");

__attribute__((import_module("wasi-edge:host/access@0.1.0"), import_name("list-i2c-buses")))
extern void access_list_i2c_buses(abi_string_list *ret);

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  printf("hello from a wasi-edge guest\n");
  abi_string_list buses;
  access_list_i2c_buses(&buses);
  printf("i2c buses granted: %zu\n", buses.len);
  for (size_t i = 0; i < buses.len; i++) {
    printf("  %.*s\n", (int)buses.ptr[i].len, buses.ptr[i].ptr);
    free((void *)buses.ptr[i].ptr);
  }
  free(buses.ptr);
  return 0;
}
