//! Where the `SyncFlavor`'s primitives come from: std, or loom in a `--cfg loom` build (model
//! checking, runtime/tests/loom.rs). Swapping the backend changes this module only.
//!
//! loom's `Arc` has no `Weak`, so the loom build brings its own pair (see `loom_arc`). Poison
//! and `try_*` errors are std's types in both: loom's locks return them too.

#[cfg(not(loom))]
pub(crate) use std::sync::atomic;
#[cfg(not(loom))]
pub(crate) use std::sync::{
    Arc, Mutex, MutexGuard, RwLock, RwLockReadGuard, RwLockWriteGuard, Weak,
};

#[cfg(loom)]
pub(crate) use crate::loom_arc::{Arc, Weak};
#[cfg(loom)]
pub(crate) use loom::sync::atomic;
// loom's own locks, behind a shim whose `try_*` loom models exactly (see loom_lock.rs).
#[cfg(loom)]
pub(crate) use crate::loom_lock::{Mutex, MutexGuard, RwLock, RwLockReadGuard, RwLockWriteGuard};

pub(crate) use std::sync::{PoisonError, TryLockError as StdTryLockError};

#[cfg(loom)]
pub(crate) use loom::thread::yield_now;
#[cfg(not(loom))]
pub(crate) use std::thread::yield_now;

/// Whether this build's `SyncFlavor` runs on loom (`RUSTFLAGS="--cfg loom"`): its primitives
/// then work only inside `loom::model`, so the doc examples that use `SyncFlavor` return early.
pub const LOOM: bool = cfg!(loom);
