// The JavaScript guest library: import what you need from here or from the module itself.
export { EdgeError, call, drop, dispose, toEdgeError } from './errors.js';
export { args, command, env, nowUs, setting, sleepMs } from './cli.js';
export { Camera, frameImage } from './camera.js';
export { iou, nms } from './nms.js';
export { blazefaceOutputs, detectFaces } from './blazeface.js';
export { Bme280 } from './bme280.js';
export { Model, dropOutputs } from './model.js';
export { writeFile } from './files.js';
export { fixed, jsonString, lround } from './format.js';
