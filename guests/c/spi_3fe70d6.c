// build: world=wasi:spi/wasi-spi-host spi=3fe70d6
// wasi:spi guest of the previous revision (upstream 3fe70d6, wit/spi-3fe70d6, embedded against that
// revision's own world `wasi-spi-host`): the functions the current revision dropped still work.
// Lists the devices (`get-device-names`), opens the flash twice (`open-device`), configures the
// first handle LSB-first (`configure`) and reads the JEDEC ID through both: the first handle gets
// it bit-reversed, the second, with the host's settings, as the chip sends it.
// argv: [flash device (default spi-flash0)]
#include <stdio.h>
#include <string.h>
#include "wasi_spi.h"

static void print_err(const char *what, const spi_error_t *e) {
  printf("%s: err %s\n", what, spi_error_name(e->tag));
}

static spi_device_t open_dev(const char *name) {
  spi_result_device_t r;
  spi_open_device(name, strlen(name), &r);
  if (!r.is_err) return r.val.handle;
  char what[128];
  snprintf(what, sizeof what, "open-device(%s)", name);
  print_err(what, &r.val.err);
  return -1;
}

// "<label>: ok xx xx xx" with the three bytes after the command byte of a 9f transfer.
static int jedec(const char *label, spi_device_t dev) {
  uint8_t cmd[4] = {0x9f, 0, 0, 0};
  spi_result_bytes_t t;
  spi_transfer(dev, cmd, sizeof cmd, &t);
  if (t.is_err) return print_err(label, &t.val.err), 1;
  printf("%s: ok %02x %02x %02x\n", label, t.val.ok.ptr[1], t.val.ok.ptr[2], t.val.ok.ptr[3]);
  cabi_free_list(t.val.ok.ptr, t.val.ok.len);
  return 0;
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IONBF, 0);
  const char *flash_name = argc > 1 ? argv[1] : "spi-flash0";

  spi_string_list_t names;
  spi_get_device_names(&names);
  printf("get-device-names:");
  for (size_t i = 0; i < names.len; i++) printf(" %.*s", (int)names.ptr[i].len, names.ptr[i].ptr);
  printf("\n");
  cabi_free_strings(&names);

  spi_device_t a = open_dev(flash_name);
  spi_device_t b = open_dev(flash_name);
  if (a < 0 || b < 0) return 1;
  spi_result_unit_t cfg;
  spi_configure(a, 1000000, SPI_MODE0, 1, &cfg);  // 1 MHz, mode 0, LSB first
  if (cfg.is_err) return print_err("configure", &cfg.err), 1;
  printf("configure: ok\n");
  // LSB first, the chip sees every byte bit-reversed: send 0x9f reversed (0xf9) so that it sees 9f.
  uint8_t cmd[4] = {0xf9, 0, 0, 0};
  spi_result_bytes_t t;
  spi_transfer(a, cmd, sizeof cmd, &t);
  if (t.is_err) return print_err("lsb-first handle", &t.val.err), 1;
  printf("lsb-first handle: ok %02x %02x %02x\n", t.val.ok.ptr[1], t.val.ok.ptr[2], t.val.ok.ptr[3]);
  cabi_free_list(t.val.ok.ptr, t.val.ok.len);
  int failed = jedec("other handle", b);
  spi_device_drop(a);
  spi_device_drop(b);

  spi_result_unit_t zero;
  spi_device_t c = open_dev(flash_name);
  spi_configure(c, 0, SPI_MODE0, 0, &zero);  // a frequency of 0 is refused with other
  if (zero.is_err) print_err("configure(0 Hz)", &zero.err);
  else printf("configure(0 Hz): ok\n");
  spi_device_drop(c);
  open_dev("no-such-device");
  return failed;
}
