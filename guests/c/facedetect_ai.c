// The face-detection app for an on-sensor-AI camera (IMX500-style): the camera runs BlazeFace on
// each frame and delivers the output tensors with the frame (docs/spec-notes/sensor-ai.md); this
// variant of facedetect.c skips to-tensor and wasi:nn and only does the post-processing (anchors,
// NMS), the temperature, the drawing and the output. Same source, one switch.
#define FACEDETECT_ON_SENSOR 1
#include "facedetect.c"
