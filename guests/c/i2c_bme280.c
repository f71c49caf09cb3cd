// A BME280 driver as a guest: opens an I2C bus through wasi-edge:host/access, checks the chip id,
// reads the calibration words, runs forced-mode measurements and converts them with the
// datasheet's integer compensation (BST-BME280-DS002 §8.2). Prints °C, hPa and %RH.
// argv: [bus name (default i2c-sim0)] [number of readings (default 1)] [address (default 0x76)]
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "wasi_i2c.h"

static i2c_handle_t bus;
static delay_handle_t delay;
static int address = 0x76;

static int reg_read(uint8_t reg, uint8_t *out, size_t n) {
  i2c_result_bytes_t r;
  i2c_write_read(bus, address, &reg, 1, n, &r);
  if (r.is_err) {
    char name[40];
    printf("error: reading register 0x%02x: %s\n", reg, i2c_error_name(r.val.err, name, sizeof name));
    return -1;
  }
  memcpy(out, r.val.ok.ptr, r.val.ok.len < n ? r.val.ok.len : n);
  free(r.val.ok.ptr);
  return 0;
}

static int reg_write(uint8_t reg, uint8_t value) {
  uint8_t data[2] = {reg, value};
  i2c_result_unit_t r;
  i2c_write(bus, address, data, 2, &r);
  if (r.is_err) {
    char name[40];
    printf("error: writing register 0x%02x: %s\n", reg, i2c_error_name(r.err, name, sizeof name));
    return -1;
  }
  return 0;
}

typedef struct {
  uint16_t T1; int16_t T2, T3;
  uint16_t P1; int16_t P2, P3, P4, P5, P6, P7, P8, P9;
  uint8_t H1, H3; int16_t H2, H4, H5; int8_t H6;
} calib_t;

static int32_t t_fine;

static int32_t compensate_t(int32_t adc_T, const calib_t *c) {
  int32_t var1 = ((((adc_T >> 3) - ((int32_t)c->T1 << 1))) * ((int32_t)c->T2)) >> 11;
  int32_t var2 = (((((adc_T >> 4) - ((int32_t)c->T1)) * ((adc_T >> 4) - ((int32_t)c->T1))) >> 12) * ((int32_t)c->T3)) >> 14;
  t_fine = var1 + var2;
  return (t_fine * 5 + 128) >> 8; // 0.01 °C
}

static uint32_t compensate_p(int32_t adc_P, const calib_t *c) {
  int64_t var1 = ((int64_t)t_fine) - 128000;
  int64_t var2 = var1 * var1 * (int64_t)c->P6;
  var2 = var2 + ((var1 * (int64_t)c->P5) << 17);
  var2 = var2 + (((int64_t)c->P4) << 35);
  var1 = ((var1 * var1 * (int64_t)c->P3) >> 8) + ((var1 * (int64_t)c->P2) << 12);
  var1 = (((((int64_t)1) << 47) + var1)) * ((int64_t)c->P1) >> 33;
  if (var1 == 0) return 0;
  int64_t p = 1048576 - adc_P;
  p = (((p << 31) - var2) * 3125) / var1;
  var1 = (((int64_t)c->P9) * (p >> 13) * (p >> 13)) >> 25;
  var2 = (((int64_t)c->P8) * p) >> 19;
  p = ((p + var1 + var2) >> 8) + (((int64_t)c->P7) << 4);
  return (uint32_t)p; // Pa, Q24.8
}

static uint32_t compensate_h(int32_t adc_H, const calib_t *c) {
  int32_t v = t_fine - ((int32_t)76800);
  v = (((((adc_H << 14) - (((int32_t)c->H4) << 20) - (((int32_t)c->H5) * v)) + ((int32_t)16384)) >> 15) *
       (((((((v * ((int32_t)c->H6)) >> 10) * (((v * ((int32_t)c->H3)) >> 11) + ((int32_t)32768))) >> 10) +
          ((int32_t)2097152)) * ((int32_t)c->H2) + 8192) >> 14));
  v = (v - (((((v >> 15) * (v >> 15)) >> 7) * ((int32_t)c->H1)) >> 4));
  v = v < 0 ? 0 : v;
  v = v > 419430400 ? 419430400 : v;
  return (uint32_t)(v >> 12); // %RH, Q22.10
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IONBF, 0);
  const char *name = argc > 1 ? argv[1] : "i2c-sim0";
  int count = argc > 2 ? atoi(argv[2]) : 1;
  if (argc > 3) address = (int)strtol(argv[3], NULL, 0);

  bus = access_open_i2c_or_exit(name);
  delay = access_get_delay();

  uint8_t id;
  if (reg_read(0xd0, &id, 1)) return 1;
  if (id != 0x60) {
    printf("error: chip id 0x%02x is not a BME280 (0x60)\n", id);
    return 1;
  }
  if (reg_write(0xe0, 0xb6)) return 1; // soft reset
  delay_delay_ns(delay, 2000000);     // start-up time 2 ms

  uint8_t a[26], b[7];
  if (reg_read(0x88, a, 26) || reg_read(0xe1, b, 7)) return 1;
  calib_t c = {
    .T1 = (uint16_t)(a[0] | a[1] << 8), .T2 = (int16_t)(a[2] | a[3] << 8), .T3 = (int16_t)(a[4] | a[5] << 8),
    .P1 = (uint16_t)(a[6] | a[7] << 8), .P2 = (int16_t)(a[8] | a[9] << 8), .P3 = (int16_t)(a[10] | a[11] << 8),
    .P4 = (int16_t)(a[12] | a[13] << 8), .P5 = (int16_t)(a[14] | a[15] << 8), .P6 = (int16_t)(a[16] | a[17] << 8),
    .P7 = (int16_t)(a[18] | a[19] << 8), .P8 = (int16_t)(a[20] | a[21] << 8), .P9 = (int16_t)(a[22] | a[23] << 8),
    .H1 = a[25], .H2 = (int16_t)(b[0] | b[1] << 8), .H3 = b[2],
    .H4 = (int16_t)(((int8_t)b[3]) * 16 | (b[4] & 0x0f)), .H5 = (int16_t)(((int8_t)b[5]) * 16 | (b[4] >> 4)),
    .H6 = (int8_t)b[6],
  };
  printf("bme280 at 0x%02x on %s: dig_T1=%u dig_T2=%d dig_T3=%d\n", address, name, c.T1, c.T2, c.T3);

  if (reg_write(0xf2, 0x01)) return 1; // humidity oversampling x1 (takes effect with ctrl_meas)
  for (int i = 0; i < count; i++) {
    if (reg_write(0xf4, (1 << 5) | (1 << 2) | 0x01)) return 1; // osrs_t x1, osrs_p x1, forced mode
    int polls = 0;
    for (;;) {
      uint8_t status;
      if (reg_read(0xf3, &status, 1)) return 1;
      if (!(status & 0x08)) break;
      if (++polls > 100) {
        printf("error: measurement never finished\n");
        return 1;
      }
      delay_delay_ns(delay, 1000000);
    }
    uint8_t d[8];
    if (reg_read(0xf7, d, 8)) return 1;
    int32_t adc_P = (int32_t)((uint32_t)d[0] << 12 | (uint32_t)d[1] << 4 | d[2] >> 4);
    int32_t adc_T = (int32_t)((uint32_t)d[3] << 12 | (uint32_t)d[4] << 4 | d[5] >> 4);
    int32_t adc_H = (int32_t)((uint32_t)d[6] << 8 | d[7]);
    int32_t t = compensate_t(adc_T, &c);
    uint32_t p = compensate_p(adc_P, &c);
    uint32_t h = compensate_h(adc_H, &c);
    printf("reading %d: temperature %s%ld.%02ld C, pressure %lu.%02lu hPa, humidity %lu.%02lu %%RH (status polls %d)\n", i + 1,
           t < 0 ? "-" : "", (long)(abs(t) / 100), (long)(abs(t) % 100), (unsigned long)(p / 25600),
           (unsigned long)((p % 25600) * 100 / 25600), (unsigned long)(h / 1024), (unsigned long)((h % 1024) * 100 / 1024),
           polls);
  }
  delay_drop(delay);
  i2c_drop(bus);
  return 0;
}
