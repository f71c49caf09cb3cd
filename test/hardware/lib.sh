# Shared helpers for the hardware-test build scripts (sourced, not run).
# Everything is built from Debian packages (apt-get download + dpkg-deb -x) into test/hardware/.work/,
# which is gitignored and reused between runs (delete it to start clean).
set -euo pipefail

HW_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HW_DIR/../.." && pwd)"
WORK="$HW_DIR/.work"
mkdir -p "$WORK"

log() { echo "[hw-build] $*" >&2; }

# Download (once) the newest .deb of each named package into $1 (a directory); prints nothing.
# With APT_OPTS set (the armhf build), apt uses that private state dir instead of the host's.
download_debs() {
  local dir="$1"; shift
  mkdir -p "$dir"
  local missing=()
  for p in "$@"; do
    ls "$dir"/"${p}"_*.deb >/dev/null 2>&1 || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "apt-get download ${missing[*]}"
    # -o APT::Sandbox::User=root: the cache dir is root's; without it apt warns about _apt.
    (cd "$dir" && apt-get ${APT_OPTS:-} -o APT::Sandbox::User=root download "${missing[@]}" >/dev/null)
  fi
}

# Extract a downloaded package into a directory: extract_deb <dl dir> <package> <dest>.
extract_deb() {
  local deb
  deb="$(ls "$1"/"$2"_*.deb | head -n1)"
  mkdir -p "$3"
  dpkg-deb -x "$deb" "$3"
}

# The kernel ABI name the meta-package points at (changes with security updates), e.g. 6.1.0-56-amd64.
kernel_package() {
  apt-cache ${APT_OPTS:-} depends "$1" | sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*\)$/\1/p' | head -n1
}

# Copy the modules named (plus everything they depend on) from a full extracted module tree into
# a root: copy_modules <src root> <dest root> <kver> mod...
copy_modules() {
  local src="$1" dst="$2" kver="$3"; shift 3
  local mdir="lib/modules/$kver"
  [ -f "$src/$mdir/modules.dep" ] || depmod -b "$src" "$kver"
  local want=() m path dep
  declare -A seen=()
  for m in "$@"; do want+=("$m"); done
  mkdir -p "$dst/$mdir"
  while [ ${#want[@]} -gt 0 ]; do
    m="${want[0]}"; want=("${want[@]:1}")
    m="${m//-/_}"
    [ -n "${seen[$m]:-}" ] && continue
    seen[$m]=1
    # modules.dep lines: kernel/drivers/i2c/i2c-dev.ko: dep1.ko dep2.ko
    path="$(awk -F: -v m="$m" '{ n=$1; sub(/.*\//, "", n); sub(/\.ko(\.[a-z]+)?$/, "", n); gsub(/-/, "_", n); if (n == m) { print; exit } }' "$src/$mdir/modules.dep")"
    if [ -z "$path" ]; then
      grep -q "/${m//_/[-_]}\.ko" "$src/$mdir/modules.builtin" 2>/dev/null && continue
      log "module $m not found (neither loadable nor built in)"; return 1
    fi
    mkdir -p "$dst/$mdir/$(dirname "${path%%:*}")"
    cp "$src/$mdir/${path%%:*}" "$dst/$mdir/${path%%:*}"
    for dep in ${path#*:}; do
      dep="${dep##*/}"; dep="${dep%%.ko*}"; want+=("$dep")
    done
  done
  cp "$src/$mdir"/modules.order "$src/$mdir"/modules.builtin "$src/$mdir"/modules.builtin.modinfo "$dst/$mdir/"
  depmod -b "$dst" "$kver"
}

# Install busybox (static) and its applet links into a root:
# install_busybox <busybox binary> <root> [<busybox of the same version runnable here, for --list>].
install_busybox() {
  local bb="$1" dst="$2" lister="${3:-$1}" a
  mkdir -p "$dst/bin" "$dst/sbin" "$dst/usr/bin" "$dst/usr/sbin"
  cp "$bb" "$dst/bin/busybox"
  # `busybox --list` includes "busybox" itself: linking it over the binary gives ELOOP at boot.
  for a in $("$lister" --list); do
    [ "$a" = busybox ] && continue
    [ -e "$dst/bin/$a" ] || ln -s busybox "$dst/bin/$a"
  done
}

# Pack a directory as a newc cpio initramfs: pack_cpio <dir> <out>.
pack_cpio() {
  (cd "$1" && find . -print0 | LC_ALL=C sort -z | cpio --null -o -H newc --quiet) > "$2.tmp"
  mv "$2.tmp" "$2"
}

# Copy the shared libraries that binaries load (ldd output, without the file: headers) into a root,
# except those under $SKIP_LIBS_UNDER (a directory the guest reaches otherwise): copy_libs_of <root> file...
copy_libs_of() {
  local dst="$1"; shift
  local f lib
  for f in "$@"; do
    for lib in $(ldd "$f" | sed -n 's/.*=> \(\/[^ ]*\) (.*/\1/p; s/^[[:space:]]*\(\/[^ ]*\) (.*/\1/p'); do
      case "$lib" in "${SKIP_LIBS_UNDER:-/nonexistent}"/*) continue ;; esac
      mkdir -p "$dst/$(dirname "$lib")"; [ -e "$dst/$lib" ] || cp -L "$lib" "$dst/$lib"
    done
  done
}

# Copy a binary and the shared libraries it loads into a root.
copy_with_libs() {
  local dst="$1"; shift
  local f
  for f in "$@"; do
    mkdir -p "$dst/$(dirname "$f")"; cp -L "$f" "$dst/$f"
  done
  copy_libs_of "$dst" "$@"
}
