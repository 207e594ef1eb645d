#!/usr/bin/env bash
# Compile cost of #[derive(Shared)], against the code it replaces written by hand.
#
# Generates, in a temporary directory (never in the repo), a workspace with two library crates
# of N structs of 10 fields each (5 atoms, 3 rwlocks, 1 mutex, 1 readonly):
#   derived      `#[derive(Shared)]` on each struct;
#   handwritten  what the derive replaces: for each struct a `Local` handle (Rc + Cell/RefCell)
#                and a `Sync` handle (Arc + atomics/RwLock/Mutex), each with `new`, `Clone`,
#                one accessor per field and `snapshot`. (The derive emits more: Debug, Default,
#                weak handles, counts, try_unwrap, the Handle trait; so this favours hand-written.)
# Both crates also hold, per struct, one function that builds a handle of each flavour and uses
# every field once, so the generic runtime code is instantiated and compiled as in a real program.
#
# Measures (median of RUNS):
#   1. clean `cargo build` (dev profile) of each crate. Both depend on sharecell by path and share
#      one target dir; sharecell, its runtime and its macro (with syn) are built once up front and
#      stay built: before each timed build only that crate is removed (`cargo clean -p NAME`).
#   2. `cargo llvm-lines` of each crate: LLVM IR lines in total and per field (installs
#      cargo-llvm-lines with `cargo install --locked` if it is missing).
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

data_struct() { # $1 = index, $2 = extra derive, $3 = mutex attr, $4 = readonly attr
    cat <<EOF
#[derive(Clone, Default$2)]
pub struct S$1 {
    pub a: u64,
    pub b: i32,
    pub c: bool,
    pub d: f64,
    pub e: usize,
    pub f: String,
    pub g: Vec<u32>,
    pub h: Option<String>,
    $3
    pub i: Vec<String>,
    $4
    pub j: u64,
}
EOF
}

derived_struct() {
    data_struct "$1" ", ::sharecell::Shared" "#[shared(mutex)]" "#[shared(readonly)]"
    cat <<EOF

fn touch_s$1<F: ::sharecell::Flavor>(h: &S$1Handle<F>) -> usize {
    h.a().fetch_add(1);
    h.b().set(2);
    h.c().fetch_not();
    h.d().set(1.5);
    h.e().update(|x| x + 1);
    h.f().write().push('x');
    h.g().with_mut(|v| v.push(1));
    let n = usize::from(h.h().read().is_some());
    h.i().lock().push(String::new());
    let s = S$1Handle::snapshot(h);
    n + s.i.len() + *h.j() as usize
}

pub fn use_s$1() -> usize {
    touch_s$1(&S$1Handle::new_local(S$1::default())) + touch_s$1(&S$1Handle::new_sync(S$1::default()))
}

EOF
}

handwritten_struct() {
    data_struct "$1" "" "" ""
    cat <<EOF

#[derive(Clone)]
pub struct S$1Local(Rc<S$1LocalInner>);

pub struct S$1LocalInner {
    a: Cell<u64>,
    b: Cell<i32>,
    c: Cell<bool>,
    d: Cell<f64>,
    e: Cell<usize>,
    f: RefCell<String>,
    g: RefCell<Vec<u32>>,
    h: RefCell<Option<String>>,
    i: RefCell<Vec<String>>,
    j: u64,
}

impl S$1Local {
    pub fn new(s: S$1) -> Self {
        Self(Rc::new(S$1LocalInner {
            a: Cell::new(s.a),
            b: Cell::new(s.b),
            c: Cell::new(s.c),
            d: Cell::new(s.d),
            e: Cell::new(s.e),
            f: RefCell::new(s.f),
            g: RefCell::new(s.g),
            h: RefCell::new(s.h),
            i: RefCell::new(s.i),
            j: s.j,
        }))
    }
    pub fn a(&self) -> &Cell<u64> { &self.0.a }
    pub fn b(&self) -> &Cell<i32> { &self.0.b }
    pub fn c(&self) -> &Cell<bool> { &self.0.c }
    pub fn d(&self) -> &Cell<f64> { &self.0.d }
    pub fn e(&self) -> &Cell<usize> { &self.0.e }
    pub fn f(&self) -> &RefCell<String> { &self.0.f }
    pub fn g(&self) -> &RefCell<Vec<u32>> { &self.0.g }
    pub fn h(&self) -> &RefCell<Option<String>> { &self.0.h }
    pub fn i(&self) -> &RefCell<Vec<String>> { &self.0.i }
    pub fn j(&self) -> &u64 { &self.0.j }
    pub fn snapshot(&self) -> S$1 {
        let x = &*self.0;
        let (f, g, h, i) = (x.f.borrow(), x.g.borrow(), x.h.borrow(), x.i.borrow_mut());
        S$1 { a: x.a.get(), b: x.b.get(), c: x.c.get(), d: x.d.get(), e: x.e.get(),
            f: f.clone(), g: g.clone(), h: h.clone(), i: i.clone(), j: x.j }
    }
}

#[derive(Clone)]
pub struct S$1Sync(Arc<S$1SyncInner>);

pub struct S$1SyncInner {
    a: AtomicU64,
    b: AtomicI32,
    c: AtomicBool,
    d: AtomicU64,
    e: AtomicUsize,
    f: RwLock<String>,
    g: RwLock<Vec<u32>>,
    h: RwLock<Option<String>>,
    i: Mutex<Vec<String>>,
    j: u64,
}

impl S$1Sync {
    pub fn new(s: S$1) -> Self {
        Self(Arc::new(S$1SyncInner {
            a: AtomicU64::new(s.a),
            b: AtomicI32::new(s.b),
            c: AtomicBool::new(s.c),
            d: AtomicU64::new(s.d.to_bits()),
            e: AtomicUsize::new(s.e),
            f: RwLock::new(s.f),
            g: RwLock::new(s.g),
            h: RwLock::new(s.h),
            i: Mutex::new(s.i),
            j: s.j,
        }))
    }
    pub fn a(&self) -> &AtomicU64 { &self.0.a }
    pub fn b(&self) -> &AtomicI32 { &self.0.b }
    pub fn c(&self) -> &AtomicBool { &self.0.c }
    pub fn d(&self) -> &AtomicU64 { &self.0.d }
    pub fn e(&self) -> &AtomicUsize { &self.0.e }
    pub fn f(&self) -> &RwLock<String> { &self.0.f }
    pub fn g(&self) -> &RwLock<Vec<u32>> { &self.0.g }
    pub fn h(&self) -> &RwLock<Option<String>> { &self.0.h }
    pub fn i(&self) -> &Mutex<Vec<String>> { &self.0.i }
    pub fn j(&self) -> &u64 { &self.0.j }
    pub fn snapshot(&self) -> S$1 {
        let x = &*self.0;
        let (f, g, h) = (x.f.read().unwrap(), x.g.read().unwrap(), x.h.read().unwrap());
        let i = x.i.lock().unwrap();
        S$1 { a: x.a.load(Acquire), b: x.b.load(Acquire), c: x.c.load(Acquire),
            d: f64::from_bits(x.d.load(Acquire)), e: x.e.load(Acquire),
            f: f.clone(), g: g.clone(), h: h.clone(), i: i.clone(), j: x.j }
    }
}

fn touch_local_s$1(h: &S$1Local) -> usize {
    h.a().set(h.a().get().wrapping_add(1));
    h.b().set(2);
    h.c().set(!h.c().get());
    h.d().set(1.5);
    h.e().set(h.e().get() + 1);
    h.f().borrow_mut().push('x');
    h.g().borrow_mut().push(1);
    let n = usize::from(h.h().borrow().is_some());
    h.i().borrow_mut().push(String::new());
    let s = h.snapshot();
    n + s.i.len() + *h.j() as usize
}

fn touch_sync_s$1(h: &S$1Sync) -> usize {
    h.a().fetch_add(1, AcqRel);
    h.b().store(2, Release);
    h.c().fetch_xor(true, AcqRel);
    h.d().store(1.5f64.to_bits(), Release);
    let _ = h.e().fetch_update(AcqRel, Acquire, |x| Some(x + 1));
    h.f().write().unwrap().push('x');
    h.g().write().unwrap().push(1);
    let n = usize::from(h.h().read().unwrap().is_some());
    h.i().lock().unwrap().push(String::new());
    let s = h.snapshot();
    n + s.i.len() + *h.j() as usize
}

pub fn use_s$1() -> usize {
    touch_local_s$1(&S$1Local::new(S$1::default())) + touch_sync_s$1(&S$1Sync::new(S$1::default()))
}

EOF
}

generate() {
    mkdir -p "$work/derived/src" "$work/handwritten/src"
    cat >"$work/Cargo.toml" <<EOF
[workspace]
members = ["derived", "handwritten"]
resolver = "2"
EOF
    for crate in derived handwritten; do
        cat >"$work/$crate/Cargo.toml" <<EOF
[package]
name = "$crate"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
sharecell = { path = "$repo" }
EOF
    done
    # Same dependency versions as the repo.
    cp "$repo/Cargo.lock" "$work/Cargo.lock"
    {
        echo "#![allow(clippy::all)]"
        for i in $(seq 1 "$N"); do derived_struct "$i"; done
    } >"$work/derived/src/lib.rs"
    {
        echo "#![allow(clippy::all)]"
        echo "use std::cell::{Cell, RefCell};"
        echo "use std::rc::Rc;"
        echo "use std::sync::atomic::Ordering::{AcqRel, Acquire, Release};"
        echo "use std::sync::atomic::{AtomicBool, AtomicI32, AtomicU64, AtomicUsize};"
        echo "use std::sync::{Arc, Mutex, RwLock};"
        for i in $(seq 1 "$N"); do handwritten_struct "$i"; done
    } >"$work/handwritten/src/lib.rs"
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

    local d="$work/derived.times" h="$work/handwritten.times" m="$work/macros.times"
    for run in $(seq 1 "$RUNS"); do
        time_crate derived >>"$d"
        time_crate handwritten >>"$h"
        (time_macros) >>"$m"
        echo "run $run (wall cpu [rustc]): derived $(tail -1 "$d"), handwritten $(tail -1 "$h")," \
            "sharecell-macros with deps, alone: $(tail -1 "$m")"
    done
    local dw dc dr hw hc hr
    dw=$(col_median "$d" 1) dc=$(col_median "$d" 2) dr=$(col_median "$d" 3)
    hw=$(col_median "$h" 1) hc=$(col_median "$h" 2) hr=$(col_median "$h" 3)
    echo
    echo "| clean build, median of $RUNS | wall s | CPU s | rustc s |"
    echo "|---|---|---|---|"
    echo "| $N derived structs | $dw | $dc | $dr |"
    echo "| $N hand-written equivalents | $hw | $hc | $hr |"
    echo "| ratio derived / hand-written | $(ratio "$dw" "$hw") | $(ratio "$dc" "$hc") | $(ratio "$dr" "$hr") |"
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
    local fields=$((N * 10)) dl hl
    dl=$(llvm_lines derived)
    hl=$(llvm_lines handwritten)
    echo
    echo "| cargo llvm-lines (dev) | total lines | per field |"
    echo "|---|---|---|"
    echo "| derived | $dl | $((dl / fields)) |"
    echo "| hand-written | $hl | $((hl / fields)) |"
    echo
    echo "largest generic functions in the derived crate (lines, copies):"
    cargo llvm-lines -q --manifest-path "$work/Cargo.toml" -p derived --lib | sed -n '1,14p'
}

main "$@"
