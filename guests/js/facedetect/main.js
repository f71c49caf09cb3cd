// Face detection at the edge, in JavaScript: the app of guests/c/facedetect.c, same pipeline, same
// settings, same JSON lines (docs/guests/js.md).
//
//   camera (wasi:sensor) → host-memory frame (wasi:buffer-pool) → image (wasi:vision, no pixel copy)
//   → to-tensor 128x128 NHWC f32 [-1, 1] → BlazeFace (wasi:nn, load-by-name "blazeface")
//   → anchors + non-maximum suppression HERE, in the guest (../lib/blazeface.js)
//   + temperature from a BME280 on I2C (wasi-edge:host/access open-i2c, wasi:i2c)
//   → boxes drawn on the image → PNG → <out>/frame-NNNNNN.png (wasi:filesystem, preopen /out)
//   → one JSON line per frame on stdout, a summary line at the end.
//
// argv: [frames (0 = until the camera stops delivering)] [camera name]
// env:  FRAMES, CAMERA, I2C_BUS (i2c-sim0), BME280_ADDRESS (0x76), OUT_DIR (/out; "-" = write nothing),
//       FACEDETECT_TIMING=1 (per-stage microseconds in each line), KEEP_GOING=1 (field mode: live
//       through device faults, as the C app does: a lost camera is restarted every 100 ms, a model
//       that fails to load is retried every 10 frames; each change is an event line).
// Errors the C app prints and exits on are EdgeErrors here: the message goes to stderr, exit status 1.
import { Device } from 'wasi:sensor/sensor';
import { blazefaceOutputs, detectFaces, INPUT } from '../lib/blazeface.js';
import { Bme280 } from '../lib/bme280.js';
import { Camera, frameImage } from '../lib/camera.js';
import { command, env, nowUs, setting } from '../lib/cli.js';
import { EdgeError, call, drop } from '../lib/errors.js';
import { writeFile } from '../lib/files.js';
import { fixed, jsonString, lround } from '../lib/format.js';
import { Model, dropOutputs } from '../lib/model.js';

const APP = 'js-facedetect';
const f = Math.fround;

/** @typedef {import('../lib/nms.js').Face} Face */
/** @typedef {import('wasi:vision/image@0.1.0-draft').Image} Image */

let timing = false;
const tick = () => (timing ? nowUs() : 0);

/** BlazeFace's input: 1x128x128x3 f32 NHWC, x * 2/255 - 1; to-tensor resizes (bilinear) on the host. */
const TENSOR_OPTIONS = /** @type {const} */ ({
  width: INPUT,
  height: INPUT,
  resizeMethod: 'bilinear',
  tensorLayout: 'nhwc',
  elementType: 'FP32',
  channels: 'rgb',
  normalization: { tag: 'scale-offset', val: { scale: 2 / 255, offset: -1 } },
});

/**
 * to-tensor → compute → the four outputs in → anchors and NMS.
 * @param {Model} model
 * @param {Image} image
 */
function detect(model, image) {
  const t0 = tick();
  const tensor = call('to-tensor', () => image.toTensor(TENSOR_OPTIONS));
  const t1 = tick();
  const outputs = model.compute([['input:0', tensor]]);
  const t2 = tick();
  const found = blazefaceOutputs(outputs); // the outputs are small (60 KB in all): copy them in
  dropOutputs(outputs);
  const us = { tensor: t1 - t0, compute: t2 - t1, infer: tick() - t0 };
  if (!found) throw new EdgeError('compute', 'unexpected-outputs', "the model did not return BlazeFace's four outputs");
  return { faces: detectFaces(found), us };
}

/** The BME280, or undefined (with the reason on stderr): the app runs on without temperature. */
function openThermometer() {
  const bus = setting(-1, 'I2C_BUS', 'i2c-sim0');
  const address = parseInt(setting(-1, 'BME280_ADDRESS', '0x76')) || 0;
  try {
    return Bme280.open(bus, address);
  } catch (e) {
    if (!(e instanceof EdgeError)) throw e;
    if (e.op.startsWith('open-i2c')) console.error(`${APP}: open-i2c(${bus}): ${e.code}; continuing without temperature`);
    else console.error(`${APP}: no BME280 at 0x${address.toString(16).padStart(2, '0')} on ${bus} (${e.message}); continuing without temperature`);
    return undefined;
  }
}

/** @param {Bme280 | undefined} bme °C, or NaN when there is no sensor or the read failed. */
function temperature(bme) {
  if (!bme) return NaN;
  try {
    return bme.temperature();
  } catch (e) {
    if (e instanceof EdgeError) return NaN;
    throw e;
  }
}

/**
 * The named camera; for a name the host does not know, the message lists the ones it has.
 * @param {string} name
 */
function openCamera(name) {
  try {
    return Camera.open(name, { pool: 'facedetect-hm', buffers: 8 });
  } catch (e) {
    if (e instanceof EdgeError && e.code === 'not-found' && e.op.startsWith('device.open')) {
      const names = call('list-names', () => Device.listNames());
      e.message = `${e.message}: no camera "${name}"; this host has: ${names.join(' ')} (set CAMERA)`;
    }
    throw e;
  }
}

/**
 * @param {Image} image
 * @param {Face[]} faces
 * @param {number} w
 * @param {number} h
 */
function drawFaces(image, faces, w, h) {
  // Drawing copies the frame first (copy-on-write): the pool's buffer is never written.
  for (const face of faces) {
    const x0 = Math.max(0, f(face.x * w)), y0 = Math.max(0, f(face.y * h));
    const x1 = Math.min(w, f(f(face.x + face.w) * w)), y1 = Math.min(h, f(f(face.y + face.h) * h));
    if (f(x1 - x0) < 1 || f(y1 - y0) < 1) continue;
    const rect = { x: Math.trunc(x0), y: Math.trunc(y0), width: Math.trunc(f(x1 - x0)), height: Math.trunc(f(y1 - y0)) };
    call('draw-rect', () => image.drawRect(rect, { r: 0, g: 255, b: 0 }, 3));
  }
}

/**
 * @param {bigint} seq
 * @param {bigint} timestamp
 * @param {Face[]} faces
 * @param {number} w
 * @param {number} h
 * @param {number} celsius
 */
function frameLine(seq, timestamp, faces, w, h, celsius) {
  const boxes = faces.map(
    (face) =>
      `{"score":${fixed(face.score, 3)},"box":{"x":${lround(f(face.x * w))},"y":${lround(f(face.y * h))},"w":${lround(f(face.w * w))},"h":${lround(f(face.h * h))}}}`,
  );
  return `{"frame":${seq},"timestamp":${timestamp},"faces":[${boxes.join(',')}],"temperature":${Number.isNaN(celsius) ? 'null' : fixed(celsius, 2)}`;
}

/**
 * Field mode's event line.
 * @param {string} name
 * @param {number} frames
 * @param {string} [detail]
 */
function event(name, frames, detail) {
  console.log(`{"event":"${name}","frames":${frames}${detail === undefined ? '' : `,"error":${jsonString(detail)}`}}`);
}

function main() {
  const e = env();
  const wanted = parseInt(setting(1, 'FRAMES', '0'), 10) || 0;
  const cameraName = setting(2, 'CAMERA', 'camera:0');
  const outDir = setting(-1, 'OUT_DIR', '/out');
  const writeImages = outDir !== '-';
  timing = e.FACEDETECT_TIMING?.[0] === '1';
  const keepGoing = e.KEEP_GOING?.[0] === '1';
  let outages = 0, modelFailures = 0;

  const bme = openThermometer();
  /** @type {Model | undefined} */
  let model;
  /** Field mode: without a model, try to load it every 10 frames. @param {number} frames */
  const retryModel = (frames) => {
    if (model || frames % 10 !== 0) return;
    try {
      model = Model.byName('blazeface');
      event('model-loaded', frames);
    } catch (err) {
      if (!(err instanceof EdgeError)) throw err;
      modelFailures++;
      event('model-failed', frames, err.detail === undefined ? err.code : `${err.code}: ${err.detail}`);
    }
  };
  if (keepGoing) retryModel(0);
  else model = Model.byName('blazeface');

  const camera = openCamera(cameraName);
  let frames = 0, facesTotal = 0, written = 0, tPrint = 0;
  /** After read-frames failed: hardware-error means the camera went away; restart it. @param {EdgeError} err */
  const recover = (err) => {
    if (err.code !== 'hardware-error') return event('read-failed', frames, err.code);
    event('camera-lost', frames, err.code);
    outages++;
    console.log(`{"event":"camera-back","frames":${frames},"after_ms":${camera.restart(100)}}`);
  };
  const started = nowUs();
  let tStart = tick();
  for (const frame of camera.frames({ count: wanted, onReadError: keepGoing ? recover : undefined, timed: timing })) {
    const tRead = tick();
    if (keepGoing) retryModel(frames);
    const image = frameImage(frame);
    const w = image.width(), h = image.height();
    const tImage = tick() - tRead;

    /** @type {Face[]} */
    let faces = [];
    let us = { tensor: 0, compute: 0, infer: 0 };
    const tDetect = tick();
    if (model) {
      try {
        ({ faces, us } = detect(model, image));
      } catch (err) {
        if (!keepGoing || !(err instanceof EdgeError)) throw err;
        console.error(`${APP}: ${err.message}`); // field mode goes on with the next frame
      }
    }
    const t1 = tick();
    const celsius = temperature(bme);
    const t2 = tick();
    drawFaces(image, faces, w, h);
    const t3 = tick();
    let tEncode = 0, tWrite = 0;
    if (writeImages) {
      const png = call('encode', () => image.encode({ tag: 'png' }));
      tEncode = tick() - t3;
      writeFile(`${outDir}/frame-${String(frame.sequenceNumber).padStart(6, '0')}.png`, png);
      tWrite = tick() - t3 - tEncode;
      written++;
    }
    const t4 = tick();
    drop(image); // the frame buffer goes back to the pool
    const tDrop = tick() - t4;

    let line = frameLine(frame.sequenceNumber, frame.timestamp, faces, w, h, celsius);
    if (!model) line += ',"model":false';
    if (timing) {
      line +=
        `,"us":{"wait":${camera.last.waitUs},"read":${camera.last.readUs},"image":${tImage},"infer":${us.infer},"tensor":${us.tensor},"compute":${us.compute},` +
        `"post":${t1 - tDetect - us.infer},"i2c":${t2 - t1},"draw":${t3 - t2},"encode":${tEncode},"write":${tWrite},"drop":${tDrop},` +
        `"print":${tPrint},"total":${tick() - tStart}}`;
    }
    console.log(line + '}');
    tPrint = tick() - t3 - tEncode - tWrite;
    frames++;
    facesTotal += faces.length;
    tStart = tick();
  }

  camera.close();
  model?.close();
  bme?.close();
  const seconds = (nowUs() - started) / 1e6;
  let summary = `{"summary":{"app":"${APP}","camera":"${cameraName}","frames":${frames},"faces":${facesTotal},"images_written":${written},"out":"${outDir}","seconds":${fixed(seconds, 3)}`;
  if (keepGoing) summary += `,"camera_outages":${outages},"model_failures":${modelFailures}`;
  console.log(summary + '}}');
  return 0;
}

export const run = command(APP, main);
