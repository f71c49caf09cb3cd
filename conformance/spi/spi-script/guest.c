// build: world=wasi:spi/wasi-spi
// Conformance guest for wasi:spi, embedded against upstream's own world `wasi-spi` (it imports
// wasi:spi/spi and nothing else of this host). Built twice from this source: here for the current
// revision (a4797e2), and as ../spi-script-3fe70d6 for the previous one (3fe70d6), which adds the
// `names` and `configure` commands and opens with `open-device` instead of `open`.
// Its arguments are a script of commands, each printing a line:
//   open NAME                 open / open-device (becomes current) → "open NAME: ok" | "open NAME: err <error>"
//   open-again NAME           a second handle, made current → "open-again: ok distinct"
//   drop                      drops the current handle     → "drop: ok"
//   names                     (3fe70d6) get-device-names   → "names: a,b"
//   configure HZ MODE LSB     (3fe70d6) configure (MODE 0-3, LSB 0/1) → "configure: ok" | "configure: err …"
//   read LEN | write HEX | transfer HEX                     → "<cmd>: ok [<hex>]" | "<cmd>: err …"
//   tx OPS                    transaction, OPS = comma-separated rN / wHEX / tHEX / dNS, "-" = none
//                             → "tx: ok n=<k> read[<hex>] write transfer[<hex>] delay" | "tx: err …"
// Errors print as WIT spells the case: overrun, mode-fault, frame-format, chip-select-fault,
// other (the message of `other` is for people and is not printed).
#include "conf.h"
#include "wasi_spi.h"

// Prints "<cmd>: err <case>" and frees the message of `other`.
static void print_err(const char *cmd, spi_error_t *e) {
  printf("%s: err %s\n", cmd, spi_error_name(e->tag));
  if (e->tag == SPI_ERR_OTHER) cabi_free_list(e->message.ptr, e->message.len);
}

static void print_bytes(const char *cmd, spi_result_bytes_t *r) {
  if (r->is_err) return print_err(cmd, &r->val.err);
  edge_print_ok_hex(cmd, r->val.ok.ptr, r->val.ok.len);
  cabi_free_list(r->val.ok.ptr, r->val.ok.len);
}

static spi_device_t open_dev(const char *cmd, const char *name) {
  spi_result_device_t r;
#ifdef SPI_REVISION_3FE70D6
  spi_open_device(name, strlen(name), &r);
#else
  spi_open(name, strlen(name), &r);
#endif
  if (!r.is_err) return r.val.handle;
  char what[160];
  snprintf(what, sizeof what, "%s %s", cmd, name);
  print_err(what, &r.val.err);
  return -1;
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IONBF, 0);
  conf_args a = {argc, argv, 1};
  spi_device_t dev = -1;
  while (a.i < argc) {
    const char *cmd = conf_next(&a, "command");
    if (!strcmp(cmd, "open")) {
      const char *name = conf_next(&a, "device name");
      spi_device_t h = open_dev("open", name);
      if (h >= 0) dev = h, printf("open %s: ok\n", name);
    } else if (!strcmp(cmd, "open-again")) {
      const char *name = conf_next(&a, "device name");
      spi_device_t h = open_dev("open-again", name);
      if (h >= 0) printf("open-again: ok %s\n", h != dev ? "distinct" : "same handle"), dev = h;
    } else if (!strcmp(cmd, "drop")) {
      if (dev >= 0) spi_device_drop(dev);
      dev = -1;
      printf("drop: ok\n");
#ifdef SPI_REVISION_3FE70D6
    } else if (!strcmp(cmd, "names")) {
      spi_string_list_t l;
      spi_get_device_names(&l);
      conf_print_names("names", &l);
    } else if (!strcmp(cmd, "configure")) {
      uint32_t hz = (uint32_t)conf_num(conf_next(&a, "frequency"));
      int32_t mode = (int32_t)conf_num(conf_next(&a, "mode"));
      int32_t lsb = (int32_t)conf_num(conf_next(&a, "lsb-first"));
      spi_result_unit_t r;
      spi_configure(dev, hz, mode, lsb, &r);
      if (r.is_err) print_err("configure", &r.err);
      else printf("configure: ok\n");
#endif
    } else if (!strcmp(cmd, "read")) {
      spi_result_bytes_t r;
      spi_read(dev, conf_num(conf_next(&a, "length")), &r);
      print_bytes("read", &r);
    } else if (!strcmp(cmd, "write")) {
      spi_bytes_t d = conf_hex(conf_next(&a, "hex data"));
      spi_result_unit_t r;
      spi_write(dev, d.ptr, d.len, &r);
      if (r.is_err) print_err("write", &r.err);
      else printf("write: ok\n");
      free(d.ptr);
    } else if (!strcmp(cmd, "transfer")) {
      spi_bytes_t d = conf_hex(conf_next(&a, "hex data"));
      spi_result_bytes_t r;
      spi_transfer(dev, d.ptr, d.len, &r);
      print_bytes("transfer", &r);
      free(d.ptr);
    } else if (!strcmp(cmd, "tx")) {
      char *spec = strdup(conf_next(&a, "operations"));
      spi_operation_t ops[64];
      size_t n = 0;
      for (char *tok = strtok(spec, ","); tok && n < 64 && strcmp(tok, "-"); tok = strtok(NULL, ",")) {
        memset(&ops[n], 0, sizeof ops[n]);
        switch (tok[0]) {
          case 'r': ops[n].tag = SPI_OP_READ, ops[n].val.read = conf_num(tok + 1); break;
          case 'w': ops[n].tag = SPI_OP_WRITE, ops[n].val.write = conf_hex(tok[1] ? tok + 1 : "-"); break;
          case 't': ops[n].tag = SPI_OP_TRANSFER, ops[n].val.transfer = conf_hex(tok[1] ? tok + 1 : "-"); break;
          default: ops[n].tag = SPI_OP_DELAY_NS, ops[n].val.delay_ns = (uint32_t)conf_num(tok + 1); break;
        }
        n++;
      }
      spi_result_ops_t r;
      spi_transaction(dev, ops, n, &r);
      if (r.is_err) print_err("tx", &r.val.err);
      else {
        spi_operation_result_t *res = r.val.ok.ptr;
        printf("tx: ok n=%zu", r.val.ok.len);
        for (size_t i = 0; i < r.val.ok.len; i++) {
          printf(" %s", res[i].tag < 4 ? SPI_OP_RESULT_NAMES[res[i].tag] : "?");
          if (res[i].tag == SPI_OP_READ || res[i].tag == SPI_OP_TRANSFER) {
            printf("[");
            edge_print_hex(res[i].bytes.ptr, res[i].bytes.len);
            printf("]");
            cabi_free_list(res[i].bytes.ptr, res[i].bytes.len);
          }
        }
        printf("\n");
        cabi_free_list(r.val.ok.ptr, r.val.ok.len);
      }
      for (size_t i = 0; i < n; i++) {
        if (ops[i].tag == SPI_OP_WRITE) free(ops[i].val.write.ptr);
        else if (ops[i].tag == SPI_OP_TRANSFER) free(ops[i].val.transfer.ptr);
      }
      free(spec);
    } else {
      printf("unknown command %s\n", cmd);
      return 1;
    }
  }
  return 0;
}
