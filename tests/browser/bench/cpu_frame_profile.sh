#!/usr/bin/env bash
# Where a CPU liveness frame's time goes in the browser module: Linux perf over headless Chromium running
# frames on the CPU backend, reported per wasm function of the worker's thread.
# Needs: `./x wasm` run first (it leaves rustc's output, with function names, in the wasm target dir), perf.
# Usage: tests/browser/bench/cpu_frame_profile.sh [FRAMES] [ROWS]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
CACHE="${FACEPROOF_CACHE:-$HOME/.cache/faceproof}"
named="$CACHE/target-wasm/wasm32-unknown-unknown/wasm-release/faceproof_wasm.wasm"
command -v perf >/dev/null || { echo "perf not found (Debian: linux-perf)" >&2; exit 1; }
[ -f "$named" ] || { echo "$named missing: run ./x wasm first" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# ./x wasm builds the CPU-only flavour last, so rustc's output is that module: wasm-opt strips its names,
# so the profile runs it as rustc wrote it (same code, TurboFan-compiled; slightly slower overall).
cp -rL "$ROOT/www" "$work/www"
"$CACHE/tools/bin/wasm-bindgen" --target web --out-dir "$work/www/pkg" --out-name faceproof_cpu "$named"
rm -f /tmp/perf-*.map
# Run from $work: V8 writes its isolate-*.log files into the browser's working directory.
(cd "$work" && PROFILE_WWW="$work/www" FRAMES="${1:-30}" perf record -q -a -o "$work/perf.data" node "$ROOT/tests/browser/bench/cpu_frame_profile.mjs")
echo "share of the worker thread's samples, per function:"
perf report -i "$work/perf.data" --no-children --comm DedicatedWorker --percentage relative --sort symbol 2>/dev/null \
  | grep -v '^#' | grep -v '^$' | head -"${2:-20}" | sed -E 's/-[0-9]+-turbofan//; s/::h[0-9a-f]{16}//; s/ +- +- *$//; s/ +$//'
