// setjmp/longjmp without WebAssembly exceptions, over binaryen's asyncify: the piece MicroPython's
// non-local returns (nlr) need on WASI, tried on its own first (docs/guests/python.md, MicroPython).
// Built by guests/python/build.mjs: clang, then `wasm-opt --asyncify`, then a component as usual.
//
// How: setjmp unwinds the whole stack into its buffer (asyncify saves every instrumented frame's
// locals and call position) and the driver in main() rewinds it at once, so setjmp returns 0.
// longjmp unwinds to the driver, which resets the stack pointer to setjmp's and rewinds from
// setjmp's buffer again, so setjmp returns a second time, with longjmp's value. As with C's
// setjmp, locals changed after it must be volatile (they live in memory, which is not rewound).
//
// Prints three rounds of setjmp → longjmp from six to eight calls deep, then "done".
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

// Resolved by `wasm-opt --asyncify` into calls to the functions the pass creates.
#define ASYNCIFY_IMPORT(n) __attribute__((import_module("asyncify"), import_name(n)))
ASYNCIFY_IMPORT("start_unwind") void asyncify_start_unwind(void *data);
ASYNCIFY_IMPORT("stop_unwind") void asyncify_stop_unwind(void);
ASYNCIFY_IMPORT("start_rewind") void asyncify_start_rewind(void *data);
ASYNCIFY_IMPORT("stop_rewind") void asyncify_stop_rewind(void);

// asyncify's data: where the saved stack is written next, and where its space ends.
typedef struct { char *next, *end; } asyncify_data_t;
enum { JMP_INIT, JMP_CAPTURING, JMP_CAPTURED, JMP_RETURNING };
typedef struct {
  asyncify_data_t data;
  char *saved_end;     // data.next after the capture: a rewind pops the data, a longjmp reads it again
  uintptr_t sp;        // the C stack pointer (a wasm global asyncify does not save) at setjmp
  int state, value;
  char stack[4096];
} ajmp_buf;

static ajmp_buf *capturing, *returning;
static asyncify_data_t longjmp_data;
static char longjmp_stack[4096];

static uintptr_t stack_pointer(void) {
  uintptr_t sp;
  __asm__ volatile("global.get __stack_pointer\nlocal.set %0" : "=r"(sp));
  return sp;
}
static void set_stack_pointer(uintptr_t sp) { __asm__ volatile("local.get %0\nglobal.set __stack_pointer" : : "r"(sp)); }

// It calls asyncify_*, so asyncify does not instrument it and treats it as an import: when its
// caller is rewound the call is made again, afresh, and the state says which return this is.
__attribute__((noinline)) static int ajmp_setjmp_call(ajmp_buf *env) {
  switch (env->state) {
  case JMP_INIT:
    env->state = JMP_CAPTURING;
    env->data.next = env->stack;
    env->data.end = env->stack + sizeof env->stack;
    env->sp = stack_pointer();
    capturing = env;
    asyncify_start_unwind(&env->data);
    return -1;  // not seen: the stack unwinds
  case JMP_CAPTURING:
    asyncify_stop_rewind();
    env->state = JMP_CAPTURED;
    return 0;
  case JMP_RETURNING:
    asyncify_stop_rewind();
    env->state = JMP_CAPTURED;
    return env->value;
  }
  abort();
}
#define ajmp_setjmp(env) ((env)->state = JMP_INIT, ajmp_setjmp_call(env))

__attribute__((noinline)) static void ajmp_longjmp(ajmp_buf *env, int value) {
  env->state = JMP_RETURNING;
  env->value = value ? value : 1;
  returning = env;
  longjmp_data.next = longjmp_stack;
  longjmp_data.end = longjmp_stack + sizeof longjmp_stack;
  asyncify_start_unwind(&longjmp_data);
}

// ---------------------------------------------------------------- the program

static ajmp_buf *handler;
static int after_longjmp;  // counts code that runs after a longjmp: must stay 0

__attribute__((noinline)) static void thrower(int depth) {
  if (depth == 0) {
    printf("longjmp from the bottom\n");
    ajmp_longjmp(handler, 42);
  } else {
    thrower(depth - 1);
  }
  after_longjmp++;
}

__attribute__((noinline)) static int program(void) {
  ajmp_buf env;
  volatile int changed = 7;
  for (volatile int round = 0; round < 3; round++) {
    handler = &env;
    int r = ajmp_setjmp(&env);
    if (r == 0) {
      printf("round %d: setjmp returned 0, changed=%d\n", round, changed);
      changed++;
      thrower(5 + round);
      printf("not reached\n");
    } else {
      printf("round %d: setjmp returned %d after longjmp, changed=%d\n", round, r, changed);
    }
  }
  printf("done, code run after a longjmp: %d\n", after_longjmp);
  return 0;
}

// The driver (not instrumented: --pass-arg=asyncify-removelist@__original_main): runs the program;
// each time the program unwinds, rewinds it where setjmp or longjmp wants it.
int main(void) {
  for (;;) {
    int status = program();
    if (!capturing && !returning) return status;
    asyncify_stop_unwind();  // first: instrumented code must not run while unwinding
    ajmp_buf *env = capturing ? capturing : returning;
    if (capturing) {
      env->saved_end = env->data.next;
    } else {
      set_stack_pointer(env->sp);
      env->data.next = env->saved_end;
    }
    capturing = returning = NULL;
    asyncify_start_rewind(&env->data);
  }
}
