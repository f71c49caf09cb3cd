// A guest that hands the host a list lying partly outside its own memory (a pointer near 4 GiB):
// the canonical ABI says that is a trap, and the runner must report it as one (status 2), not cut
// the list short and not throw through the host (test/hardening/oob-list.test.ts).
// argv: [bus name (default i2c-sim0)]
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "wasi_i2c.h"

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IONBF, 0);
  const char *name = argc > 1 ? argv[1] : "i2c-sim0";
  access_result_i2c_t opened;
  access_open_i2c(name, strlen(name), &opened);
  if (opened.is_err) {
    printf("open-i2c(%s) failed\n", name);
    return 1;
  }
  printf("writing a list outside memory\n");
  i2c_result_unit_t w;
  i2c_write(opened.val.handle, 0x76, (const uint8_t *)(uintptr_t)0xffffff00u, 512, &w);
  printf("the host accepted it: %s\n", w.is_err ? "err" : "ok");
  return 0;
}
