// Hardware test guest for the ARM QEMU VM (test/hardware/, sabrelite): wasi:spi through Linux
// spidev (spi-device) on the i.MX6's ECSPI1, where the board's SST25VF016B flash sits. Reads the
// JEDEC ID (command 0x9f → bf 25 41) as one full-duplex transfer and as a write+read transaction
// (chip select held across both). Lines are "<check>: ok ..." / "<check>: err ..." for run.mjs.
// Argument 1: the configured device name (default "flash").
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stddef.h>

typedef struct { uint8_t *ptr; size_t len; } bytes_t;
typedef struct { uint8_t tag; struct { char *ptr; size_t len; } message; } spi_error_t; // tag 4 = other(string)
_Static_assert(sizeof(spi_error_t) == 12, "error is 12 bytes");

typedef struct { uint8_t is_err; union { int32_t handle; spi_error_t err; } val; } result_open_t;
_Static_assert(sizeof(result_open_t) == 16, "result<spi-device, error> is 16 bytes");
typedef struct { uint8_t is_err; union { bytes_t ok; spi_error_t err; } val; } result_bytes_t;
_Static_assert(sizeof(result_bytes_t) == 16, "result<list<u8>, error> is 16 bytes");
typedef struct { uint8_t is_err; spi_error_t err; } result_unit_t;
_Static_assert(offsetof(result_unit_t, err) == 4 && sizeof(result_unit_t) == 16, "result<_, error> is 16 bytes");
// operation: read(u64) | write(list<u8>) | transfer(list<u8>) | delay-ns(u32); payload at 8.
typedef struct { uint8_t tag; union { uint64_t read; bytes_t data; uint32_t ns; } val; } operation_t;
_Static_assert(sizeof(operation_t) == 16 && offsetof(operation_t, val) == 8, "operation layout");
// operation-result: read(list<u8>) | write | transfer(list<u8>) | delay; payload at 4.
typedef struct { uint8_t tag; bytes_t data; } op_result_t;
_Static_assert(sizeof(op_result_t) == 12, "operation-result is 12 bytes");
typedef struct { uint8_t is_err; union { struct { op_result_t *ptr; size_t len; } ok; spi_error_t err; } val; } result_ops_t;
_Static_assert(sizeof(result_ops_t) == 16, "result<list<operation-result>, error> is 16 bytes");

#define SPI "wasi:spi/spi"
__attribute__((import_module(SPI), import_name("open-device")))
extern void spi_open_device(const char *name, size_t len, result_open_t *ret);
__attribute__((import_module(SPI), import_name("[method]spi-device.configure")))
extern void spi_configure(int32_t self, uint32_t frequency, int32_t mode, int32_t lsb_first, result_unit_t *ret);
__attribute__((import_module(SPI), import_name("[method]spi-device.transfer")))
extern void spi_transfer(int32_t self, const uint8_t *data, size_t len, result_bytes_t *ret);
__attribute__((import_module(SPI), import_name("[method]spi-device.transaction")))
extern void spi_transaction(int32_t self, const operation_t *ops, size_t n, result_ops_t *ret);
__attribute__((import_module(SPI), import_name("[resource-drop]spi-device")))
extern void spi_device_drop(int32_t self);

static void print_error(const char *check, const spi_error_t *e) {
  static const char *const names[] = {"overrun", "mode-fault", "frame-format", "chip-select-fault", "other"};
  printf("%s: err %s", check, e->tag < 5 ? names[e->tag] : "?");
  if (e->tag == 4) printf(" %.*s", (int)e->message.len, e->message.ptr);
  printf("\n");
}

static void print_hex(const uint8_t *p, size_t n) {
  for (size_t i = 0; i < n; i++) printf("%s%02x", i ? " " : "", p[i]);
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IONBF, 0);
  const char *name = argc > 1 ? argv[1] : "flash";
  result_open_t o;
  spi_open_device(name, strlen(name), &o);
  if (o.is_err) { print_error("open", &o.val.err); return 2; }
  int32_t dev = o.val.handle;
  printf("open: ok %s\n", name);

  result_unit_t c;
  spi_configure(dev, 1000000, 0, 0, &c);  // 1 MHz, mode 0, MSB first
  if (c.is_err) print_error("configure", &c.err); else printf("configure: ok\n");

  // Full duplex: 0x9f out, then three dummy bytes while the ID comes back.
  static const uint8_t jedec[4] = {0x9f, 0, 0, 0};
  result_bytes_t t;
  spi_transfer(dev, jedec, sizeof jedec, &t);
  if (t.is_err) print_error("jedec-transfer", &t.val.err);
  else { printf("jedec-transfer: ok "); print_hex(t.val.ok.ptr, t.val.ok.len); printf("\n"); free(t.val.ok.ptr); }

  // The same as a transaction: write the command, read 3 bytes, chip select held between them.
  operation_t ops[2] = {{.tag = 1}, {.tag = 0}};
  ops[0].val.data.ptr = (uint8_t *)jedec;
  ops[0].val.data.len = 1;
  ops[1].val.read = 3;
  result_ops_t r;
  spi_transaction(dev, ops, 2, &r);
  if (r.is_err) print_error("jedec-transaction", &r.val.err);
  else {
    printf("jedec-transaction: ok");
    for (size_t i = 0; i < r.val.ok.len; i++) {
      op_result_t *x = &r.val.ok.ptr[i];
      printf("%s", i ? " |" : "");
      if (x->tag == 0 || x->tag == 2) { printf(" %s ", x->tag == 0 ? "read" : "transfer"); print_hex(x->data.ptr, x->data.len); free(x->data.ptr); }
      else printf(" %s", x->tag == 1 ? "write" : "delay");
    }
    printf("\n");
    free(r.val.ok.ptr);
  }

  spi_device_drop(dev);
  printf("done: ok\n");
  return 0;
}
