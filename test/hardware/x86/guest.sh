# Runs inside the x86 VM (see init): cwd is the checkout (read-only), /scratch is writable.
# Each check's stdout, stderr and exit code go to /scratch/out/<name>.{out,err,rc}; the host-side
# driver (test/hardware/run.mjs) judges them.
OUT=/scratch/out
mkdir -p "$OUT"
export WASI_EDGE_CACHE_DIR=/scratch/cache
check() {
  name="$1"; shift
  echo "HW-CHECK-RUN $name at $(cut -d' ' -f1 /proc/uptime)s"
  "$@" >"$OUT/$name.out" 2>"$OUT/$name.err"
  echo $? >"$OUT/$name.rc"
}
# HW_ONLY (run.mjs's, through the kernel command line): v4l2 = the camera checks only, face = the
# face check only.
if [ -z "${HW_ONLY:-}" ]; then
# Which adapter is i2c-0 (the config names /dev/i2c-0), and what answers on it.
check adapter cat /sys/class/i2c-dev/i2c-0/name
check scan i2cdetect -y -r 0 0x50 0x57
check eeprom node dist/cli/main.js run fixtures/components/hw-eeprom.wasm --config test/hardware/x86/config.json
# The backend's own refusal messages on this SMBus-only adapter (what the guest sees as `other`).
check refusal node test/hardware/x86/smbus-refusal.mjs
# The Bus contract suite (test/contracts/) on this adapter, bundled by run.mjs.
check contracts node test/hardware/.work/contracts/contracts.mjs x86
fi
if [ "${HW_ONLY:-}" != face ]; then
# The V4L2 backend on vivid (/dev/video0). The guest asks for the unbind and the rebind on its
# stdout; the helper does them.
. test/hardware/vivid-rebind.sh
vivid_rebind_helper "$OUT/v4l2.out"
check v4l2-caps cat /sys/class/video4linux/video0/name
check v4l2 node dist/cli/main.js run fixtures/components/hw-v4l2.wasm --config test/hardware/x86/v4l2-config.json
kill $vivid_helper 2>/dev/null
# The SensorDevice contract suite on vivid, and the bench figures (v4l2-bench.mjs writes them as JSON).
check v4l2-contracts node test/hardware/.work/contracts/contracts.mjs x86-v4l2
check v4l2-bench node test/hardware/x86/v4l2-bench.mjs
fi
# The face detector on vivid's frames. vivid's second instance (init) has an HDMI output and an
# HDMI capture input; with loop_video on, each captured frame is the frame at the head of the
# output queue, copied byte for byte, when both ends have the same format and size. v4l2-ctl plays
# the fixture frame (run.mjs writes face.rgb with face-frame.mjs) into the output in a loop while
# the C face detector reads the capture node through the V4L2 backend. osd_text_mode=2: no vivid
# counters drawn over the picture.
# Its nodes come after instance 0's video0, capture first (facedetect-config.json names video1).
FACE_CAP=/dev/video1
FACE_OUT=/dev/video2
face_setup() {
  echo "cap $(cat /sys/class/video4linux/${FACE_CAP#/dev/}/name) out $(cat /sys/class/video4linux/${FACE_OUT#/dev/}/name)"
  v4l2-ctl -d "$FACE_OUT" --set-fmt-video-out=width=512,height=512,pixelformat=RGB3 &&
  v4l2-ctl -d "$FACE_CAP" --set-ctrl=loop_video=1,osd_text_mode=2 &&
  v4l2-ctl -d "$FACE_OUT" --get-fmt-video-out && v4l2-ctl -d "$FACE_CAP" --get-ctrl=loop_video
}
check face-setup face_setup
v4l2-ctl -d "$FACE_OUT" --stream-out-mmap --stream-from=/scratch/face.rgb --stream-loop >"$OUT/face-feeder.out" 2>&1 &
feeder=$!
sleep 1
# One frame captured by v4l2-ctl itself: run.mjs compares it with face.rgb byte for byte, so a loop
# that did not carry the picture is told apart from a detector that missed it.
check face-captured v4l2-ctl -d "$FACE_CAP" --set-fmt-video=width=512,height=512,pixelformat=RGB3 --stream-mmap --stream-count=1 --stream-to="$OUT/face-captured.rgb"
check facedetect node dist/cli/main.js run fixtures/components/facedetect.wasm --config test/hardware/x86/facedetect-config.json --env FRAMES=8 --env OUT_DIR=-
kill $feeder 2>/dev/null
echo "HW-CHECKS-END at $(cut -d' ' -f1 /proc/uptime)s"
