//! Release builds pay nothing for the debug-build re-entrancy bookkeeping: every guard is
//! exactly the std or `core::cell` guard it wraps, with no extra field.
#![cfg(all(not(debug_assertions), not(loom)))]

use std::cell::{Ref, RefMut};
use std::mem::{align_of, size_of};

use sharecell::{LocalFlavor, MutexGuard, ReadGuard, SyncFlavor, WriteGuard};

/// Same size and alignment.
fn same_layout<A, B>() -> bool {
    size_of::<A>() == size_of::<B>() && align_of::<A>() == align_of::<B>()
}

#[test]
fn sync_guards_are_the_std_guards() {
    assert!(same_layout::<
        ReadGuard<'static, String, SyncFlavor>,
        std::sync::RwLockReadGuard<'static, String>,
    >());
    assert!(same_layout::<
        WriteGuard<'static, String, SyncFlavor>,
        std::sync::RwLockWriteGuard<'static, String>,
    >());
    assert!(same_layout::<
        MutexGuard<'static, String, SyncFlavor>,
        std::sync::MutexGuard<'static, String>,
    >());
}

#[test]
fn local_guards_are_the_refcell_guards() {
    assert!(same_layout::<
        ReadGuard<'static, String, LocalFlavor>,
        Ref<'static, String>,
    >());
    assert!(same_layout::<
        WriteGuard<'static, String, LocalFlavor>,
        RefMut<'static, String>,
    >());
    assert!(same_layout::<
        MutexGuard<'static, String, LocalFlavor>,
        RefMut<'static, String>,
    >());
}
