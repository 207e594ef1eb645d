#!/usr/bin/env bash
# Compile cost of #[derive(Shared)], against the code it replaces written by hand.
#
# benches/compile_crates.py writes, in a temporary directory (never in the repo), a workspace of
# three library crates with the same N structs of 10 fields each (5 atoms, 3 rwlocks, 1 mutex,
# 1 readonly) and, per struct, the same two functions (build a SyncFlavor handle; touch every
# field once through it):
#   derived   `#[derive(Shared)]` on each struct;
#   smallest  the smallest hand-written handles that do the same job: `struct SNHandle(Arc<..>)`
#             with `new`, `Clone` and one accessor per field;
#   full      hand-written handles with the derive's whole API, for both flavours (weak handle,
#             `Debug`, `From`, counts, `try_unwrap`, `into_inner`, `snapshot`);
#   one       the same API by hand in one flavour (`Arc` + atomics / locks).
#
# Measures (median of RUNS):
#   1. clean `cargo build` (dev profile) of each crate. All depend on sharecell by path and share
#      one target dir; sharecell, its runtime and its macro (with syn) are built once up front and
#      stay built: before each timed build only that crate is removed (`cargo clean -p NAME`).
#      Printed: derived / smallest, derived / full and derived / one.
#   2. `cargo llvm-lines` of each crate: LLVM IR lines in total (installs cargo-llvm-lines with
#      `cargo install --locked` if it is missing).
#   3. clean `cargo build -p sharecell-macros` (with proc-macro2, quote, syn) in an empty target
#      dir: the macro crate's own clean build time.
#
# Usage: bash benches/compile.sh           (N=100 RUNS=5 by default; N=20 RUNS=1 for a smoke run)
set -euo pipefail

N=${N:-100}
RUNS=${RUNS:-5}
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/sharecell-compile.XXXXXX")
trap 'rm -rf "$work"' EXIT
export CARGO_TARGET_DIR="$work/target"
export CARGO_TERM_COLOR=never

# --- generation -------------------------------------------------------------------------------

generate() {
    N="$N" python3 "$repo/benches/compile_crates.py" "$work" "$repo"
    # Same dependency versions as the repo.
    cp "$repo/Cargo.lock" "$work/Cargo.lock"
}

# --- measurement ------------------------------------------------------------------------------

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# Runs "$@" quietly; prints "wall cpu": wall-clock seconds and CPU seconds (user + system, of
# every process the command waited for). CPU time shows the work done whatever else runs on
# the machine; wall time is what a user waits.
timed() {
    local TIMEFORMAT='%R %U %S'
    if ! { time "$@" 2>"$work/err"; } 2>"$work/time"; then
        cat "$work/err" >&2
        return 1
    fi
    awk '{ printf "%.2f %.2f\n", $1, $2 + $3 }' "$work/time"
}

# Seconds cargo spent compiling unit $2 (a library) in the build whose --timings report is $1:
# rustc alone, without cargo's own start-up, which is the same for every crate.
unit_seconds() {
    awk -v n="\"$2\"," '$1 == "\"name\":" { hit = ($2 == n) }
        hit && $1 == "\"duration\":" { sub(",", "", $2); print $2; exit }' "$1"
}

# One clean build of package $1 of the generated workspace (its dependencies stay built).
# Prints "wall cpu rustc" seconds.
time_crate() {
    cargo clean -q --manifest-path "$work/Cargo.toml" -p "$1"
    echo "$(timed cargo build -q --manifest-path "$work/Cargo.toml" -p "$1" --timings)" \
        "$(unit_seconds "$CARGO_TARGET_DIR/cargo-timings/cargo-timing.html" "$1")"
}

# One clean build of sharecell-macros with its dependencies, in an empty target dir; then one of
# the macro crate alone (its dependencies built). Prints "wall cpu" of the first, then
# "wall cpu rustc" of the second.
time_macros() {
    export CARGO_TARGET_DIR="$work/macros-target"
    rm -rf "$CARGO_TARGET_DIR"
    local with_deps alone
    with_deps=$(timed cargo build -q --manifest-path "$repo/Cargo.toml" -p sharecell-macros)
    cargo clean -q --manifest-path "$repo/Cargo.toml" -p sharecell-macros
    alone=$(timed cargo build -q --manifest-path "$repo/Cargo.toml" -p sharecell-macros --timings)
    echo "$with_deps $alone $(unit_seconds "$CARGO_TARGET_DIR/cargo-timings/cargo-timing.html" sharecell-macros)"
}

llvm_lines() { # total LLVM IR lines of package $1
    cargo llvm-lines -q --manifest-path "$work/Cargo.toml" -p "$1" --lib |
        awk '/\(TOTAL\)/ { print $1; exit }'
}

# Column $2 of file $1, median.
col_median() { awk -v c="$2" '{ print $c }' "$1" | median; }

main() {
    echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
    echo "$(rustc --version); $(cargo --version)"
    echo "N=$N structs x 10 fields, RUNS=$RUNS, dev profile"
    generate
    echo "warming: building sharecell and its dependencies once"
    cargo build -q --manifest-path "$work/Cargo.toml" --timings
    local warm="$work/warm-timing.html"
    cp "$CARGO_TARGET_DIR/cargo-timings/cargo-timing.html" "$warm"
    fetch_macros_deps

    local d="$work/derived.times" s="$work/smallest.times" f="$work/full.times" m="$work/macros.times"
    local o="$work/one.times"
    for run in $(seq 1 "$RUNS"); do
        time_crate derived >>"$d"
        time_crate smallest >>"$s"
        time_crate full >>"$f"
        time_crate one >>"$o"
        (time_macros) >>"$m"
        echo "run $run (wall cpu rustc): derived $(tail -1 "$d"), smallest $(tail -1 "$s")," \
            "full $(tail -1 "$f"), one $(tail -1 "$o"), sharecell-macros with deps, alone: $(tail -1 "$m")"
    done
    local dw dc dr sw sc sr fw fc fr ow oc or
    dw=$(col_median "$d" 1) dc=$(col_median "$d" 2) dr=$(col_median "$d" 3)
    sw=$(col_median "$s" 1) sc=$(col_median "$s" 2) sr=$(col_median "$s" 3)
    fw=$(col_median "$f" 1) fc=$(col_median "$f" 2) fr=$(col_median "$f" 3)
    ow=$(col_median "$o" 1) oc=$(col_median "$o" 2) or=$(col_median "$o" 3)
    echo
    echo "| clean build, median of $RUNS | wall s | CPU s | rustc s |"
    echo "|---|---|---|---|"
    echo "| $N derived structs | $dw | $dc | $dr |"
    echo "| $N smallest hand-written handles | $sw | $sc | $sr |"
    echo "| $N hand-written handles with the whole API | $fw | $fc | $fr |"
    echo "| $N hand-written handles with the whole API, one flavour | $ow | $oc | $or |"
    echo "| **ratio derived / smallest** | $(ratio "$dw" "$sw") | $(ratio "$dc" "$sc") | $(ratio "$dr" "$sr") |"
    echo "| **ratio derived / whole API** | $(ratio "$dw" "$fw") | $(ratio "$dc" "$fc") | $(ratio "$dr" "$fr") |"
    echo "| **ratio derived / whole API, one flavour** | $(ratio "$dw" "$ow") | $(ratio "$dc" "$oc") | $(ratio "$dr" "$or") |"
    echo "| sharecell-macros with proc-macro2, quote, syn | $(col_median "$m" 1) | $(col_median "$m" 2) | |"
    echo "| sharecell-macros alone (dependencies built) | $(col_median "$m" 3) | $(col_median "$m" 4) | $(col_median "$m" 5) |"
    echo
    echo "As a dependency (the warming build above, a clean build of sharecell; proc macros build"
    echo "without debug info there): syn $(unit_seconds "$warm" syn) s, then" \
        "sharecell-macros $(unit_seconds "$warm" sharecell-macros) s (rustc time per unit)."
    report_llvm_lines
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

# The macro's dependencies are downloaded before any timing.
fetch_macros_deps() {
    cargo fetch -q --manifest-path "$repo/Cargo.toml"
}

report_llvm_lines() {
    if ! cargo llvm-lines --version >/dev/null 2>&1; then
        echo "installing cargo-llvm-lines"
        cargo install -q --locked cargo-llvm-lines
    fi
    local fields=$((N * 10)) dl sl fl ol
    dl=$(llvm_lines derived)
    sl=$(llvm_lines smallest)
    fl=$(llvm_lines full)
    ol=$(llvm_lines one)
    echo
    echo "| cargo llvm-lines (dev) | total lines | per field |"
    echo "|---|---|---|"
    echo "| derived | $dl | $((dl / fields)) |"
    echo "| smallest hand-written | $sl | $((sl / fields)) |"
    echo "| hand-written, whole API | $fl | $((fl / fields)) |"
    echo "| hand-written, whole API, one flavour | $ol | $((ol / fields)) |"
    echo
    echo "largest generic functions in the derived crate (lines, copies):"
    cargo llvm-lines -q --manifest-path "$work/Cargo.toml" -p derived --lib | sed -n '1,14p'
}

main "$@"
