//! `SHARECELL_NO_LOCK_ORDER_CHECK=1` turns the debug-build lock-order check off (and leaves the
//! re-entrancy check on). The variable is read once per process, so this file is its own test
//! binary with a single test that sets it first.
#![cfg(all(debug_assertions, not(loom)))]

mod common;

use common::panic_message;
use sharecell::{Mutex, SyncFlavor};

#[test]
fn switched_off_by_the_environment_variable() {
    // Edition 2021: `set_var` is safe; this is the only test in the binary, and it runs before
    // any other thread of it reads the environment.
    std::env::set_var("SHARECELL_NO_LOCK_ORDER_CHECK", "1");
    let (a, b) = (
        Mutex::<u32, SyncFlavor>::new(1),
        Mutex::<u32, SyncFlavor>::new(2),
    );
    {
        let _a = a.lock();
        let _b = b.lock();
    }
    {
        let _b = b.lock();
        let _a = a.lock();
    }
    // The re-entrancy check stays on.
    let held = a.lock();
    let message = panic_message(|| a.lock());
    assert!(message.contains("waiting would deadlock"), "{message}");
    drop(held);
}
