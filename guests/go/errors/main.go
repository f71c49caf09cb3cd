// Test guest for the edge package's error paths (test/guests/go.test.ts): each call below fails on
// purpose, and the guest prints the Go error it got back (its type, Code() and message), then
// "done". A panic or a trap would end it before "done".
//
// argv: the checks to run, in order (all when none):
//
//	i2c-nack        write-read at 0x10 on i2c-sim0, where no device answers
//	i2c-missing-bus open-i2c of a bus that is not configured
//	camera-missing  open a camera that does not exist
//	model-by-name   load-by-name "blazeface" (the test configures a broken file or none)
//	model-bytes     load of bytes that are not a model
//	spi-missing     open of an SPI device that does not exist
//	image-garbage   from-encoded of bytes that are not an image
//	closed          a method on a closed resource
package main

import (
	"fmt"
	"os"

	"wasi-edge-host/guests/go/edge"
)

// show prints "<check>: ok" or "<check>: <Go type> code=<Code()>: <Error()>".
func show(what string, err error) {
	if err == nil {
		fmt.Printf("%s: ok\n", what)
		return
	}
	code := "-"
	if c, ok := err.(edge.CodedError); ok {
		code = c.Code()
	}
	fmt.Printf("%s: %T code=%s: %v\n", what, err, code, err)
}

func check(name string) {
	switch name {
	case "i2c-nack":
		bus, err := edge.OpenI2c("i2c-sim0")
		if err != nil {
			fmt.Printf("%s: open-i2c failed: %v\n", name, err)
			return
		}
		defer bus.Close()
		_, err = bus.WriteRead(0x10, []byte{0xd0}, 1)
		show(name, err)
	case "i2c-missing-bus":
		_, err := edge.OpenI2c("no-such-bus")
		show(name, err)
	case "camera-missing":
		_, err := edge.OpenDevice("no-such-camera:0")
		show(name, err)
	case "model-by-name":
		g, err := edge.LoadByName("blazeface")
		if err == nil {
			g.Close()
		}
		show(name, err)
	case "model-bytes":
		_, err := edge.Load([][]byte{[]byte("this is not a model")}, edge.Onnx, edge.Cpu)
		show(name, err)
	case "spi-missing":
		_, err := edge.OpenSpi("no-such-device")
		show(name, err)
	case "image-garbage":
		_, err := edge.ImageFromEncoded([]byte("not an image"))
		show(name, err)
	case "closed":
		bus, err := edge.OpenI2c("i2c-sim0")
		if err != nil {
			fmt.Printf("%s: open-i2c failed: %v\n", name, err)
			return
		}
		bus.Close()
		bus.Close() // twice is a no-op
		_, err = bus.Read(0x76, 1)
		show(name, err)
	default:
		fmt.Printf("%s: unknown check\n", name)
	}
}

var all = []string{"i2c-nack", "i2c-missing-bus", "camera-missing", "model-by-name", "model-bytes", "spi-missing", "image-garbage", "closed"}

func main() {
	checks := os.Args[1:]
	if len(checks) == 0 {
		checks = all
	}
	for _, c := range checks {
		check(c)
	}
	fmt.Println("done")
}
