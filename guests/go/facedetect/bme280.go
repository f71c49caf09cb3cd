package main

// Temperature from a Bosch BME280 on I2C (wasi-edge:host/access open-i2c, then wasi:i2c).

import (
	"encoding/binary"
	"errors"

	"wasi-edge-host/guests/go/edge"
)

const chipID = 0x60

// errNoChip: nothing that answers as a BME280 at the address.
var errNoChip = errors.New("no BME280")

// bme280 is a BME280 in normal mode, with its temperature calibration.
type bme280 struct {
	bus     *edge.I2c
	address edge.I2cAddress
	t1      uint16
	t2, t3  int16
	// running: the start command was acknowledged (else every read gives no temperature)
	running bool
}

// openBme280 opens the bus, checks the chip id, reads the calibration and starts normal mode. The
// error is the bus's *edge.AccessError, or errNoChip.
func openBme280(busName string, address edge.I2cAddress) (*bme280, error) {
	bus, err := edge.OpenI2c(busName)
	if err != nil {
		return nil, err
	}
	id, err := readReg(bus, address, 0xd0, 1)
	if err != nil || id[0] != chipID {
		bus.Close()
		return nil, errNoChip
	}
	c, err := readReg(bus, address, 0x88, 6)
	if err != nil {
		bus.Close()
		return nil, errNoChip
	}
	// temperature oversampling x1, pressure off, normal mode
	running := bus.Write(address, []byte{0xf4, 1<<5 | 0x03}) == nil
	return &bme280{
		bus: bus, address: address, running: running,
		t1: binary.LittleEndian.Uint16(c[0:]), t2: int16(binary.LittleEndian.Uint16(c[2:])), t3: int16(binary.LittleEndian.Uint16(c[4:])),
	}, nil
}

// temperature is °C, or false when the read failed: the datasheet's integer compensation (§8.2).
func (b *bme280) temperature() (float32, bool) {
	if !b.running {
		return 0, false
	}
	d, err := readReg(b.bus, b.address, 0xfa, 3)
	if err != nil {
		return 0, false
	}
	adc := int32(uint32(d[0])<<12 | uint32(d[1])<<4 | uint32(d[2])>>4)
	t1, t2, t3 := int32(b.t1), int32(b.t2), int32(b.t3)
	v1 := (((adc >> 3) - (t1 << 1)) * t2) >> 11
	v2 := (((((adc >> 4) - t1) * ((adc >> 4) - t1)) >> 12) * t3) >> 14
	return float32(((v1+v2)*5+128)>>8) / 100, true
}

func (b *bme280) close() { b.bus.Close() }

// readReg reads n bytes from register reg; a short answer counts as a failure.
func readReg(bus *edge.I2c, address edge.I2cAddress, reg byte, n int) ([]byte, error) {
	data, err := bus.WriteRead(address, []byte{reg}, uint64(n))
	if err != nil {
		return nil, err
	}
	if len(data) != n {
		return nil, &edge.I2cError{Kind: edge.I2cOther}
	}
	return data, nil
}
