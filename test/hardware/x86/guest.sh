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
# HW_ONLY=v4l2 (run.mjs's HW_ONLY, through the kernel command line): the camera checks only.
if [ "${HW_ONLY:-}" != v4l2 ]; then
# Which adapter is i2c-0 (the config names /dev/i2c-0), and what answers on it.
check adapter cat /sys/class/i2c-dev/i2c-0/name
check scan i2cdetect -y -r 0 0x50 0x57
check eeprom node dist/cli/main.js run fixtures/components/hw-eeprom.wasm --config test/hardware/x86/config.json
# The backend's own refusal messages on this SMBus-only adapter (what the guest sees as `other`).
check refusal node test/hardware/x86/smbus-refusal.mjs
# The Bus contract suite (test/contracts/) on this adapter, bundled by run.mjs.
check contracts node test/hardware/.work/contracts/contracts.mjs x86
fi
# The V4L2 backend on vivid (/dev/video0). The guest asks for the unbind and the rebind on its
# stdout; this helper does them (the component cannot reach sysfs).
VIVID=/sys/bus/platform/drivers/vivid
(
  until grep -q '^unbind: request' "$OUT/v4l2.out" 2>/dev/null; do sleep 0.2; done
  echo vivid.0 > $VIVID/unbind && echo "HW-V4L2 unbound at $(cut -d' ' -f1 /proc/uptime)s"
  until grep -q '^rebind: request' "$OUT/v4l2.out" 2>/dev/null; do sleep 0.2; done
  sleep 1
  echo vivid.0 > $VIVID/bind && echo "HW-V4L2 bound again at $(cut -d' ' -f1 /proc/uptime)s"
) &
helper=$!
check v4l2-caps cat /sys/class/video4linux/video0/name
check v4l2 node dist/cli/main.js run fixtures/components/hw-v4l2.wasm --config test/hardware/x86/v4l2-config.json
kill $helper 2>/dev/null
# The SensorDevice contract suite on vivid, and the bench figures (v4l2-bench.mjs writes them as JSON).
check v4l2-contracts node test/hardware/.work/contracts/contracts.mjs x86-v4l2
check v4l2-bench node test/hardware/x86/v4l2-bench.mjs
echo "HW-CHECKS-END at $(cut -d' ' -f1 /proc/uptime)s"
