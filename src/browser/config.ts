/**
 * Browser-only configuration sugar, applied before the shared parseConfig: a sensor device of
 * `kind: 'webcam'` (getUserMedia) takes the slot of the `ffmpeg` camera kind, whose module the
 * browser build replaces with the webcam device (src/browser/sensor/webcam-device.ts). Its
 * `device` is `webcam` (the default camera) or a MediaDevices deviceId. And wasi:nn defaults to
 * the onnxruntime-web backend (onnxruntime-node is a native addon: it cannot exist here).
 */
export function browserConfigInput(input: unknown): unknown {
  if (!input || typeof input !== 'object') return input;
  let config = input as Record<string, unknown>;
  const nn = config.nn as Record<string, unknown> | undefined;
  if (nn === undefined || (typeof nn === 'object' && nn !== null && nn.backend === undefined)) {
    config = { ...config, nn: { ...(nn ?? {}), backend: 'onnxruntime-web' } };
  }
  const sensor = config.sensor as Record<string, unknown> | undefined;
  const devices = sensor?.devices as Record<string, Record<string, unknown>> | undefined;
  if (!devices || typeof devices !== 'object') return config;
  const out: Record<string, unknown> = {};
  for (const [name, d] of Object.entries(devices)) {
    if (d && typeof d === 'object' && d.kind === 'webcam') {
      const { kind: _kind, device, ...rest } = d;
      out[name] = { ...rest, kind: 'ffmpeg', ffmpeg: 'getUserMedia', input: [], device: device ?? 'webcam' };
    } else out[name] = d;
  }
  return { ...config, sensor: { ...sensor, devices: out } };
}
