// build: world=wasi:spi/wasi-spi
// wasi:spi guest of the current revision (upstream a4797e2, embedded against upstream's own world
// `wasi-spi`): opens devices by name with `open`, reads an SPI NOR flash's JEDEC ID with one
// transaction (chip select held across the command write and the 3-byte read), reads 4 bytes of
// the array, converts MCP3008 channel 0, and shows the error for a device that does not exist.
// Clock, mode and bit order are the host's configuration (spi.devices.<name>.frequency, …).
// argv: [flash device (default spi-flash0)] [adc device (default spi-adc0)]
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "wasi_spi.h"

static spi_device_t open_dev(const char *name) {
  spi_result_device_t r;
  spi_open(name, strlen(name), &r);
  if (r.is_err) {
    printf("open(%s): %s: %.*s\n", name, spi_error_name(r.val.err.tag), (int)r.val.err.message.len,
           r.val.err.message.ptr ? r.val.err.message.ptr : "");
    return -1;
  }
  return r.val.handle;
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IONBF, 0);
  const char *flash_name = argc > 1 ? argv[1] : "spi-flash0";
  const char *adc_name = argc > 2 ? argv[2] : "spi-adc0";

  spi_device_t flash = open_dev(flash_name);
  if (flash < 0) return 1;
  uint8_t jedec = 0x9f;
  spi_operation_t ops[2] = {
      {.tag = SPI_OP_WRITE, .val.write = {&jedec, 1}},
      {.tag = SPI_OP_READ, .val.read = 3},
  };
  spi_result_ops_t r;
  spi_transaction(flash, ops, 2, &r);
  if (r.is_err || r.val.ok.len != 2 || r.val.ok.ptr[1].bytes.len != 3) {
    printf("error: JEDEC ID transaction failed\n");
    return 1;
  }
  uint8_t *id = r.val.ok.ptr[1].bytes.ptr;
  printf("flash JEDEC ID: %02x %02x %02x (results: %zu, tags %d %d)\n", id[0], id[1], id[2], r.val.ok.len,
         r.val.ok.ptr[0].tag, r.val.ok.ptr[1].tag);
  free(id);
  free(r.val.ok.ptr);

  uint8_t read_cmd[4 + 4] = {0x03, 0x00, 0x00, 0x00};
  spi_result_bytes_t t;
  spi_transfer(flash, read_cmd, sizeof read_cmd, &t);
  if (t.is_err) {
    printf("error: read: %s\n", SPI_ERROR_NAMES[t.val.err.tag]);
    return 1;
  }
  printf("flash[0..4]: %02x %02x %02x %02x\n", t.val.ok.ptr[4], t.val.ok.ptr[5], t.val.ok.ptr[6], t.val.ok.ptr[7]);
  free(t.val.ok.ptr);
  spi_device_drop(flash);

  spi_device_t adc = open_dev(adc_name);
  if (adc >= 0) {
    uint8_t frame[3] = {0x01, 0x80 | (0 << 4), 0x00};
    spi_transfer(adc, frame, 3, &t);
    if (!t.is_err) {
      int code = ((t.val.ok.ptr[1] & 3) << 8) | t.val.ok.ptr[2];
      printf("mcp3008 ch0: %d (%d mV at Vref 3300 mV)\n", code, code * 3300 / 1024);
      free(t.val.ok.ptr);
    }
    spi_device_drop(adc);
  }

  spi_device_t none = open_dev("no-such-device");
  return none < 0 ? 0 : 1;
}
