//! Stress tests of the `SyncFlavor`: threads x field kinds x operations, each with an exact
//! final count (a lost update or a torn read fails the test). They run as ordinary tests, under
//! Miri (with small counts: `common::iterations`) and under ThreadSanitizer; the commands are in
//! docs/concurrency.md.
#![cfg(not(loom))]

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread;

use common::iterations;
use sharecell::{lock_all, Atom, Mutex, RwLock, Shared, SyncFlavor};

const THREADS: usize = 4;

/// Operations per thread: 10_000, or 20 under Miri.
fn ops() -> usize {
    iterations(10_000)
}

/// Runs `work(thread_index)` on `THREADS` threads at once and waits for all of them.
fn hammer(work: impl Fn(usize) + std::marker::Sync) {
    thread::scope(|s| {
        for t in 0..THREADS {
            let work = &work;
            s.spawn(move || work(t));
        }
    });
}

fn total() -> u64 {
    (THREADS * ops()) as u64
}

#[test]
fn atom_integer_read_modify_writes_lose_nothing() {
    let added = Atom::<u64, SyncFlavor>::new(0);
    let updated = Atom::<u64, SyncFlavor>::new(0);
    let exchanged = Atom::<u64, SyncFlavor>::new(0);
    let subtracted = Atom::<i64, SyncFlavor>::new(total() as i64);
    let max = Atom::<usize, SyncFlavor>::new(0);
    let min = Atom::<usize, SyncFlavor>::new(usize::MAX);
    let bits = Atom::<u32, SyncFlavor>::new(0);
    let flips = Atom::<u8, SyncFlavor>::new(0);
    hammer(|t| {
        for i in 0..ops() {
            added.fetch_add(1);
            updated.update(|n| n + 1);
            let mut current = exchanged.get();
            while let Err(actual) = exchanged.compare_exchange(current, current + 1) {
                current = actual;
            }
            subtracted.fetch_sub(1);
            max.fetch_max(i * THREADS + t);
            min.fetch_min(i * THREADS + t);
            bits.fetch_or(1 << t);
            flips.fetch_xor(0b1010_0101);
        }
    });
    assert_eq!(added.get(), total());
    assert_eq!(updated.get(), total());
    assert_eq!(exchanged.get(), total());
    assert_eq!(subtracted.get(), 0);
    assert_eq!(max.get(), THREADS * ops() - 1);
    assert_eq!(min.get(), 0);
    assert_eq!(bits.get(), (1 << THREADS) - 1);
    assert_eq!(flips.get(), 0, "an even number of xors cancels out");
}

#[test]
fn atom_float_fetch_add_and_sub_lose_nothing() {
    // Whole numbers below 2^24 are exact in f32 (and in f64), so the sums are exact.
    let up = Atom::<f64, SyncFlavor>::new(0.0);
    let down = Atom::<f32, SyncFlavor>::new(total() as f32);
    let updated = Atom::<f64, SyncFlavor>::new(0.5);
    hammer(|_| {
        for _ in 0..ops() {
            up.fetch_add(1.0);
            down.fetch_sub(1.0);
            updated.update(|x| x + 2.0);
        }
    });
    assert_eq!(up.get(), total() as f64);
    assert_eq!(down.get(), 0.0);
    assert_eq!(updated.get(), 0.5 + 2.0 * total() as f64);
}

#[test]
fn atom_bool_and_char_swaps_are_exact() {
    let flag = Atom::<bool, SyncFlavor>::new(false);
    let was_true = AtomicUsize::new(0);
    let letter = Atom::<char, SyncFlavor>::new('a');
    let swaps = AtomicUsize::new(0);
    hammer(|_| {
        for _ in 0..ops() {
            if flag.fetch_not() {
                was_true.fetch_add(1, Ordering::Relaxed);
            }
            // Every replace hands back a letter some thread stored: only 'a' and 'b' exist.
            let previous = letter.replace(if letter.get() == 'a' { 'b' } else { 'a' });
            assert!(matches!(previous, 'a' | 'b'), "{previous:?}");
            swaps.fetch_add(1, Ordering::Relaxed);
        }
    });
    // fetch_not returns each value it replaced: exactly half of an even number of flips.
    assert_eq!(was_true.into_inner() as u64, total() / 2);
    assert!(!flag.get());
    assert_eq!(swaps.into_inner() as u64, total());
}

#[test]
fn rwlock_writers_lose_nothing_and_readers_never_see_half_a_write() {
    let pair = RwLock::<(u64, u64), SyncFlavor>::new((0, 0));
    hammer(|t| {
        for _ in 0..ops() {
            match t % 4 {
                0 => {
                    let mut guard = pair.write();
                    guard.0 += 1;
                    guard.1 += 1;
                }
                1 => pair.with_mut(|p| {
                    p.0 += 1;
                    p.1 += 1;
                }),
                2 => loop {
                    if let Ok(mut guard) = pair.try_write() {
                        guard.0 += 1;
                        guard.1 += 1;
                        break;
                    }
                    thread::yield_now();
                },
                _ => {
                    let (a, b) = pair.get_cloned();
                    assert_eq!(a, b, "a reader saw half of a write");
                    assert!(pair.with(|p| p.0 == p.1));
                    if let Ok(guard) = pair.try_read() {
                        assert_eq!(guard.0, guard.1);
                    }
                }
            }
        }
    });
    let writers = THREADS - THREADS / 4;
    let expected = (writers * ops()) as u64;
    assert_eq!(pair.into_inner(), (expected, expected));
}

#[test]
fn mutex_lockers_lose_nothing() {
    let counter = Mutex::<u64, SyncFlavor>::new(0);
    let log = Mutex::<Vec<usize>, SyncFlavor>::new(Vec::new());
    hammer(|t| {
        for _ in 0..ops() {
            match t % 3 {
                0 => *counter.lock() += 1,
                1 => counter.with_mut(|c| *c += 1),
                _ => loop {
                    if let Ok(mut guard) = counter.try_lock() {
                        *guard += 1;
                        break;
                    }
                    thread::yield_now();
                },
            }
        }
        log.lock().push(t);
    });
    assert_eq!(counter.get_cloned(), total());
    let mut log = log.into_inner();
    log.sort_unstable();
    assert_eq!(log, (0..THREADS).collect::<Vec<_>>());
}

#[derive(Shared)]
struct Stats {
    hits: u64,
    ratio: f64,
    name: String,
    #[shared(mutex)]
    seen: Vec<u32>,
    #[shared(padded)]
    misses: u64,
    #[shared(readonly)]
    id: u32,
}

#[test]
fn handle_clones_on_many_threads_lose_nothing() {
    let stats = StatsHandle::new_sync(Stats {
        hits: 0,
        ratio: 0.0,
        name: String::new(),
        seen: Vec::new(),
        misses: 0,
        id: 9,
    });
    thread::scope(|s| {
        for t in 0..THREADS {
            let stats = stats.clone();
            s.spawn(move || {
                for i in 0..ops() {
                    stats.hits().fetch_add(1);
                    stats.ratio().fetch_add(0.5);
                    stats.misses().update(|m| m + 2);
                    if i % 100 == 0 {
                        stats.name().with_mut(|n| n.push('x'));
                        stats.seen().lock().push(t as u32);
                    }
                    assert_eq!(*stats.id(), 9);
                }
            });
        }
    });
    assert_eq!(
        StatsHandle::strong_count(&stats),
        1,
        "every clone was dropped"
    );
    let data = StatsHandle::into_inner(stats).expect("the last handle");
    let pushes = THREADS * ops().div_ceil(100);
    assert_eq!(data.hits, total());
    assert_eq!(data.ratio, 0.5 * total() as f64);
    assert_eq!(data.misses, 2 * total());
    assert_eq!(data.name.len(), pushes);
    assert_eq!(data.seen.len(), pushes);
}

#[derive(Shared)]
struct Ledger {
    #[shared(rwlock)]
    debit: u64,
    #[shared(rwlock)]
    credit: u64,
    #[shared(mutex)]
    entries: u64,
}

/// Writers change every lock field under one `lock_all` (textually in an order unlike memory's
/// and declaration's), readers `snapshot`: a snapshot must never see the fields disagree, and
/// nobody deadlocks, because both take the locks in the crate's one lock order.
#[test]
fn snapshot_is_consistent_against_concurrent_writers() {
    let ledger = LedgerHandle::new_sync(Ledger {
        debit: 0,
        credit: 0,
        entries: 0,
    });
    hammer(|t| {
        for _ in 0..ops() {
            if t % 2 == 0 {
                let (mut entries, mut debit, mut credit) = lock_all((
                    ledger.entries().for_lock(),
                    ledger.debit().for_write(),
                    ledger.credit().for_write(),
                ));
                *debit += 1;
                *credit += 1;
                *entries += 1;
            } else {
                let copy = LedgerHandle::snapshot(&ledger);
                assert_eq!(copy.debit, copy.credit);
                assert_eq!(copy.credit, copy.entries);
            }
        }
    });
    let writers = (THREADS.div_ceil(2) * ops()) as u64;
    let copy = LedgerHandle::snapshot(&ledger);
    assert_eq!(
        (copy.debit, copy.credit, copy.entries),
        (writers, writers, writers)
    );
}

/// Counts drops, so a value dropped twice or never is seen.
struct DropCounter(Arc<AtomicUsize>);

impl Drop for DropCounter {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }
}

#[derive(Shared)]
struct Node {
    value: u64,
    #[shared(readonly)]
    counter: DropCounter,
}

/// `upgrade` racing the drop of the last handle: it gets a working handle or `None`, and the
/// data is dropped exactly once either way.
#[test]
fn weak_upgrade_racing_the_last_drop() {
    let rounds = iterations(500);
    let drops = Arc::new(AtomicUsize::new(0));
    let upgraded = AtomicUsize::new(0);
    for round in 0..rounds {
        let node = NodeHandle::new_sync(Node {
            value: round as u64,
            counter: DropCounter(Arc::clone(&drops)),
        });
        let weak = NodeHandle::downgrade(&node);
        thread::scope(|s| {
            s.spawn(move || drop(node));
            s.spawn(|| {
                if let Some(node) = weak.upgrade() {
                    assert_eq!(node.value().fetch_add(1), round as u64);
                    upgraded.fetch_add(1, Ordering::Relaxed);
                }
            });
        });
        assert!(weak.upgrade().is_none(), "every handle is gone");
        assert_eq!(weak.strong_count(), 0);
        assert_eq!(
            drops.load(Ordering::Relaxed),
            round + 1,
            "dropped exactly once"
        );
    }
    assert!(upgraded.into_inner() <= rounds);
}

/// Several threads call `into_inner` on clones of one handle: exactly one gets the data.
#[test]
fn into_inner_hands_the_data_to_exactly_one_thread() {
    let drops = Arc::new(AtomicUsize::new(0));
    for round in 0..iterations(300) {
        let node = NodeHandle::new_sync(Node {
            value: round as u64,
            counter: DropCounter(Arc::clone(&drops)),
        });
        let got = AtomicUsize::new(0);
        let mut handles: Vec<_> = (1..THREADS).map(|_| node.clone()).collect();
        handles.push(node);
        thread::scope(|s| {
            for node in handles {
                let got = &got;
                s.spawn(move || {
                    if let Some(data) = NodeHandle::into_inner(node) {
                        assert_eq!(data.value, round as u64);
                        got.fetch_add(1, Ordering::Relaxed);
                    }
                });
            }
        });
        assert_eq!(got.into_inner(), 1);
        assert_eq!(drops.load(Ordering::Relaxed), round + 1);
    }
}
