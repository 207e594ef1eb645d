//! What the debug-build lock-order check costs. Results and how to read them: BENCHMARKS.md.
//!
//! Run in a debug build, where the check exists (release builds compile none of it):
//!
//! ```text
//! cargo bench -p sharecell-benches --profile dev --bench lock_order
//! ```
//!
//! The process runs itself twice, once as is and once with `SHARECELL_NO_LOCK_ORDER_CHECK=1`
//! (the variable is read once per process), and prints the ratio of the two medians:
//!
//! 1. `lock_order/nested_pair`: one thread takes `a` then `b` (two `SyncFlavor` mutex fields),
//!    over and over: the steady state, where the order is known already.
//! 2. `lock_order/100k_locks`: 100,000 live locks, nested in 50,000 random pairs (lower index
//!    first, so no pair contradicts another); then the same random nestings again. The first
//!    pass inserts the edges (timed once and printed), the measured one finds them known.

use std::hint::black_box;
use std::process::Command;
use std::time::{Duration, Instant};

use criterion::Criterion;
use sharecell::{Mutex, SyncFlavor};

const CHILD: &str = "SHARECELL_LOCK_ORDER_BENCH_CHILD";
const OFF: &str = "SHARECELL_NO_LOCK_ORDER_CHECK";
const LOCKS: usize = 100_000;

type Lock = Mutex<u64, SyncFlavor>;

/// The seeded pairs `(lower, higher)` of lock indices.
fn pairs() -> Vec<(usize, usize)> {
    let mut state = 0x9E37_79B9_7F4A_7C15_u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        usize::try_from(state % LOCKS as u64).unwrap_or(0)
    };
    (0..LOCKS / 2)
        .map(|_| loop {
            let (p, q) = (next(), next());
            if p != q {
                break (p.min(q), p.max(q));
            }
        })
        .collect()
}

fn nest_all(locks: &[Lock], pairs: &[(usize, usize)]) {
    for &(lo, hi) in pairs {
        let mut first = locks[lo].lock();
        let mut second = locks[hi].lock();
        *first += 1;
        *second += 1;
    }
}

/// One measuring process: `label` names its runs ("checked" or "unchecked").
fn measure(label: &str) {
    let mut c = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();

    let (a, b) = (Lock::new(0), Lock::new(0));
    c.benchmark_group("lock_order/nested_pair")
        .bench_function(label, |bench| {
            bench.iter(|| {
                let mut a = black_box(&a).lock();
                let mut b = black_box(&b).lock();
                *a += 1;
                *b += 1;
            })
        });

    let locks: Vec<Lock> = (0..LOCKS).map(|_| Lock::new(0)).collect();
    let pairs = pairs();
    let start = Instant::now();
    nest_all(&locks, &pairs);
    eprintln!(
        "{label}: first pass over {} random pairs of {LOCKS} live locks: {:.1?}",
        pairs.len(),
        start.elapsed()
    );
    let mut group = c.benchmark_group("lock_order/100k_locks");
    group.sample_size(10);
    group.bench_function(label, |bench| bench.iter(|| nest_all(&locks, &pairs)));
    group.finish();
}

/// The median of one run, from criterion's saved estimates (nanoseconds).
fn median(group: &str, label: &str) -> Option<f64> {
    // The target directory: this executable is `<target>/<profile>/deps/<name>`.
    let exe = std::env::current_exe().ok()?;
    let dir = exe.parent()?.parent()?.parent()?;
    // Criterion names a group's directory after the group, `/` spelled `_`.
    let group = group.replace('/', "_");
    let path = dir.join(format!("criterion/{group}/{label}/new/estimates.json"));
    let text = std::fs::read_to_string(path).ok()?;
    let at = text.find("\"median\"")?;
    let rest = &text[at..];
    let start = rest.find("\"point_estimate\":")? + "\"point_estimate\":".len();
    let end = rest[start..].find(',')?;
    rest[start..start + end].trim().parse().ok()
}

fn main() {
    if let Ok(label) = std::env::var(CHILD) {
        measure(&label);
        return;
    }
    if !cfg!(debug_assertions) {
        eprintln!(
            "the lock-order check exists in debug builds only: run with `--profile dev` \
             (see the header of benches/lock_order.rs)"
        );
        return;
    }
    let me = std::env::current_exe().expect("the benchmark's own path");
    let args: Vec<String> = std::env::args().skip(1).collect();
    for (label, off) in [("checked", false), ("unchecked", true)] {
        let mut child = Command::new(&me);
        child.args(&args).env(CHILD, label);
        if off {
            child.env(OFF, "1");
        }
        let status = child.status().expect("the benchmark runs itself");
        assert!(status.success(), "the {label} run failed");
    }
    for group in ["lock_order/nested_pair", "lock_order/100k_locks"] {
        match (median(group, "checked"), median(group, "unchecked")) {
            (Some(on), Some(off)) => println!(
                "{group}: checked {on:.0} ns, unchecked {off:.0} ns: {:.2}x",
                on / off
            ),
            _ => println!("{group}: no estimates found"),
        }
    }
}
