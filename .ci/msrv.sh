#!/usr/bin/env bash
# Minimum supported Rust version: the three published crates build with the `rust-version` that
# Cargo.toml declares, with default features and with every feature, and so do the examples.
# Called by .ci/run; runs alone as `bash .ci/msrv.sh`. About a minute, plus the toolchain
# download on a fresh machine.
#
# Only what users build is held to it: the test and benchmark packages' dev-dependencies
# (trybuild, criterion) need newer toolchains, and the workspace's edition-2024 test crate needs
# cargo 1.85 to load at all. Lints may differ on the old toolchain: warnings are shown, only
# errors fail.
set -euo pipefail
cd "$(dirname "$0")/.."

MSRV=$(sed -n 's/^rust-version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
TARGET_DIR=${CARGO_TARGET_DIR:-target}
export CARGO_TERM_COLOR=never

# shellcheck source=.ci/lib.sh
source .ci/lib.sh

if [ -z "$MSRV" ]; then
  echo "no rust-version in Cargo.toml" >&2
  exit 1
fi
if ! command -v rustup >/dev/null; then
  skipped "msrv (rustup is not installed, so Rust $MSRV cannot be)"
  exit 0
fi

step "Rust $MSRV (rust-version in Cargo.toml)"
run rustup toolchain install "$MSRV" --profile minimal

# Own target directory: a different compiler rebuilds everything, and must not evict the normal
# build. --locked: the committed Cargo.lock, unchanged, must do for this cargo too.
msrv_cargo() { run CARGO_TARGET_DIR="$TARGET_DIR/msrv" cargo "+$MSRV" "$@" --locked; }

step "the libraries and the examples, default features"
msrv_cargo build -p sharecell-runtime -p sharecell-macros -p sharecell --lib --examples

step "the libraries and the examples, every feature (sync, serde)"
msrv_cargo build -p sharecell-runtime -p sharecell-macros -p sharecell --lib --examples --all-features
