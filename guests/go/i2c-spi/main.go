// A small I2C + SPI example with the edge package, on the host's default simulated devices (an
// AT24C32 EEPROM at 0x50 on i2c-sim0, a SPI NOR flash and an MCP3008 ADC):
//
//   - I2C: a page write as one transaction, ACK polling while the EEPROM runs its write cycle (it
//     does not acknowledge its address then: no-acknowledge(address) is the expected answer), and
//     a random read back as ONE transaction with two reads;
//   - SPI: the flash's JEDEC ID with one transaction (chip select held across command and reply),
//     and channel 0 of the ADC with one full-duplex transfer.
//
// argv: [bus (i2c-sim0)] [flash device (spi-flash0)] [adc device (spi-adc0)]
package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"

	"wasi-edge-host/guests/go/edge"
)

const eepromAddress = 0x50

func eeprom(busName string) error {
	bus, err := edge.OpenI2c(busName)
	if err != nil {
		return err
	}
	defer bus.Close()
	delay := edge.GetDelay()
	defer delay.Close()
	const at = 0x0100
	page := []byte{at >> 8, at & 0xff}
	for i := byte(0); i < 16; i++ {
		page = append(page, 0xa0+i*3)
	}
	results, err := bus.Transaction(eepromAddress, []edge.I2cOperation{edge.I2cWrite(page)})
	if err != nil {
		return err
	}
	fmt.Printf("eeprom: wrote 16 bytes at 0x%04x (transaction returned %d results)\n", at, len(results))

	polls := 0
	for {
		_, err := bus.Transaction(eepromAddress, []edge.I2cOperation{edge.I2cWrite(page[:2])})
		var nack *edge.I2cError
		if err == nil {
			break
		} else if errors.As(err, &nack) && nack.Kind == edge.I2cNoAcknowledge && nack.Source == edge.NackAddress && polls < 100 {
			polls++
			delay.DelayNs(500_000)
		} else {
			return fmt.Errorf("polling: %w", err)
		}
	}
	plural := "s"
	if polls == 1 {
		plural = ""
	}
	fmt.Printf("eeprom: write cycle done after %d busy poll%s\n", polls, plural)

	parts, err := bus.Transaction(eepromAddress, []edge.I2cOperation{edge.I2cWrite(page[:2]), edge.I2cRead(8), edge.I2cRead(8)})
	if err != nil {
		return err
	}
	back := bytes.Join(parts, nil)
	hex := make([]string, len(back))
	for i, b := range back {
		hex[i] = fmt.Sprintf("%02x", b)
	}
	fmt.Printf("eeprom: read back %d bytes in %d parts: %s\n", len(back), len(parts), strings.Join(hex, " "))
	if !bytes.Equal(back, page[2:]) {
		return errors.New("eeprom round trip: MISMATCH")
	}
	fmt.Println("eeprom round trip: match")
	return nil
}

func flashAndAdc(flashName, adcName string) error {
	// clock, mode and bit order are the host's configuration of each device
	flash, err := edge.OpenSpi(flashName)
	if err != nil {
		return err
	}
	defer flash.Close()
	results, err := flash.Transaction([]edge.SpiOperation{{Kind: edge.SpiOpWrite, Data: []byte{0x9f}}, {Kind: edge.SpiOpRead, N: 3}})
	if err != nil {
		return err
	}
	if len(results) != 2 || results[0].Kind != edge.SpiOpWrite || results[1].Kind != edge.SpiOpRead || len(results[1].Data) != 3 {
		return fmt.Errorf("JEDEC ID transaction returned %v", results)
	}
	id := results[1].Data
	fmt.Printf("flash JEDEC ID: %02x %02x %02x\n", id[0], id[1], id[2])

	adc, err := edge.OpenSpi(adcName)
	if err != nil {
		return err
	}
	defer adc.Close()
	// start bit, single-ended channel 0, then 10 bits come back in the last two bytes
	rx, err := adc.Transfer([]byte{0x01, 0x80, 0x00})
	if err != nil {
		return err
	}
	code := uint32(rx[1]&3)<<8 | uint32(rx[2])
	fmt.Printf("mcp3008 ch0: %d (%d mV at Vref 3300 mV)\n", code, code*3300/1024)
	return nil
}

func main() {
	arg := func(i int, fallback string) string {
		if i < len(os.Args) {
			return os.Args[i]
		}
		return fallback
	}
	err := eeprom(arg(1, "i2c-sim0"))
	if err == nil {
		err = flashAndAdc(arg(2, "spi-flash0"), arg(3, "spi-adc0"))
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "go-i2c-spi: %v\n", err)
		os.Exit(1)
	}
}
