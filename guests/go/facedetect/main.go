// Face detection at the edge, in Go: the app of `npm start` (guests/c/facedetect.c), with the same
// output lines, written with the edge package (guests/go/edge).
//
//	camera (wasi:sensor) → host-memory frame (wasi:buffer-pool) → image (wasi:vision, no pixel copy)
//	→ to-tensor 128x128 NHWC f32 [-1, 1] → BlazeFace (wasi:nn, load-by-name "blazeface")
//	→ anchors + non-maximum suppression HERE, in the guest (blazeface.go)
//	+ temperature from a BME280 on I2C (wasi-edge:host/access open-i2c, wasi:i2c)
//	→ boxes drawn on the image → PNG → <out>/frame-NNNNNN.png (os.WriteFile, preopen /out)
//	→ one JSON line per frame on stdout, a summary line at the end.
//
// argv: [frames (0 = until the camera stops delivering)] [camera name]
// env:  FRAMES, CAMERA, I2C_BUS (i2c-sim0), BME280_ADDRESS (0x76), OUT_DIR (/out; "-" writes
// nothing), FACEDETECT_TIMING=1 (per-stage microseconds in each line).
package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"wasi-edge-host/guests/go/edge"
)

// app is the name in the summary line and on stderr: the component's (fixtures/components/go-facedetect.wasm).
const app = "go-facedetect"

// pool: a pool whose name ends in -hm gets host-memory frames (docs/spec-notes/sensor.md): the
// pixels stay in the host and wasi:vision wraps them.
const pool = "facedetect-hm"

var green = edge.Color{G: 255}

type settings struct {
	wanted  int64
	camera  string
	outDir  string // "" = write nothing
	bus     string
	address edge.I2cAddress
	timing  bool
}

func readSettings() settings {
	// argv[index] when given and not empty, else the environment variable, else the default
	setting := func(index int, env, fallback string) string {
		if index > 0 && index < len(os.Args) && os.Args[index] != "" {
			return os.Args[index]
		}
		if v, ok := os.LookupEnv(env); ok {
			return v
		}
		return fallback
	}
	s := settings{
		wanted:  leadingInt(setting(1, "FRAMES", "0")),
		camera:  setting(2, "CAMERA", "camera:0"),
		outDir:  setting(0, "OUT_DIR", "/out"),
		bus:     setting(0, "I2C_BUS", "i2c-sim0"),
		address: edge.I2cAddress(cInt(setting(0, "BME280_ADDRESS", "0x76"))),
		timing:  strings.HasPrefix(os.Getenv("FACEDETECT_TIMING"), "1"),
	}
	if s.outDir == "-" {
		s.outDir = ""
	}
	return s
}

// leadingInt is the leading integer of s, 0 if there is none (C's atoi).
func leadingInt(s string) int64 {
	s = strings.TrimLeft(s, " \t\n\r\v\f")
	end := 0
	if end < len(s) && (s[end] == '-' || s[end] == '+') {
		end++
	}
	for end < len(s) && s[end] >= '0' && s[end] <= '9' {
		end++
	}
	v, _ := strconv.ParseInt(s[:end], 10, 64)
	return v
}

// cInt is an integer in C notation (0x hexadecimal, 0 octal, else decimal); 0 if unreadable.
func cInt(s string) int64 {
	v, err := strconv.ParseInt(strings.TrimSpace(s), 0, 64)
	if err != nil {
		return 0
	}
	return v
}

// clock gives microseconds since start; the stage clocks only with FACEDETECT_TIMING=1 (each
// reading is a host call).
type clock struct {
	base   time.Time
	timing bool
}

func (c clock) nowUs() int64 { return time.Since(c.base).Microseconds() }

func (c clock) tick() int64 {
	if c.timing {
		return c.nowUs()
	}
	return 0
}

// fail is what made the app stop: the call, and the error it returned.
func fail(what string, err any) error { return fmt.Errorf("%s: %v", what, err) }

// ---------------------------------------------------------------- inference

// model is BlazeFace loaded by name.
type model struct {
	graph   *edge.Graph
	context *edge.ExecutionContext
}

func loadModel() (*model, error) {
	g, err := edge.LoadByName("blazeface")
	if err != nil {
		return nil, err
	}
	c, err := g.InitExecutionContext()
	if err != nil {
		g.Close()
		return nil, err
	}
	return &model{graph: g, context: c}, nil
}

func (m *model) close() {
	m.context.Close() // the context before its graph
	m.graph.Close()
}

// inferTimes: microseconds of one detection (to-tensor, compute, and all of it with the outputs in).
type inferTimes struct{ tensor, compute, infer int64 }

// inputOptions: BlazeFace's input is 1x128x128x3 f32 NHWC, x * 2/255 - 1; to-tensor resizes
// (bilinear) in the host.
var inputOptions = edge.TensorOptions{
	Width: inputSize, Height: inputSize, ResizeMethod: edge.Bilinear, TensorLayout: edge.Nhwc,
	ElementType: edge.Fp32, Channels: edge.RgbChannels,
	Normalization: edge.Normalization{Kind: edge.NormScaleOffset, Scale: 2.0 / 255.0, Offset: -1},
}

func detect(m *model, image *edge.Image, clk clock, t *inferTimes) ([]face, error) {
	t0 := clk.tick()
	input, err := image.ToTensor(inputOptions)
	if err != nil {
		return nil, fail("to-tensor", err)
	}
	t1 := clk.tick()
	outs, err := m.context.Compute([]edge.NamedTensor{{Name: "input:0", Tensor: input}})
	if err != nil {
		return nil, fail("compute", err)
	}
	t2 := clk.tick()
	var o outputs
	for _, out := range outs {
		d := out.Tensor.Dimensions()
		if len(d) == 3 && (d[1] == anchors16 || d[1] == anchors8) {
			// the outputs are small (60 KB in all): copy them in
			v := out.Tensor.DataF32()
			switch {
			case d[1] == anchors16 && d[2] == 1:
				o.scores16 = v
			case d[1] == anchors16:
				o.boxes16 = v
			case d[2] == 1:
				o.scores8 = v
			default:
				o.boxes8 = v
			}
		}
		out.Tensor.Close()
	}
	*t = inferTimes{tensor: t1 - t0, compute: t2 - t1, infer: clk.tick() - t0}
	if o.scores16 == nil || o.boxes16 == nil || o.scores8 == nil || o.boxes8 == nil {
		return nil, fail("compute", "the model did not return BlazeFace's four outputs")
	}
	return detectFaces(o), nil
}

// ---------------------------------------------------------------- camera

// openCamera opens the named device after checking that the host lists it (it says what there is
// otherwise).
func openCamera(name string) (*edge.Device, error) {
	names, err := edge.ListDeviceNames()
	if err != nil {
		return nil, fail("list-names", err)
	}
	found := false
	for _, n := range names {
		found = found || n == name
	}
	if !found {
		return nil, fmt.Errorf("no camera %q; this host has: %s (set CAMERA)", name, strings.Join(names, " "))
	}
	d, err := edge.OpenDevice(name)
	if err != nil {
		return nil, fail("device.open", err)
	}
	return d, nil
}

// waitFrame waits for the next frame. With a frame count the app simply blocks. Without one it
// runs until the camera stops delivering: it checks readiness, sleeps between checks, and gives up
// when no frame came for idle (a non-looping image sequence has ended, or a camera stalled).
func waitFrame(ready *edge.Pollable, counted bool, idle time.Duration) bool {
	if counted {
		ready.Block()
		return true
	}
	start := time.Now()
	for !ready.Ready() {
		if time.Since(start) > idle {
			return false
		}
		time.Sleep(2 * time.Millisecond)
	}
	return true
}

// ---------------------------------------------------------------- output

func frameLine(f *edge.FrameInfo, faces []face, w, h uint32, celsius float32, hasTemp bool) []byte {
	line := fmt.Appendf(nil, `{"frame":%d,"timestamp":%d,"faces":[`, f.SequenceNumber, f.Timestamp)
	wf, hf := float32(w), float32(h)
	px := func(v float32) int32 { return int32(roundHalfAway(float64(v))) }
	for i, fc := range faces {
		if i > 0 {
			line = append(line, ',')
		}
		line = append(line, `{"score":`...)
		line = appendFixed(line, float64(fc.score), 3)
		line = fmt.Appendf(line, `,"box":{"x":%d,"y":%d,"w":%d,"h":%d}}`, px(fc.x*wf), px(fc.y*hf), px(fc.w*wf), px(fc.h*hf))
	}
	line = append(line, `],"temperature":`...)
	if hasTemp {
		line = appendFixed(line, float64(celsius), 2)
	} else {
		line = append(line, "null"...)
	}
	return line
}

// drawFaces draws the boxes (copy-on-write in the host: the pool's buffer is never written).
func drawFaces(image *edge.Image, faces []face, w, h uint32) error {
	wf, hf := float32(w), float32(h)
	for _, f := range faces {
		x0, y0 := max(f.x*wf, 0), max(f.y*hf, 0)
		x1, y1 := min((f.x+f.w)*wf, wf), min((f.y+f.h)*hf, hf)
		if x1-x0 < 1 || y1-y0 < 1 {
			continue
		}
		region := edge.Rect{X: uint32(x0), Y: uint32(y0), Width: uint32(x1 - x0), Height: uint32(y1 - y0)}
		if err := image.DrawRect(region, green, 3); err != nil {
			return fail("draw-rect", err)
		}
	}
	return nil
}

// writePNG encodes and writes <dir>/frame-NNNNNN.png; it returns the encode and write microseconds.
func writePNG(dir string, seq uint64, image *edge.Image, clk clock) (int64, int64, error) {
	t0 := clk.tick()
	png, err := image.Encode(edge.Png)
	if err != nil {
		return 0, 0, fail("encode", err)
	}
	t1 := clk.tick()
	path := fmt.Sprintf("%s/frame-%06d.png", dir, seq)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		return 0, 0, fail(path, err)
	}
	return t1 - t0, clk.tick() - t1, nil
}

// ---------------------------------------------------------------- main

func run() error {
	s := readSettings()
	clk := clock{base: time.Now(), timing: s.timing}

	bme, err := openBme280(s.bus, s.address)
	if _, isBus := err.(*edge.AccessError); isBus {
		fmt.Fprintf(os.Stderr, "%s: open-i2c(%s): %v; continuing without temperature\n", app, s.bus, err)
	} else if err != nil {
		fmt.Fprintf(os.Stderr, "%s: no BME280 at 0x%02x on %s; continuing without temperature\n", app, s.address, s.bus)
	}
	if bme != nil {
		defer bme.close()
	}
	m, err := loadModel()
	if err != nil {
		return fail("load-by-name blazeface", err)
	}
	defer m.close()

	dev, err := openCamera(s.camera)
	if err != nil {
		return err
	}
	defer dev.Close()
	dim, err := dev.Dimension()
	if err != nil {
		return fail("get-property dimension", err)
	}
	rate, err := dev.SamplingRate()
	if err != nil {
		return fail("get-property sampling-rate", err)
	}
	// wait five frame periods (at least half a second) before deciding that the camera stopped
	idle := 500 * time.Millisecond
	if rate.Numerator > 0 {
		idle = max(idle, time.Duration(5_000_000*uint64(rate.Denominator)/uint64(rate.Numerator))*time.Microsecond)
	}

	// eight buffers: a short sequence never drops
	frameBytes := dim.Width * dim.Height * 4
	if dim.StrideBytes > 0 {
		frameBytes = dim.StrideBytes * dim.Height
	}
	pl, err := edge.CreatePool(edge.BufferingDiscard, frameBytes, 8, pool)
	if err != nil {
		return fail("pool.create", err)
	}
	defer pl.Close()
	if err := dev.Start(pool); err != nil {
		return fail("device.start", err)
	}
	ready, err := pl.Subscribe()
	if err != nil {
		return fail("pool.subscribe", err)
	}

	started := clk.nowUs()
	var frames, facesTotal, written int64
	var tPrint int64
	for s.wanted <= 0 || frames < s.wanted {
		tStart := clk.tick()
		if !waitFrame(ready, s.wanted > 0, idle) {
			break
		}
		tWaited := clk.tick()
		read, err := pl.ReadFrames(1)
		if err != nil {
			return fail("read-frames", err)
		}
		if len(read) == 0 {
			continue
		}
		frame := &read[0]
		t0 := clk.tick()

		// The image takes the frame over: host memory is wrapped without a copy and the buffer goes
		// back to the pool when the image is closed; a by-value frame (a pool without -hm) is copied.
		if len(frame.Data) == 0 {
			return fail("read-frames", "a frame without data")
		}
		image, err := edge.ImageFromFrame(frame.Data[0])
		if err != nil {
			frame.Close()
			return fail("from-frame", err)
		}
		w, h := image.Width(), image.Height()
		tImage := clk.tick() - t0

		var times inferTimes
		tDetect := clk.tick()
		faces, err := detect(m, image, clk, &times)
		if err != nil {
			image.Close()
			frame.Close()
			return err
		}
		t1 := clk.tick()
		var celsius float32
		hasTemp := false
		if bme != nil {
			celsius, hasTemp = bme.temperature()
		}
		t2 := clk.tick()
		if err := drawFaces(image, faces, w, h); err != nil {
			return err
		}
		t3 := clk.tick()
		var tEncode, tWrite int64
		if s.outDir != "" {
			if tEncode, tWrite, err = writePNG(s.outDir, frame.SequenceNumber, image, clk); err != nil {
				return err
			}
			written++
		}
		t4 := clk.tick()
		image.Close() // the frame buffer goes back to the pool
		tDrop := clk.tick() - t4

		line := frameLine(frame, faces, w, h, celsius, hasTemp)
		if s.timing {
			// wait: for the frame; read: read-frames; image: from-frame; infer: to-tensor + compute +
			// outputs in; post: anchors + NMS; print: the previous line
			line = fmt.Appendf(line, `,"us":{"wait":%d,"read":%d,"image":%d,"infer":%d,"tensor":%d,"compute":%d,"post":%d,"i2c":%d,"draw":%d,"encode":%d,"write":%d,"drop":%d,"print":%d,"total":%d}`,
				tWaited-tStart, t0-tWaited, tImage, times.infer, times.tensor, times.compute, t1-tDetect-times.infer,
				t2-t1, t3-t2, tEncode, tWrite, tDrop, tPrint, clk.tick()-tStart)
		}
		line = append(line, "}\n"...)
		os.Stdout.Write(line) // one write per line: each is a trip through wasi:cli to the host
		tPrint = clk.tick() - t3 - tEncode - tWrite
		frame.Close()
		frames++
		facesTotal += int64(len(faces))
	}

	ready.Close()
	dev.Stop()
	out := s.outDir
	if out == "" {
		out = "-"
	}
	line := fmt.Appendf(nil, `{"summary":{"app":"%s","camera":%s,"frames":%d,"faces":%d,"images_written":%d,"out":%s,"seconds":`,
		app, jsonString(s.camera), frames, facesTotal, written, jsonString(out))
	line = appendFixed(line, float64(clk.nowUs()-started)/1e6, 3)
	os.Stdout.Write(append(line, "}}\n"...))
	return nil
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", app, err)
		os.Exit(1)
	}
}
