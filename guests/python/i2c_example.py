"""A tiny I2C app: the buses this host grants, a BME280's chip id, and what a missing chip says.

    npx wasi-edge run fixtures/components/py-i2c_example.wasm [-- BUS [ADDRESS]]
"""
import sys

from edge import i2c

bus_name = sys.argv[1] if len(sys.argv) > 1 else 'i2c-sim0'
address = int(sys.argv[2], 0) if len(sys.argv) > 2 else 0x76
print('buses:', ' '.join(i2c.buses()))
with i2c.open(bus_name) as bus:
    chip_id = bus.write_read(address, b'\xd0', 1)[0]
    print(f'{bus_name} 0x{address:02x}: chip id 0x{chip_id:02x}')
    # Nothing answers at the other BME280 address on the simulated bus: a WIT error, as an exception.
    try:
        bus.write_read(address ^ 1, b'\xd0', 1)
    except i2c.I2CError as e:
        print(f'{bus_name} 0x{address ^ 1:02x}: {e.code} ({e.detail})')
