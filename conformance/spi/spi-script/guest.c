// Conformance guest for wasi:spi. Its arguments are a script of commands, each printing a line:
//   names                     get-device-names            → "names: a,b"
//   open NAME                 open-device (becomes current) → "open NAME: ok" | "open NAME: err <error>"
//   open-again NAME           a second handle, made current → "open-again: ok distinct"
//   drop                      drops the current handle     → "drop: ok"
//   configure HZ MODE LSB     configure (MODE 0-3, LSB 0/1) → "configure: ok" | "configure: err …"
//   read LEN | write HEX | transfer HEX                     → "<cmd>: ok [<hex>]" | "<cmd>: err …"
//   tx OPS                    transaction, OPS = comma-separated rN / wHEX / tHEX / dNS, "-" = none
//                             → "tx: ok n=<k> read[<hex>] write transfer[<hex>] delay" | "tx: err …"
// Errors print as WIT spells the case: overrun, mode-fault, frame-format, chip-select-fault,
// other (the message of `other` is for people and is not printed).
#include "conf.h"

typedef struct { uint8_t tag; conf_string other; } spi_error;  // variant error
_Static_assert(sizeof(spi_error) == 12 && offsetof(spi_error, other) == 4, "variant error");
typedef struct { uint8_t is_err; union { conf_bytes ok; spi_error err; int32_t handle; } val; } r_any;
_Static_assert(sizeof(r_any) == 16 && offsetof(r_any, val) == 4, "result<_, error> and friends");
typedef struct { uint8_t tag; union { uint64_t read; conf_bytes bytes; uint32_t ns; } val; } op_t;
_Static_assert(sizeof(op_t) == 16 && offsetof(op_t, val) == 8, "variant operation");
typedef struct { uint8_t tag; conf_bytes bytes; } op_result;
_Static_assert(sizeof(op_result) == 12 && offsetof(op_result, bytes) == 4, "variant operation-result");
typedef struct { conf_string *ptr; size_t len; } string_list;

#define SPI "wasi:spi/spi"
__attribute__((import_module(SPI), import_name("get-device-names"))) extern void spi_names(string_list *);
__attribute__((import_module(SPI), import_name("open-device"))) extern void spi_open(const char *, size_t, r_any *);
__attribute__((import_module(SPI), import_name("[method]spi-device.configure"))) extern void spi_configure(int32_t, int32_t, int32_t, int32_t, r_any *);
__attribute__((import_module(SPI), import_name("[method]spi-device.read"))) extern void spi_read(int32_t, uint64_t, r_any *);
__attribute__((import_module(SPI), import_name("[method]spi-device.write"))) extern void spi_write(int32_t, const uint8_t *, size_t, r_any *);
__attribute__((import_module(SPI), import_name("[method]spi-device.transfer"))) extern void spi_transfer(int32_t, const uint8_t *, size_t, r_any *);
__attribute__((import_module(SPI), import_name("[method]spi-device.transaction"))) extern void spi_transaction(int32_t, const op_t *, size_t, r_any *);
__attribute__((import_module(SPI), import_name("[resource-drop]spi-device"))) extern void spi_drop(int32_t);

static int print_err(const char *cmd, r_any *r) {
  static const char *const names[] = {"overrun", "mode-fault", "frame-format", "chip-select-fault", "other"};
  if (!r->is_err) return 0;
  printf("%s: err %s\n", cmd, r->val.err.tag < 5 ? names[r->val.err.tag] : "?");
  if (r->val.err.tag == 4) conf_free(r->val.err.other.ptr, r->val.err.other.len);
  return 1;
}

static void print_bytes(const char *cmd, r_any *r) {
  if (print_err(cmd, r)) return;
  printf("%s: ok", cmd);
  if (r->val.ok.len) printf(" ");
  conf_print_hex(r->val.ok.ptr, r->val.ok.len);
  printf("\n");
  conf_free(r->val.ok.ptr, r->val.ok.len);
}

static int32_t open_dev(const char *cmd, const char *name) {
  r_any r;
  spi_open(name, strlen(name), &r);
  char what[160];
  snprintf(what, sizeof what, "%s %s", cmd, name);
  if (print_err(what, &r)) return -1;
  return r.val.handle;
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IONBF, 0);
  conf_args a = {argc, argv, 1};
  int32_t dev = -1;
  while (a.i < argc) {
    const char *cmd = conf_next(&a, "command");
    r_any r;
    if (!strcmp(cmd, "names")) {
      string_list l;
      spi_names(&l);
      printf("names:");
      for (size_t i = 0; i < l.len; i++) printf("%s%.*s", i ? "," : " ", (int)l.ptr[i].len, l.ptr[i].ptr), conf_free(l.ptr[i].ptr, l.ptr[i].len);
      printf("\n");
      conf_free(l.ptr, l.len);
    } else if (!strcmp(cmd, "open")) {
      const char *name = conf_next(&a, "device name");
      int32_t h = open_dev("open", name);
      if (h >= 0) dev = h, printf("open %s: ok\n", name);
    } else if (!strcmp(cmd, "open-again")) {
      const char *name = conf_next(&a, "device name");
      int32_t h = open_dev("open-again", name);
      if (h >= 0) printf("open-again: ok %s\n", h != dev ? "distinct" : "same handle"), dev = h;
    } else if (!strcmp(cmd, "drop")) {
      if (dev >= 0) spi_drop(dev);
      dev = -1;
      printf("drop: ok\n");
    } else if (!strcmp(cmd, "configure")) {
      uint32_t hz = (uint32_t)conf_num(conf_next(&a, "frequency"));
      int32_t mode = (int32_t)conf_num(conf_next(&a, "mode"));
      int32_t lsb = (int32_t)conf_num(conf_next(&a, "lsb-first"));
      spi_configure(dev, (int32_t)hz, mode, lsb, &r);
      if (!print_err("configure", &r)) printf("configure: ok\n");
    } else if (!strcmp(cmd, "read")) {
      spi_read(dev, conf_num(conf_next(&a, "length")), &r);
      print_bytes("read", &r);
    } else if (!strcmp(cmd, "write")) {
      conf_bytes d = conf_hex(conf_next(&a, "hex data"));
      spi_write(dev, d.ptr, d.len, &r);
      if (!print_err("write", &r)) printf("write: ok\n");
      free(d.ptr);
    } else if (!strcmp(cmd, "transfer")) {
      conf_bytes d = conf_hex(conf_next(&a, "hex data"));
      spi_transfer(dev, d.ptr, d.len, &r);
      print_bytes("transfer", &r);
      free(d.ptr);
    } else if (!strcmp(cmd, "tx")) {
      char *spec = strdup(conf_next(&a, "operations"));
      op_t ops[64];
      size_t n = 0;
      for (char *tok = strtok(spec, ","); tok && n < 64 && strcmp(tok, "-"); tok = strtok(NULL, ",")) {
        memset(&ops[n], 0, sizeof ops[n]);
        switch (tok[0]) {
          case 'r': ops[n].tag = 0, ops[n].val.read = conf_num(tok + 1); break;
          case 'w': ops[n].tag = 1, ops[n].val.bytes = conf_hex(tok[1] ? tok + 1 : "-"); break;
          case 't': ops[n].tag = 2, ops[n].val.bytes = conf_hex(tok[1] ? tok + 1 : "-"); break;
          default: ops[n].tag = 3, ops[n].val.ns = (uint32_t)conf_num(tok + 1); break;
        }
        n++;
      }
      spi_transaction(dev, ops, n, &r);
      if (!print_err("tx", &r)) {
        op_result *res = (op_result *)r.val.ok.ptr;
        printf("tx: ok n=%zu", r.val.ok.len);
        for (size_t i = 0; i < r.val.ok.len; i++) {
          static const char *const kinds[] = {"read", "write", "transfer", "delay"};
          printf(" %s", res[i].tag < 4 ? kinds[res[i].tag] : "?");
          if (res[i].tag == 0 || res[i].tag == 2) {
            printf("[");
            conf_print_hex(res[i].bytes.ptr, res[i].bytes.len);
            printf("]");
            conf_free(res[i].bytes.ptr, res[i].bytes.len);
          }
        }
        printf("\n");
        conf_free(r.val.ok.ptr, r.val.ok.len);
      }
      for (size_t i = 0; i < n; i++) if (ops[i].tag == 1 || ops[i].tag == 2) free(ops[i].val.bytes.ptr);
      free(spec);
    } else {
      printf("unknown command %s\n", cmd);
      return 1;
    }
  }
  return 0;
}
