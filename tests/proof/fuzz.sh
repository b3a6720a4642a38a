#!/usr/bin/env bash
# Bounded cargo-fuzz run of the proof crate's token and challenge parsers.
#   tests/proof/fuzz.sh [SECONDS]   (default 30, split between the two targets)
# Prints executions and crashes per target; exits 1 on a crash. Skips (exit 0) with
# a message if cargo-fuzz is not installed (cargo install cargo-fuzz).
set -euo pipefail
SECS="${1:-30}"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
FUZZ_DIR="$ROOT/crates/proof/fuzz"

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "SKIP: cargo-fuzz is not installed (cargo install cargo-fuzz); fuzzing skipped"
  exit 0
fi
# cargo-fuzz passes nightly-only flags; with a stable toolchain allow them.
if ! rustc --version | grep -q nightly; then
  export RUSTC_BOOTSTRAP=1
fi
TARGET_DIR="${FACEPROOF_FUZZ_TARGET_DIR:-${CARGO_TARGET_DIR:+$CARGO_TARGET_DIR-fuzz}}"
TARGET_DIR="${TARGET_DIR:-$FUZZ_DIR/target}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# Seeds from the deterministic fixture (valid tokens in each input mode).
FACEPROOF_FUZZ_SEED_DIR="$WORK/seeds" cargo test -q -p faceproof-proof --features testkit \
  --manifest-path "$ROOT/Cargo.toml" --test fuzz_seeds >/dev/null

cd "$ROOT"
echo "fuzz: building targets (release, no sanitizer; the crate forbids unsafe code)"
cargo fuzz build --fuzz-dir "$FUZZ_DIR" --sanitizer none --target-dir "$TARGET_DIR" >"$WORK/build.log" 2>&1 || {
  cat "$WORK/build.log"; exit 1; }

PER=$(( SECS / 2 )); [ "$PER" -ge 1 ] || PER=1
status=0
total_execs=0
total_crashes=0
for t in token challenge; do
  mkdir -p "$WORK/corpus/$t" "$WORK/artifacts/$t"
  cp "$WORK/seeds/$t/"* "$WORK/corpus/$t/"
  set +e
  cargo fuzz run --fuzz-dir "$FUZZ_DIR" --sanitizer none --target-dir "$TARGET_DIR" "$t" \
    "$WORK/corpus/$t" -- -max_total_time="$PER" -print_final_stats=1 -max_len=20000 \
    -artifact_prefix="$WORK/artifacts/$t/" >"$WORK/$t.log" 2>&1
  rc=$?
  set -e
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$WORK/$t.log" | grep -o '[0-9]*$' | tail -1)
  crashes=$(find "$WORK/artifacts/$t" -type f | wc -l)
  echo "fuzz: target=$t seconds=$PER executions=${execs:-0} crashes=$crashes corpus=$(ls "$WORK/corpus/$t" | wc -l)"
  total_execs=$(( total_execs + ${execs:-0} ))
  total_crashes=$(( total_crashes + crashes ))
  if [ "$rc" -ne 0 ] || [ "$crashes" -ne 0 ]; then
    status=1
    tail -40 "$WORK/$t.log"
    mkdir -p "$ROOT/crates/proof/fuzz/artifacts/$t"
    cp "$WORK/artifacts/$t/"* "$ROOT/crates/proof/fuzz/artifacts/$t/" 2>/dev/null || true
    echo "fuzz: crash inputs copied to crates/proof/fuzz/artifacts/$t/"
  fi
done
echo "fuzz: total executions=$total_execs crashes=$total_crashes"
exit $status
