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
# Which adapter is i2c-0 (the config names /dev/i2c-0), and what answers on it.
check adapter cat /sys/class/i2c-dev/i2c-0/name
check scan i2cdetect -y -r 0 0x50 0x57
check eeprom node dist/cli/main.js run fixtures/components/hw-eeprom.wasm --config test/hardware/x86/config.json
# The backend's own refusal messages on this SMBus-only adapter (what the guest sees as `other`).
check refusal node test/hardware/x86/smbus-refusal.mjs
# The Bus contract suite (test/contracts/) on this adapter, bundled by run.mjs.
check contracts node test/hardware/.work/contracts/contracts.mjs x86
echo "HW-CHECKS-END at $(cut -d' ' -f1 /proc/uptime)s"
