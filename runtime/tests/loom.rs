//! loom models of the `SyncFlavor`'s composite operations: every interleaving (and every
//! weak-memory outcome loom knows) of a few threads is explored, so a lost update, a torn
//! snapshot or a deadlock is found however unlikely it is.
//!
//! `RUSTFLAGS="--cfg loom" CARGO_TARGET_DIR=target/loom cargo test -p sharecell-runtime --release`
//!
//! In this build the `SyncFlavor`'s atomics, locks and `Arc` come from loom (runtime/src/
//! backend.rs); the weak pointer is an emulation, see runtime/src/loom_arc.rs. Not modelled:
//! recovery after a panic while a lock is held, because loom's lock mocks wrap std locks and
//! fail on poison; runtime/tests/unwind.rs tests that with the real locks (also under Miri).
#![cfg(loom)]

use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Once;

use loom::sync::Arc;
use loom::thread;
use sharecell::{lock_all, transaction, try_lock_all, Atom, Mutex, RwLock, Shared, SyncFlavor};

/// Two threads run `work(0)` and `work(1)` while the model's own thread runs `work(2)`.
fn three_way(work: impl Fn(usize) + Send + std::marker::Sync + 'static) {
    let work = Arc::new(work);
    let others: Vec<_> = (0..2)
        .map(|i| {
            let work = Arc::clone(&work);
            thread::spawn(move || work(i))
        })
        .collect();
    work(2);
    for other in others {
        other.join().expect("no model thread panics");
    }
}

/// Two threads run `work(0)` and `work(1)`.
fn two_way(work: impl Fn(usize) + Send + std::marker::Sync + 'static) {
    let work = Arc::new(work);
    let other = {
        let work = Arc::clone(&work);
        thread::spawn(move || work(0))
    };
    work(1);
    other.join().expect("no model thread panics");
}

#[test]
fn update_cas_loop_loses_no_update() {
    loom::model(|| {
        let atom = Arc::new(Atom::<u32, SyncFlavor>::new(0));
        let seen = Arc::new(Atom::<u32, SyncFlavor>::new(0));
        let (a, s) = (Arc::clone(&atom), Arc::clone(&seen));
        two_way(move |_| {
            // Each `update` returns the value it replaced: 0 and 1 in some order, never twice.
            let previous = a.update(|n| n * 2 + 1);
            s.fetch_or(1 << previous);
        });
        assert_eq!(atom.get(), 3, "0 -> 1 -> 3: both updates applied");
        assert_eq!(seen.get(), (1 << 0) | (1 << 1));
    });
}

#[test]
fn float_fetch_add_and_fetch_sub_lose_no_update() {
    loom::model(|| {
        let x = Arc::new(Atom::<f64, SyncFlavor>::new(1.0));
        let previous = Arc::new(loom::sync::Mutex::new(Vec::new()));
        let (a, p) = (Arc::clone(&x), Arc::clone(&previous));
        two_way(move |i| {
            let before = if i == 0 {
                a.fetch_add(2.0)
            } else {
                a.fetch_sub(0.5)
            };
            p.lock().unwrap().push((i, before));
        });
        assert_eq!(x.get(), 2.5);
        // The values returned fit one order of the two operations.
        let mut seen = previous.lock().unwrap().clone();
        seen.sort_by_key(|&(i, _)| i);
        let (add_saw, sub_saw) = (seen[0].1, seen[1].1);
        assert!(
            (add_saw, sub_saw) == (1.0, 3.0) || (add_saw, sub_saw) == (0.5, 1.0),
            "{seen:?}"
        );
    });
}

#[test]
fn integer_read_modify_writes_lose_no_update() {
    loom::model(|| {
        let n = Arc::new(Atom::<u64, SyncFlavor>::new(10));
        let bits = Arc::new(Atom::<u8, SyncFlavor>::new(0));
        let (a, b) = (Arc::clone(&n), Arc::clone(&bits));
        two_way(move |i| {
            a.fetch_add(5);
            a.fetch_sub(2);
            b.fetch_or(1 << i);
        });
        assert_eq!(n.get(), 16);
        assert_eq!(bits.get(), 0b11);
    });
}

#[test]
fn compare_exchange_has_exactly_one_winner() {
    loom::model(|| {
        let owner = Arc::new(Atom::<u32, SyncFlavor>::new(0));
        let wins = Arc::new(Atom::<u32, SyncFlavor>::new(0));
        let (o, w) = (Arc::clone(&owner), Arc::clone(&wins));
        two_way(move |i| {
            let me = i as u32 + 1;
            match o.compare_exchange(0, me) {
                Ok(previous) => {
                    assert_eq!(previous, 0);
                    w.fetch_add(1);
                }
                // The loser sees the winner's value, never its own or a stale 0.
                Err(actual) => assert!(actual != 0 && actual != me, "{actual}"),
            }
        });
        assert_eq!(wins.get(), 1);
        assert_ne!(owner.get(), 0);
    });
}

/// Stores are `Release` and loads `Acquire`: whoever sees the flag sees what was written
/// before it was set. (With `Relaxed` orderings loom finds a reader that sees the flag but 0.)
#[test]
fn set_then_get_publishes_earlier_writes() {
    loom::model(|| {
        let data = Arc::new(Atom::<u32, SyncFlavor>::new(0));
        let ready = Arc::new(Atom::<bool, SyncFlavor>::new(false));
        let (d, r) = (Arc::clone(&data), Arc::clone(&ready));
        let writer = thread::spawn(move || {
            d.set(42);
            r.set(true);
        });
        if ready.get() {
            assert_eq!(data.get(), 42, "saw the flag but not the data");
        }
        writer.join().expect("no model thread panics");
    });
}

/// The read-modify-writes are `AcqRel`: they publish like a store and observe like a load.
#[test]
fn read_modify_writes_publish_and_observe() {
    loom::model(|| {
        let data = Arc::new(Atom::<u32, SyncFlavor>::new(0));
        let ready = Arc::new(Atom::<u8, SyncFlavor>::new(0));
        let (d, r) = (Arc::clone(&data), Arc::clone(&ready));
        let writer = thread::spawn(move || {
            d.set(42);
            r.update(|n| n + 1);
        });
        if ready.fetch_add(0) == 1 {
            assert_eq!(data.get(), 42, "saw the update but not the data");
        }
        writer.join().expect("no model thread panics");
    });
}

/// Quiets the panics these models cause on purpose; every other panic still prints.
fn quiet_intended_panics() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            let intended = info
                .payload()
                .downcast_ref::<&str>()
                .is_some_and(|m| m.starts_with("intended:"));
            if !intended {
                previous(info);
            }
        }));
    });
}

/// A closure that panics inside `update` stores nothing, while another thread's update lands.
#[test]
fn panicking_update_stores_nothing() {
    quiet_intended_panics();
    loom::model(|| {
        let atom = Arc::new(Atom::<u32, SyncFlavor>::new(1));
        let a = Arc::clone(&atom);
        two_way(move |i| {
            if i == 0 {
                let result = panic::catch_unwind(AssertUnwindSafe(|| {
                    a.update(|_| panic!("intended: in update"))
                }));
                assert!(result.is_err());
            } else {
                a.update(|n| n + 10);
            }
        });
        assert_eq!(atom.get(), 11);
    });
}

#[test]
fn rwlock_readers_never_see_half_a_write() {
    loom::model(|| {
        let pair = Arc::new(RwLock::<(u32, u32), SyncFlavor>::new((0, 0)));
        let p = Arc::clone(&pair);
        three_way(move |i| match i {
            0 => {
                let mut guard = p.write();
                guard.0 += 1;
                guard.1 += 1;
            }
            1 => p.with_mut(|v| {
                v.0 += 1;
                v.1 += 1;
            }),
            _ => {
                let (a, b) = *p.read();
                assert_eq!(a, b, "a reader saw half of a write");
            }
        });
        assert_eq!(*pair.read(), (2, 2));
    });
}

#[test]
fn mutex_and_try_lock_lose_no_update() {
    loom::model(|| {
        let counter = Arc::new(Mutex::<u32, SyncFlavor>::new(0));
        let refused = Arc::new(Atom::<u32, SyncFlavor>::new(0));
        let (c, r) = (Arc::clone(&counter), Arc::clone(&refused));
        two_way(move |i| {
            if i == 0 {
                *c.lock() += 1;
            } else {
                // `try_lock` never blocks: it either increments or reports the holder.
                match c.try_lock() {
                    Ok(mut guard) => *guard += 1,
                    Err(_) => {
                        r.fetch_add(1);
                    }
                }
            }
        });
        assert_eq!(counter.get_cloned() + refused.get(), 2);
    });
}

#[derive(Shared, Default)]
struct Ledger {
    #[shared(mutex)]
    credit: u32,
    // Its 128-byte alignment puts it first in memory (see `credit_after_debit`).
    #[shared(rwlock, padded)]
    debit: u32,
    entries: u32,
}

/// Whether `ledger`'s `credit` lock lies after its `debit` lock in memory. Declared the other
/// way round, so the models below would deadlock if `snapshot` went in declaration order.
fn credit_after_debit(ledger: &LedgerHandle<SyncFlavor>) -> bool {
    let debit = std::ptr::from_ref(ledger.debit()).addr();
    let credit = std::ptr::from_ref(ledger.credit()).addr();
    credit > debit
}

/// `snapshot` holds every lock field together, in the crate's lock order; a writer that takes
/// the same fields with `lock_all`, in either textual order, can neither deadlock with it nor
/// be seen half done.
#[test]
fn snapshot_against_lock_all_writers_is_consistent_and_never_deadlocks() {
    loom::model(|| {
        let ledger = LedgerHandle::new_sync(Ledger::default());
        let l = ledger.clone();
        two_way(move |i| {
            if i == 0 {
                // Textually in declaration order on purpose: `snapshot` used to take that order.
                let (mut debit, mut credit) =
                    lock_all((l.debit().for_write(), l.credit().for_lock()));
                *debit += 1;
                *credit += 1;
                l.entries().fetch_add(1);
            } else {
                let copy = LedgerHandle::snapshot(&l);
                assert_eq!(copy.debit, copy.credit, "the lock fields agree");
                assert!(copy.entries <= copy.debit, "the atom is written last");
            }
        });
        let copy = LedgerHandle::snapshot(&ledger);
        assert_eq!((copy.debit, copy.credit, copy.entries), (1, 1, 1));
    });
}

/// The layout the snapshot model relies on; if the compiler lays the fields out in
/// declaration order, that model proves less (it still passes) and this test says so.
#[test]
fn the_snapshot_model_uses_a_memory_order_unlike_the_declaration_order() {
    loom::model(|| {
        let ledger = LedgerHandle::new_sync(Ledger::default());
        assert!(credit_after_debit(&ledger));
    });
}

/// Two threads `lock_all` the same two fields in opposite textual orders: mutual exclusion
/// (neither sees the other's update half done) and no deadlock, in every interleaving.
#[test]
fn lock_all_in_opposite_textual_orders_excludes_and_never_deadlocks() {
    loom::model(|| {
        let ledger = LedgerHandle::new_sync(Ledger::default());
        let l = ledger.clone();
        two_way(move |i| {
            if i == 0 {
                let (mut debit, mut credit) =
                    lock_all((l.debit().for_write(), l.credit().for_lock()));
                assert_eq!(*debit, *credit);
                *debit += 1;
                *credit += 1;
            } else {
                let (mut credit, mut debit) =
                    lock_all((l.credit().for_lock(), l.debit().for_write()));
                assert_eq!(*debit, *credit);
                *credit += 1;
                *debit += 1;
            }
        });
        assert_eq!(
            (ledger.debit().get_cloned(), ledger.credit().get_cloned()),
            (2, 2)
        );
    });
}

/// A `try_lock_all` that fails holds nothing: the other thread only ever touches `credit`, so
/// `debit` must be free again right after the failure.
#[test]
fn failed_try_lock_all_holds_nothing() {
    loom::model(|| {
        let ledger = LedgerHandle::new_sync(Ledger::default());
        let l = ledger.clone();
        let holder = thread::spawn(move || *l.credit().lock() += 1);
        match try_lock_all((ledger.debit().for_write(), ledger.credit().for_lock())) {
            Ok((mut debit, credit)) => *debit = *credit,
            Err(error) => {
                assert!(!error.is_duplicate());
                assert!(ledger.debit().try_write().is_ok(), "debit was released");
            }
        }
        holder.join().expect("no model thread panics");
        assert!(ledger.debit().try_write().is_ok());
        assert!(ledger.credit().try_lock().is_ok());
    });
}

/// Counts drops (a std atomic: it is only read after the threads are joined).
struct DropCounter(std::sync::Arc<AtomicUsize>);

impl Drop for DropCounter {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }
}

#[derive(Shared)]
struct Node {
    value: u32,
    #[shared(readonly)]
    counter: DropCounter,
}

fn new_node(drops: &std::sync::Arc<AtomicUsize>) -> NodeHandle<SyncFlavor> {
    NodeHandle::new_sync(Node {
        value: 7,
        counter: DropCounter(std::sync::Arc::clone(drops)),
    })
}

/// `upgrade` racing the drop of the last handle: it gets a working handle or `None`, and the
/// data is dropped exactly once either way.
#[test]
fn weak_upgrade_racing_the_last_strong_drop() {
    loom::model(|| {
        let drops = std::sync::Arc::new(AtomicUsize::new(0));
        let node = new_node(&drops);
        let weak = NodeHandle::downgrade(&node);
        let dropper = thread::spawn(move || drop(node));
        if let Some(node) = weak.upgrade() {
            assert_eq!(node.value().get(), 7);
            assert_eq!(drops.load(Ordering::Relaxed), 0, "alive while upgraded");
        }
        dropper.join().expect("no model thread panics");
        assert!(weak.upgrade().is_none());
        assert_eq!(weak.strong_count(), 0);
        assert_eq!(drops.load(Ordering::Relaxed), 1, "dropped exactly once");
    });
}

/// Two threads call `into_inner` on the two handles: exactly one gets the data.
#[test]
fn into_inner_hands_the_data_to_exactly_one_thread() {
    loom::model(|| {
        let drops = std::sync::Arc::new(AtomicUsize::new(0));
        let node = new_node(&drops);
        let weak = NodeHandle::downgrade(&node);
        let other = node.clone();
        let thread = thread::spawn(move || NodeHandle::into_inner(other).is_some());
        let here = NodeHandle::into_inner(node).is_some();
        let there = thread.join().expect("no model thread panics");
        assert!(here ^ there, "exactly one: here {here}, there {there}");
        assert!(weak.upgrade().is_none());
        assert_eq!(drops.load(Ordering::Relaxed), 1);
    });
}

#[test]
fn counts_follow_clones_and_drops() {
    loom::model(|| {
        let drops = std::sync::Arc::new(AtomicUsize::new(0));
        let node = new_node(&drops);
        let weak = NodeHandle::downgrade(&node);
        let other = node.clone();
        assert_eq!(
            (
                NodeHandle::strong_count(&node),
                NodeHandle::weak_count(&node)
            ),
            (2, 1)
        );
        let thread = thread::spawn(move || drop(other));
        thread.join().expect("no model thread panics");
        assert_eq!(NodeHandle::strong_count(&node), 1);
        assert!(NodeHandle::ptr_eq(&node, &weak.upgrade().expect("alive")));
        let node = NodeHandle::try_unwrap(node)
            .map_err(|_| "the only handle")
            .unwrap();
        assert_eq!(node.value, 7);
        drop(node);
        assert_eq!(drops.load(Ordering::Relaxed), 1);
    });
}

/// A model whose schedules preempt a thread at most three times. A transaction that finds a lock
/// busy restarts, and a scheduler that preempts it at the worst moment every time can make it
/// restart for ever (as it could keep any lock-free retry loop spinning): that is starvation by
/// an adversary, not a deadlock, and real schedulers do not keep it up (the stress tests and
/// `examples/tree.rs` count restarts). Bounding preemptions, as loom's documentation advises for
/// such loops, keeps the exploration finite while still covering every interleaving of the
/// acquisitions that matter.
fn bounded_model(model: impl Fn() + Sync + Send + 'static) {
    let mut builder = loom::model::Builder::new();
    builder.preemption_bound = Some(3);
    builder.check(model);
}

/// Two transactions take the same two fields in opposite orders (one of them therefore out of
/// the lock order, which it may only try): mutual exclusion and no deadlock in every
/// interleaving; the one that finds its out-of-order lock busy restarts.
#[test]
fn transactions_in_opposite_orders_exclude_and_never_deadlock() {
    bounded_model(|| {
        let ledger = LedgerHandle::new_sync(Ledger::default());
        let l = ledger.clone();
        two_way(move |i| {
            transaction(|tx| {
                let (mut debit, mut credit) = if i == 0 {
                    let debit = tx.write(l.debit())?;
                    (debit, tx.lock(l.credit())?)
                } else {
                    let credit = tx.lock(l.credit())?;
                    (tx.write(l.debit())?, credit)
                };
                assert_eq!(*debit, *credit);
                *debit += 1;
                *credit += 1;
                Ok(())
            });
        });
        assert_eq!(
            (ledger.debit().get_cloned(), ledger.credit().get_cloned()),
            (2, 2)
        );
    });
}

/// A transaction against `lock_all` on the same fields, in the opposite textual order: no
/// deadlock, and neither sees the other half done.
#[test]
fn a_transaction_against_lock_all_never_deadlocks() {
    bounded_model(|| {
        let ledger = LedgerHandle::new_sync(Ledger::default());
        let l = ledger.clone();
        two_way(move |i| {
            if i == 0 {
                transaction(|tx| {
                    let mut credit = tx.lock(l.credit())?;
                    let mut debit = tx.write(l.debit())?;
                    assert_eq!(*debit, *credit);
                    *credit += 1;
                    *debit += 1;
                    Ok(())
                });
            } else {
                let (mut debit, mut credit) =
                    lock_all((l.debit().for_write(), l.credit().for_lock()));
                assert_eq!(*debit, *credit);
                *debit += 1;
                *credit += 1;
            }
        });
        assert_eq!(
            (ledger.debit().get_cloned(), ledger.credit().get_cloned()),
            (2, 2)
        );
    });
}
