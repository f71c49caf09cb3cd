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
# Both components (blocks "i2c" and "spi") in one node process.
echo "HW-GUESTS-START at $(cut -d' ' -f1 /proc/uptime)s"
node test/hardware/arm/run-guests.mjs 2>&1
echo "HW-CHECKS-END at $(cut -d' ' -f1 /proc/uptime)s"
