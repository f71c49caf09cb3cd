// Hardware test guest for the ARM QEMU VM (test/hardware/, sabrelite): wasi:i2c on the i.MX6's
// full I2C controller (Linux i2c-imx: I2C_FUNC_I2C, so every call is one I2C_RDWR with repeated
// STARTs) with an emulated TMP105 sensor at 0x48 and an AT24C64-style EEPROM (16-bit word
// addresses) at 0x50. Lines are "<check>: ok ..." / "<check>: err <code>"; run.mjs judges them.
// "set-temp: request <m°C>" asks the host to change the sensor's temperature over QMP while this
// guest runs; the guest then polls until it reads the new value. Argument 1: bus name ("i2c0").
#include "hw-i2c.h"

// Reads the TMP105 temperature register (pointer 0, 2 bytes, MSB first) into *raw; 0 on success.
static int read_temp(i2c_handle_t bus, uint16_t *raw) {
  const uint8_t reg = 0x00;
  i2c_result_bytes_t r;
  i2c_write_read(bus, 0x48, &reg, 1, 2, &r);
  if (r.is_err || r.val.ok.len != 2) return -1;
  *raw = (uint16_t)(r.val.ok.ptr[0] << 8 | r.val.ok.ptr[1]);
  cabi_free_list(r.val.ok.ptr, r.val.ok.len);
  return 0;
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IONBF, 0);
  i2c_handle_t bus = hw_open(argc > 1 ? argv[1] : "i2c0");
  delay_handle_t delay = access_get_delay();

  // Combined write-read: pointer byte, repeated START, 2 bytes (23.5 °C set by the host = 0x1780).
  const uint8_t temp_reg = 0x00;
  hw_write_read("temp", bus, 0x48, &temp_reg, 1, 2, 2);

  // Configuration register (pointer 1): 12-bit resolution (R1:R0 = 11 → 0x60), read back.
  static const uint8_t cfg_w[2] = {0x01, 0x60};
  hw_write("config-write", bus, 0x48, cfg_w, 2);
  const uint8_t cfg_reg = 0x01;
  hw_write_read("config-read", bus, 0x48, &cfg_reg, 1, 1, 1);

  // One transaction, four messages: set T_HIGH (pointer 3) to 80 °C, then read temperature and
  // T_HIGH back, each after a repeated START. One I2C_RDWR ioctl with 4 i2c_msg entries.
  static const uint8_t thigh_w[3] = {0x03, 0x50, 0x00};
  const uint8_t thigh_reg = 0x03;
  i2c_operation_t ops[5] = {i2c_op_write(thigh_w, 3), i2c_op_write(&temp_reg, 1), i2c_op_read(2), i2c_op_write(&thigh_reg, 1), i2c_op_read(2)};
  hw_transaction("transaction", bus, 0x48, ops, 5);
  // A plain read continues at the pointer the transaction left (T_HIGH).
  hw_read("plain-read", bus, 0x48, 2);

  // EEPROM with 16-bit word addresses: a 2-byte address + data write, then write-read with a
  // 2-byte address — the shape an SMBus-only adapter must refuse — reads it back.
  static const uint8_t ee_w[18] = {0x01, 0x00, 'h', 'e', 'l', 'l', 'o', ' ', 'f', 'r', 'o', 'm', ' ', 'w', 'a', 's', 'm', '!'};
  hw_write("eeprom-write", bus, 0x50, ee_w, sizeof ee_w);
  static const uint8_t ee_addr[2] = {0x01, 0x00};
  hw_write_read("eeprom-read", bus, 0x50, ee_addr, 2, 16, 16);
  static const uint8_t ee_addr5[2] = {0x01, 0x06};
  hw_write_read("eeprom-read-offset", bus, 0x50, ee_addr5, 2, 4, 4);

  // Nobody at 0x30: the controller reports the missing ACK.
  const uint8_t zero = 0;
  hw_write_read("nack", bus, 0x30, &zero, 1, 1, 1);

  // The host changes the temperature while this guest runs; poll until the new value shows.
  uint16_t before = 0, now = 0;
  if (read_temp(bus, &before) != 0) printf("temp-before: err read failed\n");
  printf("set-temp: request 30000\n");
  int polls = 0;
  for (; polls < 600; polls++) {  // 600 × 50 ms = 30 s at most
    if (read_temp(bus, &now) == 0 && now != before) break;
    delay_delay_ns(delay, 50 * 1000 * 1000);
  }
  printf("temp-after: ok %02x %02x\n", now >> 8, now & 0xff);

  i2c_drop(bus);
  printf("done: ok\n");
  return 0;
}
