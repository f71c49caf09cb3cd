// The sensor-script conformance guest (../../sensor/sensor-script/guest.c, where its commands are
// listed) with its two wasi:vision commands, `vision-frame` (image.from-frame of the last
// host-memory frame) and `drop-image`: the guest of the vision cases about frames, which need
// wasi:sensor and wasi:buffer-pool to get a frame at all.
#define SENSOR_SCRIPT_VISION 1
#include "../../sensor/sensor-script/guest.c"
