#!/usr/bin/env bash
# Reliability checks of sharecell's runtime (docs/concurrency.md): stress, unwind and re-entrancy
# tests on stable (debug and release), loom model checking, then Miri and ThreadSanitizer on a
# pinned nightly. Called by .ci/run; runs alone as `bash .ci/reliability.sh`. About 8-10 minutes
# on 2 cores from a clean target directory.
#
# The nightly is pinned so that a Miri or sanitizer change cannot break CI on its own. If it
# cannot be installed (offline machine, date gone from the server), the nightly checks print a
# SKIPPED line saying why; every other failure fails the script.
set -euo pipefail
cd "$(dirname "$0")/.."

NIGHTLY=nightly-2026-05-20 # 1.97.0-nightly (e50aa6fba); nightly-2026-05-19 has no miri component
TARGET_DIR=${CARGO_TARGET_DIR:-target}
export CARGO_TERM_COLOR=never

# shellcheck source=.ci/lib.sh
source .ci/lib.sh

step "stress, unwind and re-entrancy tests (stable, debug: with the re-entrancy checks)"
run cargo test -p sharecell-runtime --tests

step "stress tests (stable, release: optimised code, no re-entrancy bookkeeping)"
run cargo test -p sharecell-runtime --release --test stress --test unwind --test layout \
  --test transaction

step "loom: every interleaving of the Sync flavour's composite operations"
# Own target directory: --cfg loom rebuilds everything, and must not evict the normal build.
run RUSTFLAGS="--cfg loom" CARGO_TARGET_DIR="$TARGET_DIR/loom" \
  cargo test -p sharecell-runtime --release

step "pinned nightly for Miri and ThreadSanitizer: $NIGHTLY"
if ! command -v rustup >/dev/null; then
  skipped "miri (rustup is not installed, so $NIGHTLY cannot be)"
  skipped "thread sanitizer (rustup is not installed, so $NIGHTLY cannot be)"
  exit 0
fi
if ! run rustup toolchain install "$NIGHTLY" --profile minimal --component miri,rust-src; then
  skipped "miri ($NIGHTLY with miri and rust-src could not be installed; see the error above)"
  skipped "thread sanitizer (same toolchain)"
  exit 0
fi

step "Miri: the runtime's tests (unit, integration, doc), then the facade's integration tests"
if run cargo "+$NIGHTLY" miri setup; then
  run cargo "+$NIGHTLY" miri test -p sharecell-runtime
  # Every integration test of the facade. (The UI tests are the package in tests/ui/, not
  # run here: trybuild runs rustc, which is not for Miri.)
  facade_tests=()
  for file in tests/*.rs; do
    facade_tests+=(--test "$(basename "$file" .rs)")
  done
  run cargo "+$NIGHTLY" miri test -p sharecell "${facade_tests[@]}"
  # The re-export test is a package of its own (the facade has no dev-dependency).
  run cargo "+$NIGHTLY" miri test -p sharecell-reexport --test reexport
else
  skipped "miri (cargo miri setup failed: it builds a sysroot from rust-src; see the error above)"
fi

step "ThreadSanitizer: the threaded runtime tests, std rebuilt with the sanitizer"
host=$(rustc "+$NIGHTLY" -vV | sed -n 's/^host: //p')
case "$host" in
  x86_64-unknown-linux-gnu | aarch64-unknown-linux-gnu)
    run RUSTFLAGS="-Zsanitizer=thread" CARGO_TARGET_DIR="$TARGET_DIR/tsan" \
      cargo "+$NIGHTLY" test -Zbuild-std --target "$host" \
      -p sharecell-runtime --test stress --test reentrancy --test unwind --test lock_all \
      --test transaction --test lock_order
    ;;
  *) skipped "thread sanitizer (not supported on $host)" ;;
esac
