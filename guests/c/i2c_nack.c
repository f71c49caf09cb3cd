// A guest that meets I2C errors and handles them: an absent chip (NACK on the address), an
// EEPROM busy with its write cycle (NACK on the address, retried), an address the bus does not
// allow (other), a bus name that does not exist (access error). Prints each and exits 0.
// argv: [bus name (default i2c-sim0)]
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "wasi_i2c.h"

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IONBF, 0);
  const char *name = argc > 1 ? argv[1] : "i2c-sim0";
  char err[40];
  int handled = 0;

  access_result_i2c_t missing;
  access_open_i2c("no-such-bus", 11, &missing);
  if (missing.is_err) {
    printf("open-i2c(no-such-bus): %s\n", ACCESS_ERROR_NAMES[missing.val.err.tag]);
    handled++;
  }

  i2c_handle_t bus = access_open_i2c_or_exit(name);
  delay_handle_t delay = access_get_delay();

  i2c_result_bytes_t r;
  i2c_read(bus, 0x13, 1, &r);
  if (r.is_err) {
    printf("read 0x13: %s (no chip there; skipping it)\n", i2c_error_name(r.val.err, err, sizeof err));
    handled++;
  } else {
    printf("read 0x13: unexpectedly answered\n");
    free(r.val.ok.ptr);
  }

  i2c_read(bus, 0x80, 1, &r);
  if (r.is_err) {
    printf("read 0x80: %s (not a 7-bit address)\n", i2c_error_name(r.val.err, err, sizeof err));
    handled++;
  }

  uint8_t write[3] = {0x00, 0x10, 0x5a};
  i2c_result_unit_t u;
  i2c_write(bus, 0x50, write, 3, &u);
  if (u.is_err) {
    printf("error: eeprom write: %s\n", i2c_error_name(u.err, err, sizeof err));
    return 1;
  }
  int retries = 0;
  for (;;) {
    i2c_write_read(bus, 0x50, write, 2, 1, &r);
    if (!r.is_err) break;
    if (retries == 0) {
      printf("eeprom read right after a write: %s (write cycle running), retrying\n", i2c_error_name(r.val.err, err, sizeof err));
      handled++;
    }
    if (++retries > 50) {
      printf("error: eeprom stayed busy\n");
      return 1;
    }
    delay_delay_ns(delay, 1000000);
  }
  printf("eeprom read after %d retr%s: 0x%02x\n", retries, retries == 1 ? "y" : "ies", r.val.ok.ptr[0]);
  free(r.val.ok.ptr);
  printf("handled %d errors\n", handled);
  delay_drop(delay);
  i2c_drop(bus);
  return 0;
}
