"""Face detection at the edge, in Python: the flow of guests/c/facedetect.c.

camera (edge.sensor) -> host-memory frame -> image (edge.vision, no pixel copy) -> to-tensor
128x128 NHWC fp32 in [-1, 1] -> BlazeFace (edge.nn, the host's model "blazeface") -> anchors and
non-maximum suppression here, in Python -> temperature from a BME280 (edge.i2c) -> one JSON line
per frame on stdout (the C app's format), a summary line at the end; with OUT_DIR (default /out;
"-" writes nothing) each frame, boxes drawn, as PNG.

argv: [frames (0 = until the camera stops delivering)] [camera name]
env:  FRAMES, CAMERA (camera:0), I2C_BUS (i2c-sim0), BME280_ADDRESS (0x76), OUT_DIR,
      FACEDETECT_TIMING=1 (add "us":{"post":..,"total":..} to each line: anchors + NMS, the whole frame)
config (wasi:config): threshold (the lowest score that is a face, 0.75)

Post-processing follows BlazeFace's front model: scores [1,512,1] / boxes [1,512,16] for a 16x16
grid with 2 anchors per cell, scores [1,384,1] / boxes [1,384,16] for an 8x8 grid with 6; anchor
centres ((col + 0.5) / cells, (row + 0.5) / cells), unit anchor size, so centre = anchor +
offset / 128 and size = raw / 128 (fractions of the input); score = sigmoid(clamp(logit, +-100)).
The arithmetic is rounded to float32 where the C app computes in float, so both print the same.
"""
import math
import os
import struct
import sys
import time

from edge import config, i2c, nn, sensor, vision

APP = 'py-facedetect'
INPUT = 128
MIN_SCORE = 0.75
NMS_IOU = 0.3


def f32(x):
    """x rounded to float32, as the C app's float arithmetic rounds it."""
    return struct.unpack('f', struct.pack('f', x))[0]


def setting(index, env, fallback):
    if len(sys.argv) > index and sys.argv[index]:
        return sys.argv[index]
    return os.environ.get(env, fallback)


def sigmoid(logit):
    logit = max(-100.0, min(100.0, logit))
    return f32(1.0 / f32(1.0 + f32(math.exp(-logit))))


def decode_grid(scores, boxes, cells, per_cell, min_score, out):
    """Appends (score, x, y, w, h) for each anchor of one grid scoring at least min_score."""
    # Logits clearly below the threshold's are skipped before the exp (most of the 896 anchors).
    skip_below = math.log(min_score / (1 - min_score)) - 0.01
    for i, logit in enumerate(scores):
        if logit < skip_below:
            continue
        score = sigmoid(logit)
        if score < min_score:
            continue
        cell, _ = divmod(i, per_cell)
        row, col = divmod(cell, cells)
        b = boxes[i * 16:i * 16 + 4]
        cx = f32(f32((col + 0.5) / cells) + f32(b[0] / INPUT))
        cy = f32(f32((row + 0.5) / cells) + f32(b[1] / INPUT))
        w, h = f32(b[2] / INPUT), f32(b[3] / INPUT)
        out.append((score, f32(cx - f32(w / 2)), f32(cy - f32(h / 2)), w, h))


def iou(a, b):
    x0, y0 = max(a[1], b[1]), max(a[2], b[2])
    x1, y1 = min(a[1] + a[3], b[1] + b[3]), min(a[2] + a[4], b[2] + b[4])
    inter = max(0.0, x1 - x0) * max(0.0, y1 - y0)
    union = a[3] * a[4] + b[3] * b[4] - inter
    return inter / union if union > 0 else 0.0


def nms(faces):
    """Greedy: best score first, a box goes when a kept one overlaps it by more than NMS_IOU."""
    kept = []
    for face in sorted(faces, key=lambda f: -f[0]):
        if all(iou(k, face) <= NMS_IOU for k in kept):
            kept.append(face)
    return kept


class Bme280:
    """Temperature from a BME280 (datasheet integer compensation, section 8.2), or None."""

    def __init__(self, bus_name, address):
        self.bus = None
        try:
            bus = i2c.open(bus_name)
        except i2c.AccessError as e:
            print(f'{APP}: open-i2c({bus_name}): {e.code}; continuing without temperature', file=sys.stderr)
            return
        try:
            if bus.write_read(address, b'\xd0', 1) != b'\x60':
                raise ValueError('chip id')
            self.t1, self.t2, self.t3 = struct.unpack('<Hhh', bus.write_read(address, b'\x88', 6))
            bus.write(address, bytes([0xF4, (1 << 5) | 0x03]))  # temperature x1, pressure off, normal mode
        except (i2c.I2CError, ValueError, struct.error):
            print(f'{APP}: no BME280 at 0x{address:02x} on {bus_name}; continuing without temperature', file=sys.stderr)
            bus.close()
            return
        self.bus, self.address = bus, address

    def celsius(self):
        if self.bus is None:
            return None
        try:
            d = self.bus.write_read(self.address, b'\xfa', 3)
        except i2c.I2CError:
            return None
        adc = d[0] << 12 | d[1] << 4 | d[2] >> 4
        v1 = (((adc >> 3) - (self.t1 << 1)) * self.t2) >> 11
        v2 = (((((adc >> 4) - self.t1) * ((adc >> 4) - self.t1)) >> 12) * self.t3) >> 14
        return (((v1 + v2) * 5 + 128) >> 8) / 100

    def close(self):
        if self.bus is not None:
            self.bus.close()


def lround(value):
    """The nearest integer, halves away from zero (C's lroundf; Python's round() halves to even)."""
    return int(math.copysign(math.floor(abs(value) + 0.5), value))


def fixed(value, decimals):
    """value with `decimals` digits after the point, rounded half away from zero as the C app does."""
    scale = 10 ** decimals
    v = math.floor(abs(value) * scale + 0.5)
    return f'{"-" if value < 0 and v else ""}{v // scale}.{v % scale:0{decimals}d}'


def detect(context, image, min_score):
    tensor = image.to_tensor(INPUT, INPUT, method='bilinear', layout='nhwc', type='fp32', channels='rgb',
                             scale=f32(2.0 / 255.0), offset=-1.0)
    outputs = context.compute({'input:0': tensor})
    grids = {}
    for out in outputs.values():
        dims = out.dimensions
        if len(dims) == 3 and dims[1] in (512, 384) and out.type == 'fp32':
            grids[(dims[1], dims[2])] = out.floats().tolist()
        out.close()
    try:
        s16, b16, s8, b8 = grids[(512, 1)], grids[(512, 16)], grids[(384, 1)], grids[(384, 16)]
    except KeyError:
        raise RuntimeError("the model did not return BlazeFace's four outputs") from None
    started = time.monotonic_ns()
    faces = []
    decode_grid(s16, b16, 16, 2, min_score, faces)
    decode_grid(s8, b8, 8, 6, min_score, faces)
    faces = nms(faces)
    return faces, (time.monotonic_ns() - started) // 1000


def wait_frame(pool, counted, idle_s):
    """With a frame count, block; otherwise give up when no frame came for idle_s."""
    if counted:
        pool.wait()
        return True
    start = time.monotonic()
    while not pool.ready():
        if time.monotonic() - start > idle_s:
            return False
        time.sleep(0.002)
    return True


def main():
    wanted = int(setting(1, 'FRAMES', '0'))
    camera = setting(2, 'CAMERA', 'camera:0')
    out_dir = os.environ.get('OUT_DIR', '/out')
    timing = os.environ.get('FACEDETECT_TIMING') == '1'
    min_score = MIN_SCORE
    threshold = config.get('threshold')
    if threshold is not None:
        try:
            t = float(threshold)
        except ValueError:
            t = -1.0
        if 0 < t < 1:
            min_score = f32(t)
        else:
            print(f'{APP}: config threshold "{threshold}" is not a number between 0 and 1; using {min_score:.2f}', file=sys.stderr)

    bme = Bme280(os.environ.get('I2C_BUS', 'i2c-sim0'), int(os.environ.get('BME280_ADDRESS', '0x76'), 0))
    graph = nn.load('blazeface')
    context = graph.context()
    names = sensor.devices()
    if camera not in names:
        print(f'{APP}: no camera "{camera}"; this host has: {" ".join(names)} (set CAMERA)', file=sys.stderr)
        return 1
    device = sensor.open(camera)
    width, height, stride, _ = device.dimension()
    num, den = device.sampling_rate()
    idle_s = max(0.5, 5 * den / num) if num else 0.5

    # A pool whose name ends in -hm delivers host-memory frames: the pixels stay in the host.
    pool_name = 'facedetect-hm'
    pool = sensor.Pool(pool_name, (stride or width * 4) * height, 8, 'discard')
    device.start(pool_name)
    started = time.monotonic()
    frames = faces_total = written = 0
    while wanted <= 0 or frames < wanted:
        frame_started = time.monotonic_ns()
        if not wait_frame(pool, wanted > 0, idle_s):
            break
        got = pool.read_frames(1)
        if not got:
            continue
        frame = got[0]
        with vision.Image.from_frame(frame) as image:
            w, h = image.width, image.height
            faces, post_us = detect(context, image, min_score)
            celsius = bme.celsius()
            if out_dir != '-':
                for score, x, y, fw, fh in faces:
                    x0, y0 = max(0.0, f32(x * w)), max(0.0, f32(y * h))
                    x1, y1 = min(float(w), f32(f32(x + fw) * w)), min(float(h), f32(f32(y + fh) * h))
                    if x1 - x0 >= 1 and y1 - y0 >= 1:
                        image.draw_rect(int(x0), int(y0), int(f32(x1 - x0)), int(f32(y1 - y0)), (0, 255, 0), 3)
                with open(f'{out_dir}/frame-{frame.sequence:06d}.png', 'wb') as f:
                    f.write(image.encode('png'))
                written += 1
        frame.close()
        boxes = ','.join(
            f'{{"score":{fixed(s, 3)},"box":{{"x":{lround(f32(x * w))},"y":{lround(f32(y * h))},'
            f'"w":{lround(f32(fw * w))},"h":{lround(f32(fh * h))}}}}}'
            for s, x, y, fw, fh in faces)
        temperature = 'null' if celsius is None else fixed(celsius, 2)
        us = f',"us":{{"post":{post_us},"total":{(time.monotonic_ns() - frame_started) // 1000}}}' if timing else ''
        print(f'{{"frame":{frame.sequence},"timestamp":{frame.timestamp},"faces":[{boxes}],"temperature":{temperature}{us}}}')
        frames += 1
        faces_total += len(faces)

    device.stop()
    pool.close()
    device.close()
    context.close()
    graph.close()
    bme.close()
    print(f'{{"summary":{{"app":"{APP}","camera":"{camera}","frames":{frames},"faces":{faces_total},'
          f'"images_written":{written},"out":"{out_dir}","seconds":{fixed(time.monotonic() - started, 3)}}}}}')
    return 0


sys.exit(main())
