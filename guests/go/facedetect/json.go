package main

// The JSON lines the app prints, composed by hand with numbers formatted as the C app formats them,
// so that both print the same bytes for the same faces.

import (
	"fmt"
	"math"
)

// roundHalfAway rounds half away from zero (C's llround).
func roundHalfAway(v float64) float64 { return math.Round(v) }

// appendFixed appends value with decimals digits after the point, rounded half away from zero.
func appendFixed(out []byte, value float64, decimals int) []byte {
	scale := int64(math.Pow10(decimals))
	v := int64(roundHalfAway(value * float64(scale)))
	sign := ""
	if v < 0 {
		sign, v = "-", -v
	}
	return fmt.Appendf(out, "%s%d.%0*d", sign, v/scale, decimals, v%scale)
}

// jsonString is text as a JSON string.
func jsonString(text string) string {
	out := []byte{'"'}
	for _, c := range text {
		switch {
		case c == '"' || c == '\\':
			out = append(out, '\\', byte(c))
		case c < 0x20:
			out = fmt.Appendf(out, `\u%04x`, c)
		default:
			out = append(out, string(c)...)
		}
	}
	return string(append(out, '"'))
}
