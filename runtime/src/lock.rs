//! What [`RwLock`](crate::RwLock) and [`Mutex`](crate::Mutex) share, written once for both
//! kinds and both flavours: taking a guard with the re-entrancy checks (reentrancy.rs), poison
//! handling, and the stand-in that `Debug` prints for a locked value.

use core::fmt;

use crate::backend::PoisonError;
use crate::error::Access;
use crate::reentrancy::{blocking_acquire, local_conflict, register, Held, LockKey};
use crate::TryLockError;

/// Takes a guard. A kind that does not block (`LocalFlavor`: `RefCell`) panics at the caller's
/// line on a conflict, naming (debug builds) where the guard in the way was taken. A kind that
/// blocks (`SyncFlavor`) waits, after checking (debug builds) that the wait could end.
#[inline]
#[track_caller]
pub(crate) fn acquire<G>(
    key: LockKey,
    access: Access,
    blocks: bool,
    try_lock: impl FnOnce() -> Option<G>,
    wait: impl FnOnce() -> G,
) -> (G, Held) {
    if blocks {
        return blocking_acquire(key, access, try_lock, wait);
    }
    match try_lock() {
        Some(guard) => (guard, register(key, access)),
        None => local_conflict(key, access),
    }
}

/// Takes a guard if none is in the way; never blocks, never panics.
#[inline]
#[cfg_attr(debug_assertions, track_caller)]
pub(crate) fn try_acquire<G>(
    key: LockKey,
    access: Access,
    blocks: bool,
    try_lock: impl FnOnce() -> Option<G>,
) -> Result<(G, Held), TryLockError> {
    match try_lock() {
        Some(guard) => Ok((guard, register(key, access))),
        // std's lock also refuses a read while a writer waits: the message says so.
        None if blocks => Err(TryLockError::lock_busy(access)),
        None => Err(TryLockError::new(access)),
    }
}

/// A poisoned guard (or value) is still a guard: sharecell never poisons.
#[inline]
pub(crate) fn unpoison<G>(result: Result<G, PoisonError<G>>) -> G {
    result.unwrap_or_else(PoisonError::into_inner)
}

/// Stands in for a value that is locked: Debug output never blocks and never panics.
pub(crate) struct Locked;

impl fmt::Debug for Locked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<locked>")
    }
}
