#!/usr/bin/env bash
# Builds the x86 guest (q35, ICH9 SMBus) from Debian packages only:
#   .work/x86/vmlinux      the Debian kernel as a PVH-bootable ELF (QEMU boots it directly: no
#                          SeaBIOS linuxboot, no in-guest XZ decompression; ~3 s faster under TCG)
#   .work/x86/initrd.cpio  busybox-static + the i2c/9p/virtio/vivid modules + the host's /usr/bin/node
#                          and /usr/bin/v4l2-ctl (v4l-utils) with the libraries they load + init
# The checkout itself is not packed: the VM mounts it read-only over 9p (see init) and runs its
# dist/ and node_modules directly. Reuses what it built before unless an input changed.
source "$(dirname "$0")/../lib.sh"
OUT="$WORK/x86"
DL="$WORK/dl/amd64"
mkdir -p "$OUT"

KPKG="$(kernel_package linux-image-amd64)"
[ -n "$KPKG" ] || { log "cannot resolve linux-image-amd64 (run apt-get update)"; exit 1; }
KVER="${KPKG#linux-image-}"
download_debs "$DL" "$KPKG" busybox-static

# v4l2-ctl (Debian's v4l-utils, installed on this host) feeds vivid's output in the face check.
V4L2_CTL=/usr/bin/v4l2-ctl
[ -x "$V4L2_CTL" ] || { log "$V4L2_CTL is missing: apt-get install v4l-utils (the face check's feeder)"; exit 1; }

ORT_BINARIES="$(find -L "$ROOT/node_modules/onnxruntime-node/bin" -path '*/linux/x64/*' \( -name '*.node' -o -name '*.so*' \) 2>/dev/null | sort)"
[ -n "$ORT_BINARIES" ] || { log "onnxruntime-node's linux x64 binaries are missing (npm ci)"; exit 1; }

stamp="$KPKG $(cat "$HW_DIR/x86/init" "$HW_DIR/lib.sh" "$HW_DIR/x86/build.sh" /usr/bin/node "$V4L2_CTL" $ORT_BINARIES | sha256sum | cut -c1-16)"
if [ -f "$OUT/vmlinux" ] && [ -f "$OUT/initrd.cpio" ] && [ "$(cat "$OUT/stamp" 2>/dev/null)" = "$stamp" ]; then
  log "x86 guest up to date ($KPKG)"
  exit 0
fi

tmp="$(mktemp -d "$WORK/x86-build.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
log "extracting $KPKG"
extract_deb "$DL" "$KPKG" "$tmp/k"
extract_deb "$DL" busybox-static "$tmp/bb"

# vmlinuz is a bzImage whose payload is XZ: cut at the XZ magic and decompress (xz complains about
# the trailing data after the stream; that is expected).
vmlinuz="$tmp/k/boot/vmlinuz-$KVER"
off="$(LC_ALL=C grep -abo -m1 $'\xfd7zXZ' "$vmlinuz" | head -n1 | cut -d: -f1)"
tail -c +$((off + 1)) "$vmlinuz" | xz -dc > "$tmp/vmlinux" 2>/dev/null || true
file "$tmp/vmlinux" | grep -q 'ELF 64-bit' || { log "could not extract vmlinux from $vmlinuz"; exit 1; }

root="$tmp/root"
mkdir -p "$root"/{proc,sys,dev,tmp,run,scratch,etc}
install_busybox "$tmp/bb/bin/busybox" "$root"
# vivid: the kernel's virtual V4L2 camera (with videobuf2, videodev, the test pattern generator...).
copy_modules "$tmp/k" "$root" "$KVER" i2c-dev i2c-i801 virtio_pci 9pnet_virtio 9p vivid
# node and its libraries, stripped (86 MB instead of 99 MB; an unstripped one costs seconds of boot).
copy_with_libs "$root" /usr/bin/node
strip --strip-unneeded "$root/usr/bin/node"
copy_with_libs "$root" "$V4L2_CTL"
# What onnxruntime-node's binaries load (the face check's wasi:nn) besides node's libraries; the
# binaries themselves stay in the shared checkout.
SKIP_LIBS_UNDER="$ROOT" copy_libs_of "$root" $ORT_BINARIES
# What the native addons load besides node's own libraries (koffi dlopens libc.so.6 by name).
cp -L /lib/x86_64-linux-gnu/libc.so.6 "$root/lib/x86_64-linux-gnu/" 2>/dev/null || true
cp "$HW_DIR/x86/init" "$root/init"
chmod 755 "$root/init"
pack_cpio "$root" "$tmp/initrd.cpio"

mv "$tmp/vmlinux" "$OUT/vmlinux"
mv "$tmp/initrd.cpio" "$OUT/initrd.cpio"
echo "$stamp" > "$OUT/stamp"
log "x86 guest built: $KPKG, initrd $(du -h "$OUT/initrd.cpio" | cut -f1)"
