#!/usr/bin/env bash
# The npm package end to end: npm/build.sh assembles `faceproof` from www/pkg + www/sdk into
# target/npm/faceproof (gitignored), this Vite 7 app links it (package.json: file:../../target/npm/faceproof),
# `tsc` checks the hand-written types, `vite build` bundles the worker and the .wasm, and a headless Debian
# Chromium (CPU backend) detects the one face in a photo served by the built app, then by the same page
# unbundled (plain/index.html: an import map onto the package's files). Needs www/pkg (./x wasm),
# www/models and tests/browser/node_modules (./x setup). No network once node_modules is in place.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
SHARED="${FACEPROOF_SHARED:-$ROOT/../shared}"
PHOTO="$SHARED/data/faces-deepface/images/img1.jpg"
cd "$HERE"
start=$SECONDS
[ -f "$PHOTO" ] || { echo "vite-app: $PHOTO missing: put ../shared beside the clone or set FACEPROOF_SHARED" >&2; exit 1; }
[ -f "$ROOT/www/models/yunet.bpk" ] || { echo "vite-app: www/models/yunet.bpk missing: run ./x wasm" >&2; exit 1; }
[ -d "$ROOT/tests/browser/node_modules/playwright-core" ] || { echo "vite-app: tests/browser/node_modules missing: run ./x setup" >&2; exit 1; }

echo "== npm/build.sh target/npm/faceproof"
"$ROOT/npm/build.sh" "$ROOT/target/npm/faceproof"

if [ ! -d node_modules/vite ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "== npm ci (tests/vite-app)"
  npm ci --no-audit --no-fund --offline --loglevel=error 2>/dev/null || {
    echo "   (npm cache is cold: npm ci from the registry)"
    npm ci --no-audit --no-fund --loglevel=error
  }
fi
# The linked package must be the one just built (npm ci links it; a stale link would test old files).
[ "$(readlink -f node_modules/faceproof)" = "$(readlink -f "$ROOT/target/npm/faceproof")" ] ||
  { echo "vite-app: node_modules/faceproof does not link to target/npm/faceproof" >&2; exit 1; }

echo "== tsc --noEmit (the package's types against src/)"
npx --no-install tsc --noEmit -p .

echo "== vite build"
rm -rf dist
npx --no-install vite build --logLevel warn
compgen -G "dist/assets/worker-*.js" >/dev/null || { echo "vite-app: no worker chunk in dist/assets" >&2; exit 1; }
# Both modules ship (the worker loads one at create()): each bundled byte for byte.
for module in faceproof_bg faceproof_cpu_bg; do
  compgen -G "dist/assets/$module-*.wasm" >/dev/null || { echo "vite-app: no $module .wasm in dist/assets" >&2; exit 1; }
  cmp -s dist/assets/$module-*.wasm "$ROOT/target/npm/faceproof/pkg/$module.wasm" ||
    { echo "vite-app: the bundled $module.wasm differs from the package's" >&2; exit 1; }
done
grep -q 'new Worker(new URL("/assets/worker-' dist/assets/index-*.js ||
  { echo "vite-app: the page chunk does not start the bundled worker" >&2; exit 1; }
echo "bundle sizes (bytes, gzip -9):"
for f in dist/index.html dist/assets/*; do
  printf '  %-44s %10s %10s\n' "${f#dist/}" "$(stat -c %s "$f")" "$(gzip -9c "$f" | wc -c)"
done

echo "== headless Chromium (CPU backend): the Vite build"
node check.mjs vite dist "$ROOT/www/models" "$PHOTO"
echo "== headless Chromium (CPU backend): the same page unbundled (plain ESM, import map)"
node check.mjs plain "$ROOT/target/npm/faceproof" "$ROOT/www/models" "$PHOTO"
echo "vite-app: passed in $((SECONDS - start))s"
