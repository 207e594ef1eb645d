//! Where the `Sync` flavour's primitives come from: std today. Swapping the backend (for example
//! to loom for model checking, or to another lock implementation) changes this module only.

pub(crate) use std::sync::atomic;
pub(crate) use std::sync::{Arc, Mutex, MutexGuard, RwLock, RwLockReadGuard, RwLockWriteGuard, Weak};
pub(crate) use std::sync::{PoisonError, TryLockError as StdTryLockError};
