#!/usr/bin/env bash
# faceproof proof + server test suite (issue 5).
#   tests/proof/run.sh
# Env: FACEPROOF_FUZZ_SECONDS (default 30), FACEPROOF_LOAD_N (default 2000),
#      CARGO_TARGET_DIR / CARGO_BUILD_JOBS are honoured.
# Needs: cargo, node >= 20 + npm (npm ci of tests/proof/node), redis-server (Debian
# package redis-server; Redis tests fail here if it is missing), cargo-fuzz (else fuzz is skipped),
# the wasm32 target + wasm-bindgen CLI (./x setup) for the Node verifier (tests/proof/build-wasm-verifier.sh).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
LOG="$(mktemp)"
WORK="$(mktemp -d)"
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK" "$LOG"
}
trap cleanup EXIT

echo "== proof: npm ci (tests/proof/node)"
(cd tests/proof/node && npm ci --no-audit --no-fund --loglevel=error)
export FACEPROOF_REQUIRE_NODE=1

echo "== proof: wasm verifier for Node (crates/wasm-verifier -> tests/proof/node/pkg)"
tests/proof/build-wasm-verifier.sh
export FACEPROOF_REQUIRE_WASM_VERIFIER=1

if command -v redis-server >/dev/null 2>&1; then
  export FACEPROOF_REQUIRE_REDIS=1
  echo "== proof: redis-server found; tests start their own instances on free loopback ports"
else
  echo "SKIP: redis-server not installed (apt-get install -y redis-server); Redis store tests will be skipped"
fi

echo "== proof: cargo test -p faceproof-proof -p faceproof-server -p faceproof-wasm-verifier"
cargo test -p faceproof-proof -p faceproof-server -p faceproof-wasm-verifier -- --nocapture 2>&1 | tee "$LOG"
grep -q "test result: FAILED" "$LOG" && exit 1

echo "== proof: fuzz (${FACEPROOF_FUZZ_SECONDS:-30} s)"
tests/proof/fuzz.sh "${FACEPROOF_FUZZ_SECONDS:-30}" | tee -a "$LOG"

echo "== proof: node example (jose + wasm verifier + nonce store) against a running service"
cargo build -q -p faceproof-server --bin faceproof
BIN="${CARGO_TARGET_DIR:-$ROOT/target}/debug/faceproof"
"$BIN" pubkey --key "$WORK/key.pem" > "$WORK/server.jwk.json"
cat > "$WORK/policy.toml" <<TOML
audience = "https://rp.example"
max_threshold_l2_e6 = 600000
min_passive_score_e6 = 500000
allowed_models = ["cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd"]
allowed_modules = ["abababababababababababababababababababababababababababababababab"]
challenge_keys = [$(cat "$WORK/server.jwk.json" | sed 's/"\([a-z]*\)":/\1=/g; s/,/, /g')]
TOML
"$BIN" serve --listen 127.0.0.1:0 --www none --store "sqlite:$WORK/replay.db" --key "$WORK/key.pem" \
  --audience https://rp.example > "$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 100); do grep -q "listening on" "$WORK/server.log" && break; sleep 0.1; done
URL="$(grep -o 'http://[0-9.:]*' "$WORK/server.log" | head -1)"
node tests/proof/node/e2e.mjs "$URL" "$WORK" "$WORK/policy.toml" | tee -a "$LOG"
kill -TERM "$SERVER_PID"
wait "$SERVER_PID"
SERVER_PID=""
grep -q "shut down" "$WORK/server.log" && echo "e2e: server shut down gracefully on SIGTERM"

echo "== proof: summary"
grep -E "^mutation cases|^all [0-9]+ mutations|load: store=|^fuzz: (target|total)|^e2e: (OK|node verifier)" "$LOG" || true
