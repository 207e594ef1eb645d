//! `SHARECELL_NO_REENTRANCY_CHECK=1` turns the debug-build bookkeeping off. The variable is read
//! once per process, so this file is its own test binary with a single test that sets it first.
#![cfg(all(debug_assertions, not(loom)))]

mod common;

use std::thread;

use common::{at, panic_message};
use sharecell::{LocalFlavor, Mutex, RwLock, SyncFlavor};

#[test]
fn switched_off_by_the_environment_variable() {
    // Edition 2021: `set_var` is safe; this is the only test in the binary, and it runs before
    // any other thread of it reads the environment.
    std::env::set_var("SHARECELL_NO_REENTRANCY_CHECK", "1");

    // Local still panics on a conflict (that is `RefCell`'s rule), but no longer knows where the
    // first guard was taken.
    let lock = RwLock::<u32, LocalFlavor>::new(1);
    let (first, l1) = (lock.write(), line!());
    let message = panic_message(|| lock.read());
    assert!(message.contains("cannot read"), "{message}");
    assert!(!message.contains(&at(l1)), "{message}");
    assert!(message.contains("not tracked"), "says why: {message}");
    drop(first);

    // Sync works as before; only the self-deadlock check is gone (what it would have caught
    // now hangs, so this test does not try it).
    let lock = RwLock::<u32, SyncFlavor>::new(0);
    let mutex = Mutex::<u32, SyncFlavor>::new(0);
    thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| {
                for _ in 0..common::iterations(100) {
                    *lock.write() += 1;
                    mutex.with_mut(|m| *m += 1);
                }
            });
        }
    });
    let total = 2 * common::iterations(100) as u32;
    assert_eq!((lock.get_cloned(), mutex.get_cloned()), (total, total));
    let write = lock.write();
    assert!(lock.try_read().is_err(), "try_* still return the error");
    drop(write);
    let (a, b) = (lock.read(), lock.read());
    assert_eq!(*a + *b, 2 * total);
}
