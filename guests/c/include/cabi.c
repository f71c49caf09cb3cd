// The allocator the canonical ABI calls to place lists and strings that the host returns into
// guest memory. Linked into every C guest by guests/build.mjs; cabi.h says what the guests must
// know about it (an empty list is not memory: never free it).
#include <stdlib.h>
#include "cabi.h"

__attribute__((export_name("cabi_realloc")))
void *cabi_realloc(void *old, size_t old_size, size_t align, size_t new_size) {
  (void)old_size;
  if (new_size == 0) return (void *)align;
  void *p = realloc(old, new_size);
  if (!p) abort();
  return p;
}
