// A guest that takes all the memory it can (issue 20, docs/hardening.md "Limits per instance"): it
// allocates 64 MiB at a time and fills each block, so the memory is really used (resident), not
// just reserved. Without a cap it reaches wasm32's 4 GiB; under `-W max-memory-size=` its
// malloc returns NULL at the cap, and it says so and exits 1 (the host then reports the memory
// limit's own status). argv: memory_bomb [max MiB] (default: no bound of its own).
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STEP (64u << 20)

// Kept where the compiler cannot prove them unused, so that no allocation or fill is optimised away.
unsigned char *volatile blocks[64];

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IONBF, 0);
  unsigned long most = argc > 1 ? strtoul(argv[1], NULL, 10) : 4096;
  unsigned long total = 0;
  while (total + (STEP >> 20) <= most) {
    unsigned char *block = malloc(STEP);
    if (!block) {
      printf("memory_bomb: malloc of %u MiB failed after %lu MiB\n", STEP >> 20, total);
      return 1;
    }
    memset(block, (int)(total >> 6) + 1, STEP);
    blocks[total >> 6] = block;
    total += STEP >> 20;
    printf("memory_bomb: %lu MiB\n", total);
  }
  printf("memory_bomb: stopped at its own bound of %lu MiB\n", most);
  return 0;
}
