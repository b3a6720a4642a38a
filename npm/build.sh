#!/usr/bin/env bash
# Assembles the npm package `faceproof` from the wasm-bindgen output (www/pkg, built by `./x wasm`) and the
# browser SDK (www/sdk), following wasm-pack's npm conventions (package.json with "module", "types",
# "files", "sideEffects"; the --target web glue and the .wasm side by side).
#
#   npm/build.sh [--with-models] OUT_DIR
#
# Layout of OUT_DIR (the SDK's relative URLs keep working: sdk/worker.js imports ../pkg/faceproof.js and
# fetches ../pkg/faceproof_bg.wasm):
#   package.json  README.md  LICENSE-NOTICE
#   sdk/faceproof.js (+ .d.ts)      the page API: FaceProof, FaceProofSession, openCamera, FaceProofError
#   sdk/worker.js (+ .d.ts)         the dedicated worker (wasm + every model run here)
#   sdk/model-loader.js (+ .d.ts)   sha256-checked weights, Cache API
#   sdk/webcrypto-sign.mjs (+ .d.mts) device key and proof signing
#   pkg/faceproof.js, faceproof_bg.wasm, faceproof.d.ts, faceproof_bg.wasm.d.ts   wasm-bindgen --target web
#   pkg/faceproof_cpu.js, faceproof_cpu_bg.wasm, (.d.ts)                          the CPU-only build
#   weights-manifest.json           [{name, file, sha256}]: the weights files this module accepts
#   models/*.bpk                    only with --with-models (~28 MB packed); otherwise the app serves them
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WITH_MODELS=0
OUT=
for arg in "$@"; do
  case "$arg" in
    --with-models) WITH_MODELS=1 ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    -*) echo "npm/build.sh: unknown option $arg" >&2; exit 2 ;;
    *) [ -z "$OUT" ] || { echo "npm/build.sh: one OUT_DIR only" >&2; exit 2; }; OUT=$arg ;;
  esac
done
[ -n "$OUT" ] || { sed -n '6p' "$0" >&2; exit 2; }

PKG="$ROOT/www/pkg" SDK="$ROOT/www/sdk" NPM="$ROOT/npm"
# Two modules: the full one (WebGPU + CPU) and the CPU-only one (the worker picks one at create()).
PKG_FILES=(faceproof.js faceproof_bg.wasm faceproof.d.ts faceproof_bg.wasm.d.ts
  faceproof_cpu.js faceproof_cpu_bg.wasm faceproof_cpu.d.ts faceproof_cpu_bg.wasm.d.ts weights-manifest.json)
for f in "${PKG_FILES[@]}"; do
  [ -f "$PKG/$f" ] || { echo "npm/build.sh: $PKG/$f missing: run ./x wasm first" >&2; exit 1; }
done
for f in faceproof.js worker.js model-loader.js webcrypto-sign.mjs; do
  [ -f "$SDK/$f" ] || { echo "npm/build.sh: $SDK/$f missing" >&2; exit 1; }
done
if [ "$WITH_MODELS" = 1 ]; then
  compgen -G "$ROOT/www/models/*.bpk" >/dev/null || { echo "npm/build.sh: no www/models/*.bpk: run ./x wasm (it copies models/build)" >&2; exit 1; }
fi

VERSION=$(python3 -c "import tomllib; print(tomllib.load(open('$ROOT/Cargo.toml','rb'))['workspace']['package']['version'])")

# Build beside OUT and swap it in at the end, so a failed build never leaves half a package.
mkdir -p "$(dirname "$OUT")"
OUT=$(cd "$(dirname "$OUT")" && pwd)/$(basename "$OUT")
STAGE="$OUT.tmp.$$"
trap 'rm -rf "$STAGE"' EXIT
rm -rf "$STAGE"; mkdir -p "$STAGE/sdk" "$STAGE/pkg"

# www/pkg may be rebuilt by `./x wasm` while this runs (it swaps the whole folder): copy it in one go and
# check the glue and the module came from the same build (the glue names the module's exports).
(cd "$PKG" && cp "${PKG_FILES[@]}" "$STAGE/pkg/")
cp "$SDK"/faceproof.js "$SDK"/worker.js "$SDK"/model-loader.js "$SDK"/webcrypto-sign.mjs "$STAGE/sdk/"

# Bundlers (Vite, Rollup, webpack 5, esbuild plugins) bundle a worker only when they see
# `new Worker(new URL('./worker.js', import.meta.url), ...)` literally; www/sdk builds the URL in
# FaceProof.create and passes it to `new Worker(workerUrl, ...)`, which a bundler copies as a plain asset
# whose relative imports (../pkg/faceproof.js, ./model-loader.js) then break. Until www/sdk spells the
# literal form itself, the package's copy is rewritten to it (same behaviour: an explicit `workerUrl`
# still wins). Every rewrite is checked; a changed SDK fails the build instead of shipping a broken worker.
python3 - "$STAGE/sdk/faceproof.js" <<'PY'
import re, sys
path = sys.argv[1]
src = open(path, encoding="utf-8").read()
literal = re.compile(r"new Worker\(\s*new URL\(\s*['\"]\./worker\.js['\"]\s*,\s*import\.meta\.url\s*\)")
rewrites = []
# The default modelsUrl (../models/ beside the SDK) is a runtime URL, not an asset to bundle: without the
# ignore comments Vite warns on every build and webpack fails to resolve the folder.
models_default = "new URL('../models/', import.meta.url)"
if models_default in src:
    rewrites.append((models_default, "new URL(/* @vite-ignore */ /* webpackIgnore: true */ '../models/', import.meta.url)"))
if not literal.search(src):
    rewrites += [
        ("new FaceProof(workerUrl ?? new URL('./worker.js', import.meta.url))", "new FaceProof(workerUrl)"),
        ("this.#worker = new Worker(workerUrl, { type: 'module', name: 'faceproof' });",
         "this.#worker = workerUrl\n"
         "      ? new Worker(workerUrl, { type: 'module', name: 'faceproof' })\n"
         "      // npm package: the literal form lets bundlers (Vite, Rollup, webpack) bundle the worker.\n"
         "      : new Worker(new URL('./worker.js', import.meta.url), { type: 'module', name: 'faceproof' });"),
    ]
for old, new in rewrites:
    if src.count(old) != 1:
        sys.exit(f"npm/build.sh: www/sdk/faceproof.js changed: expected exactly one {old!r}; update npm/build.sh")
    src = src.replace(old, new)
if not literal.search(src):
    sys.exit("npm/build.sh: the worker rewrite did not produce the literal new Worker(new URL(...)) form")
open(path, "w", encoding="utf-8").write(src)
PY

cp "$NPM/faceproof.d.ts" "$NPM/worker.d.ts" "$NPM/model-loader.d.ts" "$STAGE/sdk/"
cp "$NPM/webcrypto-sign.d.mts" "$STAGE/sdk/"
cp "$NPM/README.md" "$STAGE/README.md"
[ -f "$ROOT/LICENSE" ] && cp "$ROOT/LICENSE" "$STAGE/LICENSE"

# The module's own manifest (weightsManifest()) lists the weights files it accepts and pins their sha256:
# written out as weights-manifest.json, and with --with-models exactly those files are copied from www/models
# and checked (the module refuses mismatching weights at run time anyway; this catches a stale www/models).
node --input-type=module - "$STAGE" "$WITH_MODELS" "$VERSION" "$ROOT/www/models" <<'JS'
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { pathToFileURL } from 'node:url';
const [stage, withModels, version, modelsDir] = process.argv.slice(2);
const glue = await import(pathToFileURL(path.join(stage, 'pkg/faceproof.js')).href);
glue.initSync({ module: fs.readFileSync(path.join(stage, 'pkg/faceproof_bg.wasm')) });
const manifest = JSON.parse(glue.weightsManifest());
const moduleVersion = glue.moduleVersion();
// The CPU-only module must be the same build: same version, same weights, and each the flavour it claims.
const cpuGlue = await import(pathToFileURL(path.join(stage, 'pkg/faceproof_cpu.js')).href);
cpuGlue.initSync({ module: fs.readFileSync(path.join(stage, 'pkg/faceproof_cpu_bg.wasm')) });
// pkg/weights-manifest.json (the worker's early fetch list, written by ./x wasm) must be this module's list.
const early = JSON.parse(fs.readFileSync(path.join(stage, 'pkg/weights-manifest.json'), 'utf8'));
if (JSON.stringify(early) !== JSON.stringify(manifest)) {
  console.error('npm/build.sh: www/pkg/weights-manifest.json is not the module\'s weightsManifest(): rebuild with ./x wasm');
  process.exit(1);
}
if (cpuGlue.weightsManifest() !== glue.weightsManifest() || cpuGlue.moduleVersion() !== moduleVersion ||
    glue.moduleFlavour() !== 'webgpu' || cpuGlue.moduleFlavour() !== 'cpu') {
  console.error('npm/build.sh: www/pkg/faceproof_cpu* is not the CPU-only build of the same module: rebuild with ./x wasm');
  process.exit(1);
}
if (moduleVersion !== version) {
  console.error(`npm/build.sh: www/pkg is module version ${moduleVersion}, Cargo.toml says ${version}: rebuild with ./x wasm`);
  process.exit(1);
}
if (withModels === '1') {
  fs.mkdirSync(path.join(stage, 'models'));
  for (const { name, file, sha256 } of manifest) {
    const src = path.join(modelsDir, file);
    if (!fs.existsSync(src)) { console.error(`npm/build.sh: www/models/${file} (${name}) missing: run ./x wasm`); process.exit(1); }
    const bytes = fs.readFileSync(src);
    const actual = crypto.createHash('sha256').update(bytes).digest('hex');
    if (actual !== sha256) { console.error(`npm/build.sh: www/models/${file} has sha256 ${actual}, the module expects ${sha256}`); process.exit(1); }
    fs.writeFileSync(path.join(stage, 'models', file), bytes);
  }
}
fs.writeFileSync(path.join(stage, 'weights-manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
const files = ['sdk/', 'pkg/', 'weights-manifest.json', 'README.md'];
if (fs.existsSync(path.join(stage, 'LICENSE'))) files.push('LICENSE');
const exports = {
  '.': { types: './sdk/faceproof.d.ts', default: './sdk/faceproof.js' },
  './worker': { types: './sdk/worker.d.ts', default: './sdk/worker.js' },
  './model-loader': { types: './sdk/model-loader.d.ts', default: './sdk/model-loader.js' },
  './webcrypto-sign': { types: './sdk/webcrypto-sign.d.mts', default: './sdk/webcrypto-sign.mjs' },
  './wasm': { types: './pkg/faceproof.d.ts', default: './pkg/faceproof.js' },
  './faceproof_bg.wasm': './pkg/faceproof_bg.wasm',
  './wasm-cpu': { types: './pkg/faceproof_cpu.d.ts', default: './pkg/faceproof_cpu.js' },
  './faceproof_cpu_bg.wasm': './pkg/faceproof_cpu_bg.wasm',
  './weights-manifest.json': './weights-manifest.json',
  './package.json': './package.json',
};
if (withModels === '1') {
  files.push('models/');
  exports['./models/*'] = './models/*';
}
const pkg = {
  name: 'faceproof',
  version,
  description: 'Face verification in the browser: Rust/WebAssembly face detection, liveness and matching in a Web Worker (WebGPU or CPU); the server gets a signed match proof, never a face image.',
  license: 'Apache-2.0',
  type: 'module',
  module: './sdk/faceproof.js',
  types: './sdk/faceproof.d.ts',
  exports,
  files,
  sideEffects: false,
  keywords: ['face', 'verification', 'liveness', 'webassembly', 'wasm', 'webgpu', 'worker'],
};
fs.writeFileSync(path.join(stage, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
console.log(`faceproof ${version}: module ${moduleVersion}, ${manifest.length} weights files in the manifest${withModels === '1' ? ' (all bundled, sha256 checked)' : ' (not bundled)'}`);
JS

rm -rf "$OUT"; mv "$STAGE" "$OUT"
trap - EXIT

# What `npm pack` would publish, and its size.
(cd "$OUT" && npm pack --dry-run --json --loglevel=error) | node -e '
  const [r] = JSON.parse(require("fs").readFileSync(0, "utf8"));
  for (const f of r.files) console.log(`  ${String(f.size).padStart(10)}  ${f.path}`);
  console.log(`${r.id}: ${r.entryCount} files, packed ${(r.size / 1048576).toFixed(2)} MiB, unpacked ${(r.unpackedSize / 1048576).toFixed(2)} MiB -> ${process.argv[1]}`);
' "$OUT"
