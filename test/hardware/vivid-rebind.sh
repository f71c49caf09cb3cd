# Sourced by the guests' scripts (x86/guest.sh, arm/guest.sh): does the unbind and the rebind the
# hw-v4l2 component asks for on its stdout ("unbind: request", "rebind: request"; the component
# cannot reach sysfs), watching the file its output goes to. Runs in the background; $vivid_helper
# is its pid.
vivid_rebind_helper() {
  watched="$1"
  VIVID=/sys/bus/platform/drivers/vivid
  (
    until grep -q '^unbind: request' "$watched" 2>/dev/null; do sleep 0.2; done
    echo vivid.0 > $VIVID/unbind && echo "HW-V4L2 unbound at $(cut -d' ' -f1 /proc/uptime)s"
    until grep -q '^rebind: request' "$watched" 2>/dev/null; do sleep 0.2; done
    sleep 1
    echo vivid.0 > $VIVID/bind && echo "HW-V4L2 bound again at $(cut -d' ' -f1 /proc/uptime)s"
  ) &
  vivid_helper=$!
}
