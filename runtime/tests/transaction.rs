//! `transaction`, in both flavours: locks in any order, handles kept while walking, the rule
//! (no lock after a change, in every build), the same field twice, restarts (`SyncFlavor`)
//! when a lock out of the order is busy, and threads that take the same locks in opposite
//! orders, or against `lock_all` and `snapshot`, without deadlocking.
#![cfg(not(loom))]

#[macro_use]
mod common;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Barrier;
use std::thread;

use common::{at, iterations, panic_message, panic_message_and_place};
use sharecell::{
    lock_all, transaction, Flavor, LocalFlavor, Mutex, MutexGuard, Restart, RwLock, Shared,
    SyncFlavor, Transaction, TxGuard,
};

#[derive(Shared)]
struct Account {
    #[shared(mutex)]
    balance: i64,
    #[shared(rwlock)]
    owner: String,
}

for_both_flavors!(
    any_order_gives_every_guard,
    kept_handles_live_for_the_attempt,
    locking_after_a_change_panics_at_the_callers_line,
    reading_through_a_write_guard_is_not_a_change,
    a_dropped_guard_still_counts_after_a_change,
    the_same_field_read_twice_is_fine,
    the_same_field_written_twice_panics_naming_both_places,
    the_body_runs_once_without_contention,
    a_dropped_guard_frees_its_field,
    many_locks_keep_their_order_and_places,
);

fn account<F: Flavor>(balance: i64, owner: &str) -> AccountHandle<F> {
    AccountHandle::from(Account {
        balance,
        owner: owner.to_owned(),
    })
}

fn any_order_gives_every_guard<F: Flavor>() {
    let a = account::<F>(10, "ada");
    let b = account::<F>(5, "bob");
    // Both textual orders, whichever field comes first in memory.
    for flip in [false, true] {
        let (x, y) = if flip { (&b, &a) } else { (&a, &b) };
        let total = transaction(|tx| {
            let name = tx.read(x.owner())?;
            let mut from = tx.lock(x.balance())?;
            let mut to = tx.lock(y.balance())?;
            let other = tx.write(y.owner())?;
            assert!(!name.is_empty() && !other.is_empty());
            *from -= 1;
            *to += 1;
            Ok(*from + *to)
        });
        assert_eq!(total, 15);
    }
    assert_eq!(a.balance().get_cloned() + b.balance().get_cloned(), 15);
    // Every guard is gone with the transaction.
    assert!(a.balance().try_lock().is_ok() && b.owner().try_write().is_ok());
}

#[derive(Shared)]
#[shared(flavor = F)]
struct Node<F: Flavor> {
    #[shared(rwlock)]
    parent: Option<NodeHandle<F>>,
    #[shared(rwlock)]
    depth_seen: usize,
}

fn kept_handles_live_for_the_attempt<F: Flavor>() {
    let root = NodeHandle::<F>::from(Node {
        parent: None,
        depth_seen: 0,
    });
    let mid = NodeHandle::from(Node {
        parent: Some(root.clone()),
        depth_seen: 0,
    });
    let leaf = NodeHandle::from(Node {
        parent: Some(mid.clone()),
        depth_seen: 0,
    });
    drop(mid);
    // Walk up from the leaf, holding every parent link, then write the depth at the root.
    let depth = transaction(|tx| {
        let mut node = &leaf;
        let mut depth = 0;
        loop {
            let parent = tx.read(node.parent())?.clone();
            let Some(parent) = parent else { break };
            node = tx.keep(parent);
            depth += 1;
        }
        let mut seen = tx.write(node.depth_seen())?;
        *seen = depth;
        Ok(depth)
    });
    assert_eq!(depth, 2);
    assert_eq!(root.depth_seen().get_cloned(), 2);
    // The kept handles were dropped with the attempt: only `leaf`'s link keeps `mid` alive.
    let mid = leaf.parent().get_cloned().expect("a parent");
    assert_eq!(NodeHandle::strong_count(&mid), 2);
}

fn locking_after_a_change_panics_at_the_callers_line<F: Flavor>() {
    let a = account::<F>(1, "ada");
    let b = account::<F>(2, "bob");
    let change_line = line!() + 5;
    let lock_line = line!() + 5;
    let (message, place) = panic_message_and_place(|| {
        transaction(|tx| {
            let mut from = tx.lock(a.balance())?;
            *from -= 1;
            let _to = tx.lock(b.balance())?;
            Ok(())
        })
    });
    assert!(
        message.contains("a lock was taken after a change"),
        "{message}"
    );
    assert!(
        message.contains(&at(change_line)),
        "names the change: {message}"
    );
    assert!(
        message.contains(&at(lock_line)),
        "names the lock: {message}"
    );
    assert_eq!(place, at(lock_line), "panics at the caller's line");
    // Nothing stays locked after the panic, and the change that was made is there.
    assert_eq!(a.balance().get_cloned(), 0);
    assert!(b.balance().try_lock().is_ok());
}

fn reading_through_a_write_guard_is_not_a_change<F: Flavor>() {
    let a = account::<F>(1, "ada");
    let b = account::<F>(2, "bob");
    let sum = transaction(|tx| {
        let from = tx.lock(a.balance())?;
        let seen = *from;
        let to = tx.lock(b.balance())?;
        Ok(seen + *to)
    });
    assert_eq!(sum, 3);
}

fn a_dropped_guard_still_counts_after_a_change<F: Flavor>() {
    let a = account::<F>(1, "ada");
    let b = account::<F>(2, "bob");
    let message = panic_message(|| {
        transaction(|tx| {
            {
                let mut from = tx.lock(a.balance())?;
                *from += 1;
            }
            let _to = tx.lock(b.balance())?;
            Ok(())
        })
    });
    assert!(
        message.contains("a lock was taken after a change"),
        "{message}"
    );
}

fn the_same_field_read_twice_is_fine<F: Flavor>() {
    let a = account::<F>(1, "ada");
    let len = transaction(|tx| {
        let first = tx.read(a.owner())?;
        let second = tx.read(a.owner())?;
        Ok(first.len() + second.len())
    });
    assert_eq!(len, 6);
}

fn the_same_field_written_twice_panics_naming_both_places<F: Flavor>() {
    let a = account::<F>(1, "ada");
    let first_line = line!() + 3;
    let message = panic_message(|| {
        transaction(|tx| {
            let _first = tx.write(a.owner())?;
            let _second = tx.read(a.owner())?;
            Ok(())
        })
    });
    assert!(message.contains("cannot read"), "{message}");
    if F::NAME == "Sync" || cfg!(debug_assertions) {
        assert!(
            message.contains(&at(first_line)),
            "names the first guard: {message}"
        );
    }
    assert!(a.owner().try_write().is_ok(), "nothing stays locked");
}

#[test]
fn a_transaction_inside_a_transaction_panics() {
    let a = account::<SyncFlavor>(1, "ada");
    let message = panic_message(|| {
        transaction(|tx| {
            let _held = tx.lock(a.balance())?;
            Ok(transaction(|tx| Ok(tx.read(a.owner())?.len())))
        })
    });
    assert!(
        message.contains("inside another transaction's body"),
        "{message}"
    );
    // The thread can run transactions again afterwards.
    assert_eq!(transaction(|tx| Ok(*tx.lock(a.balance())?)), 1);
}

fn the_body_runs_once_without_contention<F: Flavor>() {
    let a = account::<F>(1, "ada");
    let b = account::<F>(2, "bob");
    let mut runs = 0;
    transaction(|tx| {
        runs += 1;
        assert_eq!(tx.attempt(), runs);
        let _b = tx.lock(b.balance())?;
        let _a = tx.lock(a.balance())?;
        Ok(())
    });
    assert_eq!(runs, 1);
}

/// The two fields of `pair`, the one earlier in the lock order (memory) first.
fn in_memory_order<'a, T>(
    x: &'a Mutex<T, SyncFlavor>,
    y: &'a Mutex<T, SyncFlavor>,
) -> [&'a Mutex<T, SyncFlavor>; 2] {
    if (x as *const Mutex<T, SyncFlavor>) < (y as *const Mutex<T, SyncFlavor>) {
        [x, y]
    } else {
        [y, x]
    }
}

/// One thread: a transaction inside another's body cannot deadlock, so it runs.
#[test]
fn local_transactions_nest() {
    let a = account::<LocalFlavor>(1, "ada");
    let len = transaction(|tx| {
        let _held = tx.lock(a.balance())?;
        Ok(transaction(|tx| Ok(tx.read(a.owner())?.len())))
    });
    assert_eq!(len, 3);
}

/// Runs `body` while another thread holds `low`, which it lets go once `body` has found it
/// busy (through [`lock_noting_busy`]): one attempt of a transaction in `body` that takes `low`
/// after a later lock restarts.
fn with_low_held<R>(low: &Mutex<i64, SyncFlavor>, body: impl FnOnce(&AtomicBool) -> R) -> R {
    let held = Barrier::new(2);
    let tried = AtomicBool::new(false);
    thread::scope(|s| {
        s.spawn(|| {
            let guard = low.lock();
            held.wait();
            // Keep the low lock until the transaction has found it busy at least once.
            while !tried.load(Ordering::Acquire) {
                thread::yield_now();
            }
            drop(guard);
        });
        held.wait();
        body(&tried)
    })
}

/// `tx.lock(lock)`, setting `tried` when the lock was busy.
fn lock_noting_busy<'a>(
    tx: &'a Transaction,
    lock: &'a Mutex<i64, SyncFlavor>,
    tried: &AtomicBool,
) -> Result<TxGuard<'a, MutexGuard<'a, i64, SyncFlavor>>, Restart> {
    let guard = tx.lock(lock);
    if guard.is_err() {
        tried.store(true, Ordering::Release);
    }
    guard
}

#[test]
fn a_busy_lock_out_of_order_restarts_the_attempt() {
    let a = account::<SyncFlavor>(1, "ada");
    let b = account::<SyncFlavor>(2, "bob");
    let [low, high] = in_memory_order(a.balance(), b.balance());
    let attempts = with_low_held(low, |tried| {
        transaction(|tx| {
            let _high = tx.lock(high)?;
            let _low = lock_noting_busy(tx, low, tried)?;
            Ok(tx.attempt())
        })
    });
    assert!(attempts >= 2, "the first attempt found the low lock busy");
}

#[test]
fn opposite_orders_on_two_threads_never_deadlock() {
    let a = account::<SyncFlavor>(100, "ada");
    let b = account::<SyncFlavor>(100, "bob");
    let rounds = iterations(2_000);
    thread::scope(|s| {
        for (x, y) in [(&a, &b), (&b, &a)] {
            s.spawn(move || {
                for _ in 0..rounds {
                    transaction(|tx| {
                        let _xo = tx.read(x.owner())?;
                        let mut from = tx.lock(x.balance())?;
                        let mut to = tx.lock(y.balance())?;
                        let _yo = tx.read(y.owner())?;
                        *from -= 1;
                        *to += 1;
                        Ok(())
                    });
                }
            });
        }
        // Against lock_all and snapshot, which follow the same order.
        s.spawn(|| {
            for _ in 0..rounds {
                let (x, y) = lock_all((a.balance().for_lock(), b.balance().for_lock()));
                assert_eq!(*x + *y, 200);
                drop((x, y));
                let _ = AccountHandle::snapshot(&b);
            }
        });
    });
    assert_eq!(a.balance().get_cloned() + b.balance().get_cloned(), 200);
}

#[test]
#[cfg(debug_assertions)]
fn a_guard_held_outside_the_transaction_is_reported() {
    let a = account::<SyncFlavor>(1, "ada");
    let b = account::<SyncFlavor>(2, "bob");
    let [low, high] = in_memory_order(a.balance(), b.balance());
    let outside = low.lock();
    let message = panic_message(|| {
        transaction(|tx| {
            let _high = tx.lock(high)?;
            let _low = tx.lock(low)?;
            Ok(())
        })
    });
    assert!(message.contains("outside"), "{message}");
    drop(outside);
}

#[test]
fn rwlock_fields_restart_too() {
    let x = RwLock::<u32, SyncFlavor>::new(0);
    let y = RwLock::<u32, SyncFlavor>::new(0);
    let rounds = iterations(1_000);
    thread::scope(|s| {
        for flip in [false, true] {
            let (p, q) = if flip { (&y, &x) } else { (&x, &y) };
            s.spawn(move || {
                for _ in 0..rounds {
                    transaction(|tx| {
                        let mut p = tx.write(p)?;
                        let mut q = tx.write(q)?;
                        *p += 1;
                        *q += 1;
                        Ok(())
                    });
                }
            });
        }
    });
    assert_eq!(
        (x.get_cloned(), y.get_cloned()),
        (2 * rounds as u32, 2 * rounds as u32)
    );
}

fn a_dropped_guard_frees_its_field<F: Flavor>() {
    // The first four locks of an attempt are kept in place, the rest on the heap; the first 64
    // of those once were the only ones marked released when their guard dropped. Every field
    // here is taken again after its guard is gone, well past both limits.
    let accounts: Vec<AccountHandle<F>> = (0..70).map(|i| account::<F>(i, "ada")).collect();
    let total = transaction(|tx| {
        let mut total = 0;
        for a in &accounts {
            let name = tx.write(a.owner())?;
            total += name.len();
            drop(name);
            // The guard is gone: the same field again, for writing, is a new guard.
            total += tx.write(a.owner())?.len();
        }
        Ok(total)
    });
    assert_eq!(total, 70 * 6);
}

fn many_locks_keep_their_order_and_places<F: Flavor>() {
    // More locks than the transaction keeps in place, taken against the order of memory half
    // of the time: every guard is given, reads of one field twice are fine, and a conflict on
    // a field taken long before names where it was taken.
    let accounts: Vec<AccountHandle<F>> = (0..12).map(|i| account::<F>(i, "ada")).collect();
    let sum = transaction(|tx| {
        let mut guards = Vec::new();
        for a in accounts.iter().rev() {
            guards.push(tx.lock(a.balance())?);
        }
        let names = accounts
            .iter()
            .map(|a| tx.read(a.owner()))
            .collect::<Result<Vec<_>, _>>()?;
        let again = tx.read(accounts[9].owner())?;
        assert_eq!((names.len(), again.as_str()), (12, "ada"));
        Ok(guards.iter().map(|g| **g).sum::<i64>())
    });
    assert_eq!(sum, (0..12).sum::<i64>());

    let first_line = line!() + 7;
    let message = panic_message(|| {
        transaction(|tx| {
            let mut guards = Vec::new();
            for a in &accounts[..7] {
                guards.push(tx.read(a.owner())?);
            }
            let spilled = tx.read(accounts[7].owner())?;
            for a in &accounts[8..] {
                guards.push(tx.read(a.owner())?);
            }
            let _conflict = tx.write(accounts[7].owner())?;
            drop(spilled);
            Ok(())
        })
    });
    assert!(message.contains("cannot write"), "{message}");
    if F::NAME == "Sync" {
        // The transaction's own message, not a guard found in the way by other means.
        assert!(
            message.contains("this transaction holds a read guard on this field"),
            "{message}"
        );
    }
    if F::NAME == "Sync" || cfg!(debug_assertions) {
        assert!(
            message.contains(&at(first_line)),
            "names the first guard: {message}"
        );
    }
    assert!(accounts.iter().all(|a| a.owner().try_write().is_ok()));
}

#[test]
fn a_restart_forgets_what_the_attempt_took_and_kept() {
    // Six locks (more than are kept in place) and a kept handle, then a busy lock out of
    // order: the next attempt gets every lock again, and the handle kept by the failed
    // attempt went with it.
    let others: Vec<AccountHandle<SyncFlavor>> =
        (0..6).map(|i| account::<SyncFlavor>(i, "eve")).collect();
    let a = account::<SyncFlavor>(1, "ada");
    let b = account::<SyncFlavor>(2, "bob");
    let [low, high] = in_memory_order(a.balance(), b.balance());
    let (attempts, kept, sum) = with_low_held(low, |tried| {
        transaction(|tx| {
            let kept = tx.keep(others[0].clone());
            let mut sum = 0;
            for o in &others {
                sum += i64::from(*tx.read(o.owner())? == "eve");
                sum += *tx.lock(o.balance())?;
            }
            let _high = tx.lock(high)?;
            let _low = lock_noting_busy(tx, low, tried)?;
            Ok((tx.attempt(), AccountHandle::strong_count(kept), sum))
        })
    });
    assert!(attempts >= 2, "the first attempt found the low lock busy");
    // The handle kept by the failed attempts went with them.
    assert_eq!(kept, 2);
    assert_eq!(sum, 6 + (0..6).sum::<i64>());
}
