// to-tensor's bilinear loop for the host, compiled to WebAssembly with SIMD (scripts/build-vision-simd.mjs
// makes tensor-kernel-wasm.ts from it; src/vision/simd/kernel.ts runs it). It computes the very samples
// of src/vision/tensor-bilinear.ts: the same integer expression when every weight is a multiple of
// 2^-k (`tensor_dyadic`), the same double expression otherwise (`tensor_double`), then the same
// normalisation table. The caller copies the source rows it needs into `rows` (each `row_bytes` long,
// with 4 spare bytes after the last) and gives each output row the offsets of its two source rows.
#include <stdint.h>
#include <wasm_simd128.h>

// BT.601 full-range luma, rounded half up (src/core/pixels/bt601.ts: floor((S + 500) / 1000)).
static inline int gray_of(int r, int g, int b) { return (299 * r + 587 * g + 114 * b + 500) / 1000; }

// Four bytes of a pixel (the bytes at offsets 0..3 of it) as four i32 lanes.
static inline v128_t px4(const uint8_t *p) {
  return wasm_u32x4_extend_low_u16x8(wasm_u16x8_extend_low_u8x16(wasm_v128_load32_zero(p)));
}

// One output row of tensor_dyadic. Called with constant picks for the common orders, so that the
// compiler reads the lanes directly; `zero_fx`: every x weight is 0 (an odd integer shrink along x),
// so the right-hand pixels are not read at all. `scaled` (NHWC, three channels): the values are
// sample × scale in f32, written as one vector per pixel (its fourth lane lands on the next pixel's
// first value, written after it; the caller leaves room after the last pixel).
static inline __attribute__((always_inline)) void dyadic_row(
    const uint8_t *top_row, const uint8_t *bottom_row, const int32_t *xa, const int32_t *xb, const int32_t *fx,
    int w, int kx, int ky, int fy, int zero_fx, int channels, int p0, int p1, int p2, const float *table, float *o,
    int pixel_step, int channel_step, int scaled, float scale) {
  const v128_t vscale = wasm_f32x4_splat(scale), vzero = wasm_f32x4_splat(0.0f);
  const int shift = kx + ky;
  const v128_t vhalf = wasm_i32x4_splat((1 << shift) >> 1);
  const v128_t vfy = wasm_i32x4_splat(fy);
  for (int x = 0; x < w; x++, o += pixel_step) {
    const v128_t a = px4(top_row + xa[x]), d = px4(bottom_row + xa[x]);
    v128_t top = wasm_i32x4_shl(a, kx), bottom = wasm_i32x4_shl(d, kx);
    if (!zero_fx) {
      // top = (a << kx) + (b - a) fx, bottom likewise
      const v128_t vfx = wasm_i32x4_splat(fx[x]);
      top = wasm_i32x4_add(top, wasm_i32x4_mul(wasm_i32x4_sub(px4(top_row + xb[x]), a), vfx));
      bottom = wasm_i32x4_add(bottom, wasm_i32x4_mul(wasm_i32x4_sub(px4(bottom_row + xb[x]), d), vfx));
    }
    // v = ((top << ky) + (bottom - top) fy + half) >> shift
    const v128_t v = wasm_i32x4_shr(
        wasm_i32x4_add(wasm_i32x4_add(wasm_i32x4_shl(top, ky), wasm_i32x4_mul(wasm_i32x4_sub(bottom, top), vfy)), vhalf),
        shift);
    if (scaled) {
      // + 0: a sample of 0 with a negative scale is +0, as sample * scale + 0 is in the table.
      v128_t f = wasm_f32x4_add(wasm_f32x4_mul(wasm_f32x4_convert_i32x4(v), vscale), vzero);
      if (p0 == 2) f = wasm_i32x4_shuffle(f, f, 2, 1, 0, 3);
      wasm_v128_store(o, f);
      continue;
    }
    int32_t s[4];
    wasm_v128_store(s, v);
    if (channels == 3) {
      o[0] = table[s[p0]];
      o[channel_step] = table[256 + s[p1]];
      o[2 * channel_step] = table[512 + s[p2]];
    } else {
      o[0] = table[gray_of(s[p0], s[p1], s[p2])];
    }
  }
}

// out[o + k * channel_step] = table[256 k + sample of pick k], for each output pixel (channels 3);
// for channels 1, table[gray of the picks' samples] (picks = r, g, b offsets).
// `scaled`: the caller checked that table[256 k + v] = v * scale (f32 scale, offset +0), for which
// the f32 product is the same number (v * scale is exact in double, so both round it once).
__attribute__((export_name("tensor_dyadic")))
void tensor_dyadic(const uint8_t *rows, const int32_t *r0, const int32_t *r1, const int32_t *fy,
                   const int32_t *xa, const int32_t *xb, const int32_t *fx, int w, int h, int kx, int ky,
                   int channels, int p0, int p1, int p2, const float *table, float *out, int pixel_step,
                   int channel_step, int scaled, float scale) {
  // The vector store needs NHWC (three values side by side) and a pick order the shuffle knows.
  scaled = scaled && channels == 3 && channel_step == 1 &&
           ((p0 == 0 && p1 == 1 && p2 == 2) || (p0 == 2 && p1 == 1 && p2 == 0));
  int zero_fx = 1;
  for (int x = 0; x < w; x++) zero_fx &= fx[x] == 0;
  for (int y = 0; y < h; y++) {
    const uint8_t *t = rows + r0[y], *b = rows + r1[y];
    float *o = out + y * w * pixel_step;
#define ROW(Z, C, P0, P1, P2) \
  dyadic_row(t, b, xa, xb, fx, w, kx, ky, fy[y], Z, C, P0, P1, P2, table, o, pixel_step, channel_step, scaled, scale)
    if (channels == 3 && p0 == 0 && p1 == 1 && p2 == 2) {
      if (zero_fx) ROW(1, 3, 0, 1, 2); else ROW(0, 3, 0, 1, 2);
    } else if (channels == 3 && p0 == 2 && p1 == 1 && p2 == 0) {
      if (zero_fx) ROW(1, 3, 2, 1, 0); else ROW(0, 3, 2, 1, 0);
    } else {
      ROW(0, channels, p0, p1, p2);
    }
#undef ROW
  }
}

// The same with double weights, in the order of tensor-bilinear.ts: lerp along x on both rows, then
// along y, + 0.5, truncated (compiled with -ffp-contract=off: no fused multiply-add).
static inline int lerp2(const uint8_t *t, const uint8_t *b, int ia, int ib, double fx, double fy) {
  double p = t[ia], q = b[ia];
  double top = p + (t[ib] - p) * fx, bottom = q + (b[ib] - q) * fx;
  return (int)(top + (bottom - top) * fy + 0.5);
}

__attribute__((export_name("tensor_double")))
void tensor_double(const uint8_t *rows, const int32_t *r0, const int32_t *r1, const double *fy,
                   const int32_t *xa, const int32_t *xb, const double *fx, int w, int h,
                   int channels, int p0, int p1, int p2, const float *table, float *out, int pixel_step,
                   int channel_step) {
  for (int y = 0; y < h; y++) {
    const uint8_t *t = rows + r0[y], *b = rows + r1[y];
    const double wy = fy[y];
    float *o = out + y * w * pixel_step;
    for (int x = 0; x < w; x++, o += pixel_step) {
      const int ia = xa[x], ib = xb[x];
      const double wx = fx[x];
      const int s0 = lerp2(t, b, ia + p0, ib + p0, wx, wy);
      const int s1 = lerp2(t, b, ia + p1, ib + p1, wx, wy);
      const int s2 = lerp2(t, b, ia + p2, ib + p2, wx, wy);
      if (channels == 3) {
        o[0] = table[s0];
        o[channel_step] = table[256 + s1];
        o[2 * channel_step] = table[512 + s2];
      } else {
        o[0] = table[gray_of(s0, s1, s2)];
      }
    }
  }
}
