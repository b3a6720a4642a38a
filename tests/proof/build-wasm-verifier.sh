#!/usr/bin/env bash
# Builds crates/wasm-verifier for Node: wasm32-unknown-unknown, then `wasm-bindgen --target nodejs`.
#   tests/proof/build-wasm-verifier.sh [OUT_DIR]     (default tests/proof/node/pkg)
# The wasm32 toolchain is chosen as `./x` does (rustup's target where installed, otherwise Debian's
# rustc-web with -Zbuild-std, remembered in $FACEPROOF_CACHE/wasm-mode). wasm-bindgen must be the
# CLI at the exact version in Cargo.lock (`./x setup` installs it into $FACEPROOF_CACHE/tools/bin).
# Env: FACEPROOF_CACHE (default ~/.cache/faceproof), FACEPROOF_WASM_VERIFIER_TARGET_DIR
#      (default $FACEPROOF_CACHE/target-wasm-verifier), CARGO_BUILD_JOBS.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
CACHE="${FACEPROOF_CACHE:-$HOME/.cache/faceproof}"
OUT="${1:-$ROOT/tests/proof/node/pkg}"
TARGET_DIR="${FACEPROOF_WASM_VERIFIER_TARGET_DIR:-$CACHE/target-wasm-verifier}"
export PATH="$CACHE/tools/bin:$PATH"

# Same decision as ./x's wasm_mode, without installing anything.
if rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  mode=rustup
elif [ -f "$CACHE/wasm-mode" ]; then
  mode=$(cat "$CACHE/wasm-mode")
else
  echo "build-wasm-verifier: no wasm32 toolchain (run ./x setup, or rustup target add wasm32-unknown-unknown)" >&2
  exit 1
fi
want=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/,""); print; exit}' Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')
if [ "$have" != "$want" ]; then
  echo "build-wasm-verifier: wasm-bindgen CLI $want needed (found '${have:-none}'); run ./x setup" >&2
  exit 1
fi

echo "wasm-verifier: cargo build faceproof-wasm-verifier for wasm32 ($mode, release)"
if [ "$mode" = rustup ]; then
  CARGO_TARGET_DIR="$TARGET_DIR" cargo build -q --target wasm32-unknown-unknown --release -p faceproof-wasm-verifier
else
  RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 CARGO_TARGET_DIR="$TARGET_DIR" \
    /usr/bin/cargo build -q --target wasm32-unknown-unknown -Zbuild-std=std,panic_abort --release \
    -p faceproof-wasm-verifier
fi
wasm="$TARGET_DIR/wasm32-unknown-unknown/release/faceproof_wasm_verifier.wasm"
rm -rf "$OUT.tmp"; mkdir -p "$OUT.tmp"
wasm-bindgen --target nodejs --out-dir "$OUT.tmp" --out-name faceproof_wasm_verifier "$wasm"
# --target nodejs emits CommonJS; the example's package.json says "type": "module", so mark this folder.
printf '{ "name": "faceproof-wasm-verifier", "private": true, "type": "commonjs", "main": "faceproof_wasm_verifier.js" }\n' \
  > "$OUT.tmp/package.json"
rm -rf "$OUT"; mv "$OUT.tmp" "$OUT"
printf 'wasm-verifier: %s bytes (%s)\n' "$(stat -c %s "$OUT/faceproof_wasm_verifier_bg.wasm")" "$OUT"
