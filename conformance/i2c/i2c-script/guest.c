// Conformance guest for wasi:i2c@0.2.0-draft and wasi-edge:host/access. Its arguments are a
// script of commands, run in order, each printing one line:
//   list                      list-i2c-buses            → "list: a,b"
//   open NAME                 open-i2c (becomes current) → "open NAME: ok" | "open NAME: err <access-error>"
//   open-again NAME           a second open-i2c          → "open-again: ok distinct" if the handles differ
//   drop                      drops the current handle   → "drop: ok"
//   read ADDR LEN             i2c.read                   → "read: ok <hex>" | "read: err <error-code>"
//   write ADDR HEX            i2c.write ("-" = no bytes) → "write: ok" | "write: err …"
//   write-read ADDR HEX LEN   i2c.write-read             → "write-read: ok <hex>" | …
//   tx ADDR OPS               i2c.transaction, OPS = comma-separated rN / wHEX, "-" = none
//                             → "tx: ok n=<results> [<hex>] [<hex>]" | "tx: err …"
//   delay NS                  get-delay + delay.delay-ns → "delay: ok"
// Numbers may be decimal or 0x-hex; lengths are u64. Error codes print as WIT spells them,
// e.g. "no-acknowledge(address)"; unavailable(msg) prints only "unavailable".
#include "conf.h"

// result<list<u8>, error-code>: tag at 0; list at 4, or error-code (tag at 4, source at 5).
typedef struct {
  uint8_t is_err;
  union { conf_bytes ok; struct { uint8_t tag; uint8_t source; } err; } val;
} r_bytes;
_Static_assert(sizeof(r_bytes) == 12 && offsetof(r_bytes, val) == 4, "result<list<u8>, error-code>");
typedef struct { uint8_t is_err; uint8_t tag; uint8_t source; } r_unit;
_Static_assert(sizeof(r_unit) == 3, "result<_, error-code>");
typedef struct {
  uint8_t is_err;
  union { struct { conf_bytes *ptr; size_t len; } ok; struct { uint8_t tag; uint8_t source; } err; } val;
} r_lists;
_Static_assert(sizeof(r_lists) == 12, "result<list<list<u8>>, error-code>");
typedef struct {
  uint8_t tag;  // 0 read, 1 write
  union { uint64_t read; conf_bytes write; } val;
} op_t;
_Static_assert(sizeof(op_t) == 16 && offsetof(op_t, val) == 8, "variant operation");
typedef struct {
  uint8_t is_err;
  union { int32_t handle; struct { uint8_t tag; conf_string message; } err; } val;
} r_open;
_Static_assert(sizeof(r_open) == 16, "result<i2c, access-error>");
typedef struct { conf_string *ptr; size_t len; } string_list;

#define I2C "wasi:i2c/i2c@0.2.0-draft"
#define ACCESS "wasi-edge:host/access@0.1.0"
__attribute__((import_module(ACCESS), import_name("list-i2c-buses"))) extern void access_list(string_list *ret);
__attribute__((import_module(ACCESS), import_name("open-i2c"))) extern void access_open(const char *n, size_t len, r_open *ret);
__attribute__((import_module(ACCESS), import_name("get-delay"))) extern int32_t access_get_delay(void);
__attribute__((import_module("wasi:i2c/delay@0.2.0-draft"), import_name("[method]delay.delay-ns"))) extern void delay_ns(int32_t self, int32_t ns);
__attribute__((import_module("wasi:i2c/delay@0.2.0-draft"), import_name("[resource-drop]delay"))) extern void delay_drop(int32_t self);
__attribute__((import_module(I2C), import_name("[method]i2c.read"))) extern void i2c_read(int32_t, int32_t, uint64_t, r_bytes *);
__attribute__((import_module(I2C), import_name("[method]i2c.write"))) extern void i2c_write(int32_t, int32_t, const uint8_t *, size_t, r_unit *);
__attribute__((import_module(I2C), import_name("[method]i2c.write-read"))) extern void i2c_write_read(int32_t, int32_t, const uint8_t *, size_t, uint64_t, r_bytes *);
__attribute__((import_module(I2C), import_name("[method]i2c.transaction"))) extern void i2c_transaction(int32_t, int32_t, const op_t *, size_t, r_lists *);
__attribute__((import_module(I2C), import_name("[resource-drop]i2c"))) extern void i2c_drop(int32_t);

static void print_err(const char *cmd, uint8_t tag, uint8_t source) {
  static const char *const names[] = {"bus", "arbitration-loss", "no-acknowledge", "overrun", "other"};
  static const char *const sources[] = {"address", "data", "unknown"};
  if (tag == 2) printf("%s: err no-acknowledge(%s)\n", cmd, source < 3 ? sources[source] : "?");
  else printf("%s: err %s\n", cmd, tag < 5 ? names[tag] : "?");
}

static void print_bytes_result(const char *cmd, r_bytes *r) {
  if (r->is_err) return print_err(cmd, r->val.err.tag, r->val.err.source);
  printf("%s: ok", cmd);
  if (r->val.ok.len) printf(" ");
  conf_print_hex(r->val.ok.ptr, r->val.ok.len);
  printf("\n");
  conf_free(r->val.ok.ptr, r->val.ok.len);
}

static int32_t open_bus(const char *cmd, const char *name) {
  static const char *const errs[] = {"not-found", "permission-denied", "unavailable"};
  r_open r;
  access_open(name, strlen(name), &r);
  if (r.is_err) {
    printf("%s %s: err %s\n", cmd, name, r.val.err.tag < 3 ? errs[r.val.err.tag] : "?");
    if (r.val.err.tag == 2) conf_free(r.val.err.message.ptr, r.val.err.message.len);
    return -1;
  }
  return r.val.handle;
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IONBF, 0);
  conf_args a = {argc, argv, 1};
  int32_t bus = -1;
  while (a.i < argc) {
    const char *cmd = conf_next(&a, "command");
    if (!strcmp(cmd, "list")) {
      string_list l;
      access_list(&l);
      printf("list:");
      for (size_t i = 0; i < l.len; i++) printf("%s%.*s", i ? "," : " ", (int)l.ptr[i].len, l.ptr[i].ptr), conf_free(l.ptr[i].ptr, l.ptr[i].len);
      printf("\n");
      conf_free(l.ptr, l.len);
    } else if (!strcmp(cmd, "open")) {
      const char *name = conf_next(&a, "bus name");
      int32_t h = open_bus("open", name);
      if (h >= 0) bus = h, printf("open %s: ok\n", name);
    } else if (!strcmp(cmd, "open-again")) {
      const char *name = conf_next(&a, "bus name");
      int32_t h = open_bus("open-again", name);
      if (h >= 0) printf("open-again: ok %s\n", h != bus ? "distinct" : "same handle"), i2c_drop(h);
    } else if (!strcmp(cmd, "drop")) {
      if (bus >= 0) i2c_drop(bus);
      bus = -1;
      printf("drop: ok\n");
    } else if (!strcmp(cmd, "read")) {
      int32_t addr = (int32_t)conf_num(conf_next(&a, "address"));
      uint64_t len = conf_num(conf_next(&a, "length"));
      r_bytes r;
      i2c_read(bus, addr, len, &r);
      print_bytes_result("read", &r);
    } else if (!strcmp(cmd, "write")) {
      int32_t addr = (int32_t)conf_num(conf_next(&a, "address"));
      conf_bytes d = conf_hex(conf_next(&a, "hex data"));
      r_unit r;
      i2c_write(bus, addr, d.ptr, d.len, &r);
      if (r.is_err) print_err("write", r.tag, r.source);
      else printf("write: ok\n");
      free(d.ptr);
    } else if (!strcmp(cmd, "write-read")) {
      int32_t addr = (int32_t)conf_num(conf_next(&a, "address"));
      conf_bytes d = conf_hex(conf_next(&a, "hex data"));
      uint64_t len = conf_num(conf_next(&a, "length"));
      r_bytes r;
      i2c_write_read(bus, addr, d.ptr, d.len, len, &r);
      print_bytes_result("write-read", &r);
      free(d.ptr);
    } else if (!strcmp(cmd, "tx")) {
      int32_t addr = (int32_t)conf_num(conf_next(&a, "address"));
      char *spec = strdup(conf_next(&a, "operations"));
      op_t ops[64];
      size_t n = 0;
      for (char *tok = strtok(spec, ","); tok && n < 64 && strcmp(tok, "-"); tok = strtok(NULL, ",")) {
        if (tok[0] == 'r') ops[n].tag = 0, ops[n].val.read = conf_num(tok + 1);
        else ops[n].tag = 1, ops[n].val.write = conf_hex(tok[1] ? tok + 1 : "-");
        n++;
      }
      r_lists r;
      i2c_transaction(bus, addr, ops, n, &r);
      if (r.is_err) print_err("tx", r.val.err.tag, r.val.err.source);
      else {
        printf("tx: ok n=%zu", r.val.ok.len);
        for (size_t i = 0; i < r.val.ok.len; i++) {
          printf(" [");
          conf_print_hex(r.val.ok.ptr[i].ptr, r.val.ok.ptr[i].len);
          printf("]");
          conf_free(r.val.ok.ptr[i].ptr, r.val.ok.ptr[i].len);
        }
        printf("\n");
        conf_free(r.val.ok.ptr, r.val.ok.len);
      }
      for (size_t i = 0; i < n; i++) if (ops[i].tag == 1) free(ops[i].val.write.ptr);
      free(spec);
    } else if (!strcmp(cmd, "delay")) {
      int32_t ns = (int32_t)conf_num(conf_next(&a, "nanoseconds"));
      int32_t d = access_get_delay();
      delay_ns(d, ns);
      delay_drop(d);
      printf("delay: ok\n");
    } else {
      printf("unknown command %s\n", cmd);
      return 1;
    }
  }
  return 0;
}
