#!/usr/bin/env bash
# Builds and runs the tankcore host tests (Debian g++ + doctest), then cross-compiles
# lib/tankcore for the ESP8266 (Debian gcc-xtensa-lx106) and prints its code and RAM size.
# Usage: run_host_tests.sh [build-dir]   (default: a fresh temporary directory)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
lib="$here/../lib/tankcore/src"
build="${1:-$(mktemp -d -t tankcore-build.XXXXXX)}"
mkdir -p "$build"

echo "== host tests (build dir: $build)"
cmake -S "$here" -B "$build/host" -DCMAKE_BUILD_TYPE=Debug >/dev/null
cmake --build "$build/host" -j "${JOBS:-2}"
"$build/host/tankcore_tests"

echo "== ESP8266 cross-compile of lib/tankcore"
cross=xtensa-lx106-elf-g++
libc_include=/usr/lib/xtensa-lx106-elf/include
if ! command -v "$cross" >/dev/null 2>&1; then
  echo "SKIPPED: $cross not found (apt-get install gcc-xtensa-lx106 binutils-xtensa-lx106 picolibc-xtensa-lx106-elf)"
  exit 0
fi
if [ ! -f "$libc_include/stdint.h" ]; then
  echo "SKIPPED: C headers for xtensa-lx106 missing (apt-get install picolibc-xtensa-lx106-elf)"
  exit 0
fi
objdir="$build/xtensa"
mkdir -p "$objdir"
objects=()
for src in "$lib"/tankcore/*.cpp; do
  obj="$objdir/$(basename "${src%.cpp}").o"
  "$cross" -std=gnu++17 -Os -mlongcalls -mtext-section-literals -fno-exceptions -fno-rtti \
    -ffunction-sections -fdata-sections -Wall -Wextra -Werror \
    -isystem "$libc_include" -I "$lib" -c "$src" -o "$obj"
  objects+=("$obj")
done
xtensa-lx106-elf-ar rcs "$objdir/libtankcore.a" "${objects[@]}"
xtensa-lx106-elf-size -t "$objdir/libtankcore.a" | tail -n 1 | awk \
  '{printf "tankcore (esp8266, -Os): code %d bytes, initialised data %d bytes, bss %d bytes\n", $1, $2, $3}'
