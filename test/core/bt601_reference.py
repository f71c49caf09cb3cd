#!/usr/bin/env python3
"""Independent reference for src/core/pixels (test/core/pixels.test.ts pins its output).

Written from the definition, not from the TypeScript: BT.601 with Kr = 0.299, Kb = 0.114 as exact
fractions, limited range for YUV (Y = 16 + 219/255 L, C = 128 + 224/255 (X - L) / (2 (1 - K))),
full range for gray (L), every output the exact value rounded once, half up. Run it to regenerate
the expected values: python3 test/core/bt601_reference.py
"""
from fractions import Fraction as F
from hashlib import sha256
import math

KR, KB = F(299, 1000), F(114, 1000)
KG = 1 - KR - KB


def round_half_up(v):
    return math.floor(v + F(1, 2))


def clamp(v):
    return max(0, min(255, v))


def luma(r, g, b):
    return KR * r + KG * g + KB * b


def gray(r, g, b):
    return round_half_up(luma(r, g, b))


def y_exact(r, g, b):
    return 16 + F(219, 255) * luma(r, g, b)


def cb_exact(r, g, b):
    return 128 + F(224, 255) * (b - luma(r, g, b)) / (2 * (1 - KB))


def cr_exact(r, g, b):
    return 128 + F(224, 255) * (r - luma(r, g, b)) / (2 * (1 - KR))


def mean(vals):
    return sum(vals, F(0)) / len(vals)


def rgb_from_yuv(y, u, v):
    """The exact inverse of y_exact/cb_exact/cr_exact, rounded half up and clamped."""
    l = (y - 16) * F(255, 219)
    bl = (u - 128) * F(255, 224) * 2 * (1 - KB)  # B - L
    rl = (v - 128) * F(255, 224) * 2 * (1 - KR)  # R - L
    r, b = l + rl, l + bl
    g = (l - KR * r - KB * b) / KG
    return [clamp(round_half_up(c)) for c in (r, g, b)]


def pattern_rgb(w, h, n):
    """docs/spec-notes/sensor.md § Test pattern."""
    px = []
    for y in range(h):
        for x in range(w):
            if y == 0 and x < 4:
                v = (n >> (8 * x)) & 255
                px.append((v, v, v))
            else:
                u = x + n
                px.append((u & 255, y & 255, (3 * u + 5 * y) & 255))
    return px


def frame_gray(px):
    return bytes(gray(*p) for p in px)


def frame_yuy2(px, w, h):
    out = bytearray()
    for y in range(h):
        for x in range(0, w, 2):
            p0, p1 = px[y * w + x], px[y * w + x + 1]
            out += bytes([
                round_half_up(y_exact(*p0)),
                round_half_up(mean([cb_exact(*p0), cb_exact(*p1)])),
                round_half_up(y_exact(*p1)),
                round_half_up(mean([cr_exact(*p0), cr_exact(*p1)])),
            ])
    return bytes(out)


def frame_i420(px, w, h):
    ys = bytes(round_half_up(y_exact(*p)) for p in px)
    us, vs = bytearray(), bytearray()
    for cy in range((h + 1) // 2):
        for cx in range((w + 1) // 2):
            block = [px[y * w + x] for y in range(2 * cy, min(2 * cy + 2, h)) for x in range(2 * cx, min(2 * cx + 2, w))]
            us.append(round_half_up(mean([cb_exact(*p) for p in block])))
            vs.append(round_half_up(mean([cr_exact(*p) for p in block])))
    return ys + bytes(us) + bytes(vs)


def y_tie():
    """A pixel whose exact Y is k + 1/2 (searched on 1000 L = 299R + 587G + 114B, an integer)."""
    for r in range(256):
        for g in range(256):
            for b in range(256):
                if (73 * (299 * r + 587 * g + 114 * b)) % 85000 == 42500:
                    return [r, g, b]


if __name__ == '__main__':
    samples = [[0, 0, 0], [255, 255, 255], [255, 0, 0], [0, 255, 0], [0, 0, 255], [10, 20, 30], [200, 100, 50], [0, 0, 250],
               y_tie()]
    # Chroma has no ties: 56 T / 112965 n and 112 U / 178755 n (n = 1, 2, 4) never end in exactly 1/2.
    print('pixels', [[p, gray(*p), round_half_up(y_exact(*p)), round_half_up(cb_exact(*p)), round_half_up(cr_exact(*p))] for p in samples])
    pairs = [[[255, 0, 0], [0, 0, 255]], [[10, 20, 30], [200, 100, 50]]]
    print('pair chroma', [[a, b, round_half_up(mean([cb_exact(*a), cb_exact(*b)])), round_half_up(mean([cr_exact(*a), cr_exact(*b)]))] for a, b in pairs])
    yuv = [[16, 128, 128], [235, 128, 128], [0, 0, 0], [255, 255, 255], [81, 90, 240], [145, 54, 34], [41, 240, 110], [100, 30, 200]]
    print('inverse', [[t, rgb_from_yuv(*t)] for t in yuv])
    w, h, n = 64, 48, 5
    px = pattern_rgb(w, h, n)
    print('pattern gray', sha256(frame_gray(px)).hexdigest())
    print('pattern yuy2', sha256(frame_yuy2(px, w, h)).hexdigest())
    ow, oh = 7, 5  # odd sizes: chroma over the pixels that exist
    print('pattern i420 7x5', sha256(frame_i420(pattern_rgb(ow, oh, n), ow, oh)).hexdigest())
