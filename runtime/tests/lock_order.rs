//! Debug-build lock-order checking (`SyncFlavor`): two locks taken in opposite orders anywhere in
//! the program panic where the second order is taken, before blocking, naming both places, even
//! when the two orders never meet in this run. Tries record no order; consistent orders, locks
//! made anew at old addresses, `lock_all`, `snapshot` and transactions never panic.
#![cfg(all(debug_assertions, not(loom)))]

mod common;

use std::thread;

use common::{at, iterations, panic_message, panic_message_and_place};
use sharecell::{lock_all, transaction, Mutex, RwLock, Shared, SyncFlavor};

type Lock = Mutex<u32, SyncFlavor>;

#[test]
fn opposite_orders_on_one_thread_panic_naming_both_places() {
    let (a, b) = (Lock::new(1), Lock::new(2));
    let (a_first, b_then) = (line!() + 2, line!() + 3);
    {
        let _a = a.lock();
        let _b = b.lock();
    }
    let b_held = line!() + 2;
    let (message, place) = panic_message_and_place(|| {
        let _b = b.lock();
        let _a = a.lock();
    });
    assert!(message.contains("lock-order inversion"), "{message}");
    assert!(
        message.contains(&at(b_held)),
        "names where the held lock was taken: {message}"
    );
    assert!(
        message.contains(&at(a_first)),
        "names the earlier order: {message}"
    );
    assert!(
        message.contains(&at(b_then)),
        "names the earlier order: {message}"
    );
    assert_eq!(place, at(b_held + 1), "panics at the caller's line");
    // No poisoning, no edge recorded: both locks work, in the first order too.
    let (_a, _b) = (a.lock(), b.lock());
}

#[test]
fn opposite_orders_on_two_threads_that_never_meet_panic() {
    let (a, b) = (Lock::new(1), Lock::new(2));
    thread::scope(|s| {
        s.spawn(|| {
            let _a = a.lock();
            let _b = b.lock();
        })
        .join()
        .expect("the first order is fine");
    });
    let message = thread::scope(|s| {
        s.spawn(|| {
            panic_message(|| {
                let _b = b.lock();
                let _a = a.lock();
            })
        })
        .join()
        .expect("the panic is caught")
    });
    assert!(message.contains("lock-order inversion"), "{message}");
}

#[test]
fn reads_count_like_writes() {
    let (a, b) = (
        RwLock::<u32, SyncFlavor>::new(1),
        RwLock::<u32, SyncFlavor>::new(2),
    );
    {
        let _a = a.read();
        let _b = b.read();
    }
    let message = panic_message(|| {
        let _b = b.read();
        let _a = a.read();
    });
    assert!(
        message.contains("cannot read: lock-order inversion"),
        "{message}"
    );
}

#[derive(Shared)]
struct Pair {
    #[shared(mutex)]
    x: u32,
    #[shared(mutex)]
    y: u32,
}

#[test]
fn nesting_by_hand_against_the_order_of_lock_all_panics() {
    let pair = PairHandle::new_sync(Pair { x: 1, y: 2 });
    let (x, y) = (pair.x(), pair.y());
    drop(lock_all((x.for_lock(), y.for_lock())));
    // By hand, in the order against the addresses (lock_all took the other one).
    let (first, second) = if std::ptr::from_ref(x).addr() < std::ptr::from_ref(y).addr() {
        (y, x)
    } else {
        (x, y)
    };
    let message = panic_message(|| {
        let _first = first.lock();
        let _second = second.lock();
    });
    assert!(message.contains("lock-order inversion"), "{message}");
    // lock_all, snapshot and a transaction in any textual order still never panic.
    drop(lock_all((y.for_lock(), x.for_lock())));
    let _ = PairHandle::snapshot(&pair);
    transaction(|tx| {
        let _y = tx.lock(y)?;
        let _x = tx.lock(x)?;
        Ok(())
    });
}

#[test]
fn tries_record_no_order() {
    let (a, b) = (Lock::new(1), Lock::new(2));
    {
        let _a = a.lock();
        let _b = b.try_lock().expect("free");
    }
    // The opposite order, waiting: no earlier order to contradict.
    let _b = b.lock();
    let _a = a.lock();
}

#[test]
fn one_order_on_four_threads_never_panics() {
    let locks: Vec<Lock> = (0..4).map(Lock::new).collect();
    thread::scope(|s| {
        for t in 0..4 {
            let locks = &locks;
            s.spawn(move || {
                for i in 0..iterations(500) {
                    // Always lower index first, whichever pair.
                    let (p, q) = ((t + i) % 4, (t + i + 1 + i % 3) % 4);
                    let (lo, hi) = (p.min(q), p.max(q));
                    if lo == hi {
                        continue;
                    }
                    let mut first = locks[lo].lock();
                    let mut second = locks[hi].lock();
                    *first += 1;
                    *second += 1;
                }
            });
        }
    });
}

#[test]
fn locks_made_anew_start_with_no_order() {
    for _ in 0..iterations(1_000) {
        let (a, b) = (Lock::new(1), Lock::new(2));
        {
            let _a = a.lock();
            let _b = b.lock();
        }
        drop((a, b));
        // Two new locks, likely at the same two addresses: the opposite order is theirs alone.
        let (a, b) = (Lock::new(1), Lock::new(2));
        let _b = b.lock();
        let _a = a.lock();
    }
}

#[test]
fn longer_cycles_are_found_too() {
    let (a, b, c) = (Lock::new(1), Lock::new(2), Lock::new(3));
    {
        let _a = a.lock();
        let _b = b.lock();
    }
    {
        let _b = b.lock();
        let _c = c.lock();
    }
    let message = panic_message(|| {
        let _c = c.lock();
        let _a = a.lock();
    });
    assert!(message.contains("through 1 other lock"), "{message}");
}

#[test]
fn locks_that_move_start_with_no_order() {
    // lock_all takes locks in the order of their addresses; when cells move (a `Vec` that grows,
    // a swap), that order changes, and no thread can hold a lock while it moves.
    let mut cells: Vec<Lock> = vec![Lock::new(1), Lock::new(2)];
    for round in 0..iterations(100) {
        drop(lock_all((cells[0].for_lock(), cells[1].for_lock())));
        cells.swap(0, 1);
        drop(lock_all((cells[0].for_lock(), cells[1].for_lock())));
        if round % 10 == 0 {
            cells.reserve(cells.capacity() + 1); // likely moves both
        }
    }
}
