#!/bin/sh
# Builds CPython's static library (libpython3.11.a) for wasm32-wasi from Debian's python3.11
# source package, once per Debian source version, into $PYTHON_WASI_CACHE (default .cache/python-wasi).
# guests/python/build.sh calls it; apps then link against the library (no rebuild of CPython per app).
#
# Needs: a deb-src entry for bookworm (apt-get source), dpkg-dev, clang-19, llvm-19 (llvm-ar),
# wasi-libc, libclang-rt-19-dev-wasm32, python3.11 (the build Python: same 3.11 as the sources).
# Takes 10-20 minutes on two cores (niced, -j2); prints each phase.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cache=${PYTHON_WASI_CACHE:-$root/.cache/python-wasi}
jobs=${JOBS:-2}
# The source version is pinned: a different one changes the interpreter, and the committed
# components record it among their inputs (guests/python/inputs.txt).
version=$(cat "$here/debian-version")
work="$cache/$version"
lib="$work/build/libpython3.11.a"

if [ -f "$work/runtime.stamp" ] && [ -f "$lib" ]; then
  echo "python runtime: cached ($work)"
  exit 0
fi

for tool in dpkg-source clang-19 llvm-ar-19 llvm-ranlib-19 python3.11; do
  command -v "$tool" >/dev/null || { echo "build-runtime: $tool is missing (apt-get install clang-19 llvm-19 dpkg-dev python3.11 wasi-libc libclang-rt-19-dev-wasm32)" >&2; exit 1; }
done
[ -f /usr/lib/wasm32-wasi/libc.a ] || { echo "build-runtime: wasi-libc is missing (apt-get install wasi-libc)" >&2; exit 1; }

mkdir -p "$work"
cd "$work"
if [ ! -d src ]; then
  echo "python runtime: fetching Debian source python3.11=$version"
  apt-get source --download-only "python3.11=$version" >/dev/null 2>&1 || {
    echo "build-runtime: 'apt-get source python3.11=$version' failed. Either apt has no deb-src entry for bookworm" >&2
    echo "  (add one: Types: deb-src, URIs: http://deb.debian.org/debian, Suites: bookworm, Components: main; then apt-get update)," >&2
    echo "  or the mirror has moved on to a newer version (apt-cache showsrc python3.11; put it in guests/python/debian-version)" >&2
    exit 1
  }
  dpkg-source -x "python3.11_$version.dsc" src.tmp >/dev/null
  mv src.tmp src
fi

mkdir -p build
cd build
# The interpreter embeds its build date and time (__DATE__, __TIME__ in Py_GetBuildInfo); clang takes
# them from SOURCE_DATE_EPOCH, here the date of the source package's last changelog entry, so that
# the same source version gives the same bytes on every machine and every day.
SOURCE_DATE_EPOCH=$(dpkg-parsechangelog -l "$work/src/debian/changelog" -STimestamp)
export SOURCE_DATE_EPOCH
# Modules we leave out: what needs libraries wasi-libc does not have, what an edge app has no use
# for (CJK codecs, unicodedata, test modules), and zlib/lzma/uuid whose headers configure would
# otherwise find in the build machine's /usr/include (the sysroot is /usr) and link against the
# host's libraries.
cat > Modules-Setup.local <<'SETUP'
*disabled*
_decimal _ctypes _ctypes_test _sqlite3 _ssl _hashlib _curses _curses_panel _dbm _gdbm readline _tkinter
zlib _lzma _bz2 _uuid binascii_zlib _multibytecodec _codecs_cn _codecs_hk _codecs_iso2022 _codecs_jp
_codecs_kr _codecs_tw unicodedata pyexpat _elementtree audioop nis _crypt ossaudiodev spwd syslog
_testcapi _testinternalcapi _testbuffer _testimportmultiple _testmultiphase xxlimited xxlimited_35
_xxtestfuzz _xxsubinterpreters xxsubtype _testclinic
SETUP
if [ ! -f Makefile ]; then
  echo "python runtime: configure (a few minutes)"
  mkdir -p Modules
  cp Modules-Setup.local Modules/Setup.local
  CONFIG_SITE="$work/src/Tools/wasm/config.site-wasm32-wasi" \
  CC="clang-19 --target=wasm32-wasi --sysroot=/usr" CPP="clang-cpp-19 --target=wasm32-wasi --sysroot=/usr" \
  AR=llvm-ar-19 RANLIB=llvm-ranlib-19 PKG_CONFIG_LIBDIR=/nonexistent \
  ac_cv_header_zlib_h=no ac_cv_header_lzma_h=no ac_cv_header_uuid_h=no ac_cv_header_uuid_uuid_h=no \
  ac_cv_header_bzlib_h=no ac_cv_header_ffi_h=no \
  nice -n 10 "$work/src/configure" -C --host=wasm32-unknown-wasi --build="$("$work/src/config.guess")" \
    --with-build-python=/usr/bin/python3.11 --disable-test-modules > configure.log 2>&1 || {
      tail -30 configure.log >&2; exit 1; }
fi
echo "python runtime: make libpython3.11.a (10-20 minutes)"
# clang-19 turns -Wint-conversion into an error; timemodule.c passes wasi-libc's pointer-valued
# CLOCK_* constants to PyModule_AddIntMacro, which wasi-sdk's clang 14 only warned about.
nice -n 10 make -j"$jobs" libpython3.11.a \
  OPT="-DNDEBUG -fwrapv -O2 -g0 -Wno-int-conversion -Wno-incompatible-function-pointer-types" > make.log 2>&1 || {
    tail -40 make.log >&2; exit 1; }
# The libraries the interpreter's modules link with, for guests/python/build.sh's link step.
sed -n 's/^\(LIBS\|MODLIBS\|LIBM\|LIBC\)=[[:space:]]*//p' Makefile | tr '\n' ' ' > link-libs.txt
echo "$version" > "$work/runtime.stamp"
echo "python runtime: built $lib ($(wc -c < "$lib") bytes)"
