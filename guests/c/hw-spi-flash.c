// build: spi=3fe70d6
// (it calls open-device and configure: the previous wasi:spi revision, wit/spi-3fe70d6)
// Hardware test guest for the ARM QEMU VM (test/hardware/, sabrelite): wasi:spi through Linux
// spidev (spi-device) on the i.MX6's ECSPI1, where the board's SST25VF016B flash sits. Reads the
// JEDEC ID (command 0x9f → bf 25 41) as one full-duplex transfer and as a write+read transaction
// (chip select held across both). Lines are "<check>: ok ..." / "<check>: err ..." for run.mjs.
// Argument 1: the configured device name (default "flash").
#include <stdio.h>
#include <string.h>
#include "edge_util.h"
#include "wasi_spi.h"

static void print_error(const char *check, const spi_error_t *e) {
  printf("%s: err %s", check, spi_error_name(e->tag));
  if (e->tag == SPI_ERR_OTHER) printf(" %.*s", (int)e->message.len, e->message.ptr);
  printf("\n");
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IONBF, 0);
  const char *name = argc > 1 ? argv[1] : "flash";
  spi_result_device_t o;
  spi_open_device(name, strlen(name), &o);
  if (o.is_err) { print_error("open", &o.val.err); return 2; }
  spi_device_t dev = o.val.handle;
  printf("open: ok %s\n", name);

  spi_result_unit_t c;
  spi_configure(dev, 1000000, SPI_MODE0, 0, &c);  // 1 MHz, mode 0, MSB first
  if (c.is_err) print_error("configure", &c.err); else printf("configure: ok\n");

  // Full duplex: 0x9f out, then three dummy bytes while the ID comes back.
  static const uint8_t jedec[4] = {0x9f, 0, 0, 0};
  spi_result_bytes_t t;
  spi_transfer(dev, jedec, sizeof jedec, &t);
  if (t.is_err) print_error("jedec-transfer", &t.val.err);
  else { edge_print_ok_hex("jedec-transfer", t.val.ok.ptr, t.val.ok.len); cabi_free_list(t.val.ok.ptr, t.val.ok.len); }

  // The same as a transaction: write the command, read 3 bytes, chip select held between them.
  spi_operation_t ops[2] = {{.tag = SPI_OP_WRITE}, {.tag = SPI_OP_READ}};
  ops[0].val.write.ptr = (uint8_t *)jedec;
  ops[0].val.write.len = 1;
  ops[1].val.read = 3;
  spi_result_ops_t r;
  spi_transaction(dev, ops, 2, &r);
  if (r.is_err) print_error("jedec-transaction", &r.val.err);
  else {
    printf("jedec-transaction: ok");
    for (size_t i = 0; i < r.val.ok.len; i++) {
      spi_operation_result_t *x = &r.val.ok.ptr[i];
      printf("%s", i ? " |" : "");
      if (x->tag == SPI_OP_READ || x->tag == SPI_OP_TRANSFER) {
        printf(" %s ", SPI_OP_RESULT_NAMES[x->tag]);
        edge_print_hex(x->bytes.ptr, x->bytes.len);
        cabi_free_list(x->bytes.ptr, x->bytes.len);
      } else {
        printf(" %s", x->tag < 4 ? SPI_OP_RESULT_NAMES[x->tag] : "?");
      }
    }
    printf("\n");
    cabi_free_list(r.val.ok.ptr, r.val.ok.len);
  }

  spi_device_drop(dev);
  printf("done: ok\n");
  return 0;
}
