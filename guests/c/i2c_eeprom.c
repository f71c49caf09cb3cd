// An AT24C32 EEPROM round trip through wasi:i2c `transaction`: a page write (2-byte word address
// + 16 data bytes) as one transaction, ACK polling while the chip runs its write cycle (it does
// not acknowledge its address then), and a random read back as ONE transaction with two reads
// (write word address, repeated START, read 8, repeated START, read 8).
// argv: [bus name (default i2c-sim0)] [address (default 0x50)]
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "wasi_i2c.h"

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IONBF, 0);
  const char *name = argc > 1 ? argv[1] : "i2c-sim0";
  int address = argc > 2 ? (int)strtol(argv[2], NULL, 0) : 0x50;
  char err[40];

  i2c_handle_t bus = access_open_i2c_or_exit(name);
  delay_handle_t delay = access_get_delay();

  const uint16_t at = 0x0100;
  uint8_t page[2 + 16] = {at >> 8, at & 0xff};
  for (int i = 0; i < 16; i++) page[2 + i] = (uint8_t)(0xa0 + i * 3);

  i2c_operation_t write_op = {.tag = I2C_OP_WRITE, .val.write = {page, sizeof page}};
  i2c_result_lists_t w;
  i2c_transaction(bus, address, &write_op, 1, &w);
  if (w.is_err) {
    printf("error: page write: %s\n", i2c_error_name(w.val.err, err, sizeof err));
    return 1;
  }
  printf("eeprom: wrote 16 bytes at 0x%04x (transaction returned %zu results)\n", at, w.val.ok.len);
  free(w.val.ok.ptr);

  // ACK polling: a write of just the word address is NACKed on the address while tWR runs.
  int polls = 0;
  for (;;) {
    i2c_operation_t poll = {.tag = I2C_OP_WRITE, .val.write = {page, 2}};
    i2c_result_lists_t p;
    i2c_transaction(bus, address, &poll, 1, &p);
    if (!p.is_err) {
      free(p.val.ok.ptr);
      break;
    }
    if (!(p.val.err.tag == I2C_ERR_NO_ACKNOWLEDGE && p.val.err.source == I2C_NACK_ADDRESS) || ++polls > 100) {
      printf("error: polling: %s\n", i2c_error_name(p.val.err, err, sizeof err));
      return 1;
    }
    delay_delay_ns(delay, 500000);
  }
  printf("eeprom: write cycle done after %d busy poll%s\n", polls, polls == 1 ? "" : "s");

  i2c_operation_t ops[3] = {
      {.tag = I2C_OP_WRITE, .val.write = {page, 2}},
      {.tag = I2C_OP_READ, .val.read = 8},
      {.tag = I2C_OP_READ, .val.read = 8},
  };
  i2c_result_lists_t r;
  i2c_transaction(bus, address, ops, 3, &r);
  if (r.is_err) {
    printf("error: read back: %s\n", i2c_error_name(r.val.err, err, sizeof err));
    return 1;
  }
  uint8_t back[16];
  size_t n = 0;
  for (size_t i = 0; i < r.val.ok.len; i++) {
    i2c_bytes_t part = r.val.ok.ptr[i];
    for (size_t j = 0; j < part.len && n < 16; j++) back[n++] = part.ptr[j];
    free(part.ptr);
  }
  printf("eeprom: read back %zu bytes in %zu parts:", n, r.val.ok.len);
  for (size_t i = 0; i < n; i++) printf(" %02x", back[i]);
  printf("\n");
  free(r.val.ok.ptr);
  int same = n == 16 && memcmp(back, page + 2, 16) == 0;
  printf("eeprom round trip: %s\n", same ? "match" : "MISMATCH");
  delay_drop(delay);
  i2c_drop(bus);
  return same ? 0 : 1;
}
