# Runs inside the ARM VM (see init), cwd = the packed checkout. No shared folder here: each
# check's output goes to the serial console between markers, and run.mjs parses it:
#   HW-OUT-BEGIN <name> / ...output... / HW-OUT-END <name> rc=<exit code>
export WASI_EDGE_CACHE_DIR=/cache
check() {
  name="$1"; shift
  echo "HW-OUT-BEGIN $name at $(cut -d' ' -f1 /proc/uptime)s"
  "$@" 2>&1
  echo "HW-OUT-END $name rc=$?"
}
check node node --version
check adapter cat /sys/class/i2c-dev/i2c-0/name
check spidev ls /dev/spidev0.0
check v4l2-caps cat /sys/class/video4linux/video0/name
# The components (blocks "i2c", "spi" and "v4l2") in one node process. hw-v4l2 asks for vivid's
# unbind and rebind on its stdout: the helper watches a copy of it.
. test/hardware/vivid-rebind.sh
vivid_rebind_helper /tmp/guests.out
echo "HW-GUESTS-START at $(cut -d' ' -f1 /proc/uptime)s"
node test/hardware/arm/run-guests.mjs 2>&1 | tee /tmp/guests.out
kill $vivid_helper 2>/dev/null
echo "HW-CHECKS-END at $(cut -d' ' -f1 /proc/uptime)s"
