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
#include "wasi_i2c.h"

static void print_err(const char *cmd, i2c_error_t e) {
  char name[40];
  printf("%s: err %s\n", cmd, i2c_error_name(e, name, sizeof name));
}

static void print_bytes_result(const char *cmd, i2c_result_bytes_t *r) {
  if (r->is_err) return print_err(cmd, r->val.err);
  edge_print_ok_hex(cmd, r->val.ok.ptr, r->val.ok.len);
  cabi_free_list(r->val.ok.ptr, r->val.ok.len);
}

static i2c_handle_t open_bus(const char *cmd, const char *name) {
  access_result_i2c_t r;
  access_open_i2c(name, strlen(name), &r);
  if (r.is_err) {
    printf("%s %s: err %s\n", cmd, name, access_error_name(r.val.err.tag));
    if (r.val.err.tag == ACCESS_UNAVAILABLE) cabi_free_list(r.val.err.message.ptr, r.val.err.message.len);
    return -1;
  }
  return r.val.handle;
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IONBF, 0);
  conf_args a = {argc, argv, 1};
  i2c_handle_t bus = -1;
  while (a.i < argc) {
    const char *cmd = conf_next(&a, "command");
    if (!strcmp(cmd, "list")) {
      edge_string_list_t l;
      access_list_i2c_buses(&l);
      conf_print_names("list", &l);
    } else if (!strcmp(cmd, "open")) {
      const char *name = conf_next(&a, "bus name");
      i2c_handle_t h = open_bus("open", name);
      if (h >= 0) bus = h, printf("open %s: ok\n", name);
    } else if (!strcmp(cmd, "open-again")) {
      const char *name = conf_next(&a, "bus name");
      i2c_handle_t h = open_bus("open-again", name);
      if (h >= 0) printf("open-again: ok %s\n", h != bus ? "distinct" : "same handle"), i2c_drop(h);
    } else if (!strcmp(cmd, "drop")) {
      if (bus >= 0) i2c_drop(bus);
      bus = -1;
      printf("drop: ok\n");
    } else if (!strcmp(cmd, "read")) {
      int32_t addr = (int32_t)conf_num(conf_next(&a, "address"));
      uint64_t len = conf_num(conf_next(&a, "length"));
      i2c_result_bytes_t r;
      i2c_read(bus, addr, len, &r);
      print_bytes_result("read", &r);
    } else if (!strcmp(cmd, "write")) {
      int32_t addr = (int32_t)conf_num(conf_next(&a, "address"));
      i2c_bytes_t d = conf_hex(conf_next(&a, "hex data"));
      i2c_result_unit_t r;
      i2c_write(bus, addr, d.ptr, d.len, &r);
      if (r.is_err) print_err("write", r.err);
      else printf("write: ok\n");
      free(d.ptr);
    } else if (!strcmp(cmd, "write-read")) {
      int32_t addr = (int32_t)conf_num(conf_next(&a, "address"));
      i2c_bytes_t d = conf_hex(conf_next(&a, "hex data"));
      uint64_t len = conf_num(conf_next(&a, "length"));
      i2c_result_bytes_t r;
      i2c_write_read(bus, addr, d.ptr, d.len, len, &r);
      print_bytes_result("write-read", &r);
      free(d.ptr);
    } else if (!strcmp(cmd, "tx")) {
      int32_t addr = (int32_t)conf_num(conf_next(&a, "address"));
      char *spec = strdup(conf_next(&a, "operations"));
      i2c_operation_t ops[64];
      size_t n = 0;
      for (char *tok = strtok(spec, ","); tok && n < 64 && strcmp(tok, "-"); tok = strtok(NULL, ",")) {
        if (tok[0] == 'r') ops[n] = i2c_op_read(conf_num(tok + 1));
        else ops[n].tag = I2C_OP_WRITE, ops[n].val.write = conf_hex(tok[1] ? tok + 1 : "-");
        n++;
      }
      i2c_result_lists_t r;
      i2c_transaction(bus, addr, ops, n, &r);
      if (r.is_err) print_err("tx", r.val.err);
      else {
        printf("tx: ok n=%zu", r.val.ok.len);
        for (size_t i = 0; i < r.val.ok.len; i++) {
          printf(" [");
          edge_print_hex(r.val.ok.ptr[i].ptr, r.val.ok.ptr[i].len);
          printf("]");
          cabi_free_list(r.val.ok.ptr[i].ptr, r.val.ok.ptr[i].len);
        }
        printf("\n");
        cabi_free_list(r.val.ok.ptr, r.val.ok.len);
      }
      for (size_t i = 0; i < n; i++) if (ops[i].tag == I2C_OP_WRITE) free(ops[i].val.write.ptr);
      free(spec);
    } else if (!strcmp(cmd, "delay")) {
      uint32_t ns = (uint32_t)conf_num(conf_next(&a, "nanoseconds"));
      delay_handle_t d = access_get_delay();
      delay_delay_ns(d, ns);
      delay_drop(d);
      printf("delay: ok\n");
    } else {
      printf("unknown command %s\n", cmd);
      return 1;
    }
  }
  return 0;
}
