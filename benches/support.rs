//! What every criterion benchmark here shares: the settings, and a group that runs the
//! generated code next to its hand-written twin. Included by each bench with `#[path]`.

// Each bench uses only some of these.
#![allow(dead_code)]

use std::time::Duration;

use criterion::Criterion;

/// Warm-up 1 s, then 2 s of samples per benchmark.
pub fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(2))
}

/// One group per operation: sharecell's (`sharecell`), then its hand-written twin (`std`).
pub fn pair<A, B>(
    c: &mut Criterion,
    name: &str,
    mut ours: impl FnMut() -> A,
    mut hand: impl FnMut() -> B,
) {
    let mut group = c.benchmark_group(name);
    group.bench_function("sharecell", |b| b.iter(&mut ours));
    group.bench_function("std", |b| b.iter(&mut hand));
    group.finish();
}
