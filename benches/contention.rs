//! Two threads, each updating its own field of one shared struct: per-field storage (adjacent
//! or `#[shared(padded)]`) against the one lock around the whole struct that people write by
//! hand. Reported time: wall time per round, where one round is one update by each thread (so a
//! perfect two-core speed-up shows the single-thread cost). Results: BENCHMARKS.md.

use std::hint::black_box;
use std::sync::{Arc, Barrier, Mutex as StdMutex, RwLock as StdRwLock};
use std::thread;
use std::time::{Duration, Instant};

use criterion::measurement::WallTime;
use criterion::{criterion_group, criterion_main, BenchmarkGroup, Criterion};
use sharecell::Shared;

#[path = "support.rs"]
mod support;

/// Two atoms, side by side on one cache line.
#[derive(Shared, Default)]
struct Atoms {
    a: u64,
    b: u64,
}

/// Two atoms, each on a cache line of its own.
#[derive(Shared, Default)]
#[shared(padded)]
struct PaddedAtoms {
    a: u64,
    b: u64,
}

/// Two per-field mutexes, side by side.
#[derive(Shared, Default)]
struct Mutexes {
    #[shared(mutex)]
    a: u64,
    #[shared(mutex)]
    b: u64,
}

/// Two per-field mutexes, each on a cache line of its own.
#[derive(Shared, Default)]
#[shared(padded)]
struct PaddedMutexes {
    #[shared(mutex)]
    a: u64,
    #[shared(mutex)]
    b: u64,
}

/// Read-mostly data: the same table as a `swap` field and as an `RwLock` field.
#[derive(Shared)]
struct Routing {
    #[shared(swap)]
    swapped: Vec<u32>,
    #[shared(rwlock, padded)]
    locked: Vec<u32>,
}

fn routing() -> RoutingHandle<sharecell::SyncFlavor> {
    let table: Vec<u32> = (0..16).collect();
    RoutingHandle::new_sync(Routing {
        swapped: table.clone(),
        locked: table,
    })
}

/// The plain struct behind a whole-struct lock.
#[derive(Default)]
struct Plain {
    a: u64,
    b: u64,
}

/// How often a disturbed run is repeated before its least disturbed attempt is kept.
const ATTEMPTS: usize = 5;

/// Nanoseconds this thread has spent runnable but waiting for a CPU (Linux schedstat; 0 where
/// unavailable). Other processes on the machine show up here, not in our code.
fn run_queue_wait() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1)?.parse().ok())
        .unwrap_or(0)
}

/// One thread's share of a run.
struct Run {
    start: Instant,
    end: Instant,
    waited: u64,
}

fn timed(barrier: &Barrier, iters: u64, op: impl Fn()) -> Run {
    let before = run_queue_wait();
    barrier.wait();
    let start = Instant::now();
    for _ in 0..iters {
        op();
    }
    let end = Instant::now();
    let waited = run_queue_wait() - before;
    Run { start, end, waited }
}

/// Runs `first` and `second` `iters` times each, on two threads released together by a
/// barrier. Returns the time from the first thread's start to the last thread's end (thread
/// start-up is outside it) and the longer time either thread waited for a CPU meanwhile.
fn two_threads(iters: u64, first: impl Fn() + Sync, second: impl Fn() + Sync) -> (Duration, u64) {
    let barrier = Barrier::new(2);
    let (a, b) = thread::scope(|s| {
        let a = s.spawn(|| timed(&barrier, iters, &first));
        let b = s.spawn(|| timed(&barrier, iters, &second));
        (a.join().unwrap(), b.join().unwrap())
    });
    (
        a.end.max(b.end) - a.start.min(b.start),
        a.waited.max(b.waited),
    )
}

/// The question is what two threads cost each other when each has a core, so a run in which
/// another process took a core from one of them (it waited for a CPU for more than 1% of the
/// run) is repeated, up to `ATTEMPTS` times; the least disturbed attempt is kept. Returns the
/// time and whether it is still disturbed.
fn measure(iters: u64, first: impl Fn() + Sync, second: impl Fn() + Sync) -> (Duration, bool) {
    let mut best = (u64::MAX, Duration::ZERO);
    for _ in 0..ATTEMPTS {
        let (wall, waited) = two_threads(iters, &first, &second);
        if u128::from(waited) * 100 <= wall.as_nanos() {
            return (wall, false);
        }
        best = best.min((waited, wall));
    }
    (best.1, true)
}

/// One benchmark of the two-thread group; says how many samples stayed disturbed.
fn bench_two(
    group: &mut BenchmarkGroup<'_, WallTime>,
    name: &str,
    first: impl Fn() + Sync,
    second: impl Fn() + Sync,
) {
    let (mut samples, mut disturbed) = (0, 0);
    group.bench_function(name, |b| {
        b.iter_custom(|iters| {
            let (time, still_disturbed) = measure(iters, &first, &second);
            samples += 1;
            disturbed += usize::from(still_disturbed);
            time
        });
    });
    eprintln!("two_threads/{name}: {disturbed} of {samples} runs lost >1% to other processes");
}

fn disjoint_fields(c: &mut Criterion) {
    let mut group = c.benchmark_group("two_threads");
    let atoms = AtomsHandle::new_sync(Atoms::default());
    bench_two(
        &mut group,
        "atoms/adjacent",
        || {
            black_box(&atoms).a().fetch_add(1);
        },
        || {
            black_box(&atoms).b().fetch_add(1);
        },
    );
    let padded = PaddedAtomsHandle::new_sync(PaddedAtoms::default());
    bench_two(
        &mut group,
        "atoms/padded",
        || {
            black_box(&padded).a().fetch_add(1);
        },
        || {
            black_box(&padded).b().fetch_add(1);
        },
    );
    let mutexes = MutexesHandle::new_sync(Mutexes::default());
    bench_two(
        &mut group,
        "mutexes/adjacent",
        || *black_box(&mutexes).a().lock() += 1,
        || *black_box(&mutexes).b().lock() += 1,
    );
    let padded = PaddedMutexesHandle::new_sync(PaddedMutexes::default());
    bench_two(
        &mut group,
        "mutexes/padded",
        || *black_box(&padded).a().lock() += 1,
        || *black_box(&padded).b().lock() += 1,
    );
    whole_struct(&mut group);
    group.finish();
}

/// The hand-written baseline: one lock around the whole struct.
fn whole_struct(group: &mut BenchmarkGroup<'_, WallTime>) {
    let std_mutex = Arc::new(StdMutex::new(Plain::default()));
    bench_two(
        group,
        "whole/std_mutex",
        || black_box(&std_mutex).lock().unwrap().a += 1,
        || black_box(&std_mutex).lock().unwrap().b += 1,
    );
    let std_rwlock = Arc::new(StdRwLock::new(Plain::default()));
    bench_two(
        group,
        "whole/std_rwlock",
        || black_box(&std_rwlock).write().unwrap().a += 1,
        || black_box(&std_rwlock).write().unwrap().b += 1,
    );
    let parking = Arc::new(parking_lot::Mutex::new(Plain::default()));
    bench_two(
        group,
        "whole/parking_lot_mutex",
        || black_box(&parking).lock().a += 1,
        || black_box(&parking).lock().b += 1,
    );
}

/// Two threads reading one read-mostly field at once: a `swap` read writes nothing that the
/// other reader reads, an `RwLock` read writes the lock's reader count. One round is one read
/// by each thread, so a perfect two-core speed-up shows the one-thread cost (`one_thread/read`).
fn read_mostly(c: &mut Criterion) {
    let mut group = c.benchmark_group("two_threads");
    let table = routing();
    let read_swap = || {
        black_box(black_box(&table).swapped().load()[3]);
    };
    let read_rwlock = || {
        black_box(black_box(&table).locked().read()[3]);
    };
    bench_two(&mut group, "read/swap", read_swap, read_swap);
    bench_two(&mut group, "read/rwlock", read_rwlock, read_rwlock);
    group.finish();
    let mut group = c.benchmark_group("one_thread");
    group.bench_function("read/swap", |b| b.iter(read_swap));
    group.bench_function("read/rwlock", |b| b.iter(read_rwlock));
    group.finish();
}

/// The same updates on one thread: the cost with no other thread at all.
fn one_thread(c: &mut Criterion) {
    let mut group = c.benchmark_group("one_thread");
    let padded = PaddedAtomsHandle::new_sync(PaddedAtoms::default());
    group.bench_function("atoms/padded", |b| {
        b.iter(|| black_box(&padded).a().fetch_add(1))
    });
    let padded = PaddedMutexesHandle::new_sync(PaddedMutexes::default());
    group.bench_function("mutexes/padded", |b| {
        b.iter(|| *black_box(&padded).a().lock() += 1)
    });
    let std_mutex = Arc::new(StdMutex::new(Plain::default()));
    group.bench_function("whole/std_mutex", |b| {
        b.iter(|| black_box(&std_mutex).lock().unwrap().a += 1);
    });
    let parking = Arc::new(parking_lot::Mutex::new(Plain::default()));
    group.bench_function("whole/parking_lot_mutex", |b| {
        b.iter(|| black_box(&parking).lock().a += 1);
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = support::config();
    targets = disjoint_fields, one_thread, read_mostly
}
criterion_main!(benches);
