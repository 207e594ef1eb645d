//! `RwLock<T, F>`: a `RefCell` in the `LocalFlavor`, a std `RwLock` in the `SyncFlavor`.
//!
//! The public type; what it is made of in each flavour is `kinds/rwlock.rs`, and what it shares
//! with `Mutex` (the value methods, taking a guard with the checks) is `lock.rs`.

use core::marker::PhantomData;

use crate::error::Access;
use crate::flavor::{DefaultFlavor, Flavor};
use crate::guard::{ReadGuard, WriteGuard};
use crate::kinds::RwLockKind;
use crate::lock::{acquire, try_acquire, value_methods};
use crate::reentrancy::{own_conflict_panic, LockId, LockKey};
use crate::TryLockError;

/// A field behind a reader-writer lock: `RefCell<T>` in the [`LocalFlavor`](crate::LocalFlavor) flavour,
/// `std::sync::RwLock<T>` in the [`SyncFlavor`](crate::SyncFlavor) flavour. Every method exists in both.
///
/// Many readers or one writer at a time. When a guard is in the way, `LocalFlavor` panics at your line
/// (like `RefCell`) and `SyncFlavor` blocks; the `try_*` methods return a [`TryLockError`] in both.
///
/// Debug builds name both places in the conflict: `LocalFlavor`'s panic says where the guard in the
/// way was taken, and in `SyncFlavor`, a thread that asks for a guard it would wait for forever (it
/// holds one in the way itself: read then write, write then read or write) panics, naming where
/// it took the first guard and where it asked for the second, instead of deadlocking. Release
/// builds skip this bookkeeping; `SHARECELL_NO_REENTRANCY_CHECK=1` turns it off in debug builds.
/// Two read guards on one thread are allowed, but with std's lock a writer that queues between
/// them makes the second `read` wait for ever: debug builds panic then instead.
///
/// Unwinding is safe: a panic while a guard is held, or inside [`with`](Self::with) and
/// [`with_mut`](Self::with_mut), releases the lock. The lock is never poisoned: the value is
/// whatever the panicking code left, and everyone can use it.
///
/// ```
/// use sharecell::{LocalFlavor, RwLock};
///
/// let tags = RwLock::<Vec<&str>, LocalFlavor>::new(vec!["a"]);
/// tags.with_mut(|t| t.push("b"));
/// assert_eq!(tags.with(|t| t.len()), 2);
/// assert_eq!(*tags.read(), ["a", "b"]);
/// ```
pub struct RwLock<T, F: Flavor = DefaultFlavor> {
    cell: F::RwLock<T>,
    /// Debug builds: tells this lock from an earlier one at the same address.
    id: LockId,
    _flavor: PhantomData<F>,
}

impl<T, F: Flavor> RwLock<T, F> {
    /// A new lock holding `value`.
    #[inline]
    pub fn new(value: T) -> Self {
        RwLock {
            cell: RwLockKind::new(value),
            id: LockId::new(),
            _flavor: PhantomData,
        }
    }

    /// What the re-entrancy bookkeeping knows this lock by (nothing in release builds).
    /// Debug builds, `SyncFlavor`: panics when this thread holds a guard in the way of
    /// `access` (see `lock_all`).
    #[inline]
    #[track_caller]
    pub(crate) fn precheck(&self, access: Access) {
        if <F::RwLock<T> as RwLockKind<T>>::BLOCKS {
            own_conflict_panic(self.key(), access);
        }
    }

    #[inline]
    pub(crate) fn key(&self) -> LockKey {
        LockKey::new(self, &self.id)
    }

    /// Shared access. `LocalFlavor`: panics if a write guard is alive. `SyncFlavor`: blocks while a writer
    /// holds the lock (debug builds: panics if that writer is this thread).
    ///
    /// # Panics
    ///
    /// `LocalFlavor`: when a write guard on this lock is alive. `SyncFlavor`, debug builds
    /// only: when waiting would deadlock (this thread holds the write guard, or holds a read guard
    /// while another thread waits to write).
    #[inline]
    #[track_caller]
    #[doc(alias = "borrow")]
    pub fn read(&self) -> ReadGuard<'_, T, F> {
        ReadGuard::new(acquire(
            self.key(),
            Access::Read,
            F::RwLock::<T>::BLOCKS,
            || self.cell.try_read(),
            || self.cell.read(),
        ))
    }

    /// Exclusive access. `LocalFlavor`: panics if any guard is alive. `SyncFlavor`: blocks until no guard is
    /// (debug builds: panics if this thread holds one).
    ///
    /// # Panics
    ///
    /// `LocalFlavor`: when any guard on this lock is alive. `SyncFlavor`, debug builds only:
    /// when this thread holds a guard on it (waiting would deadlock).
    #[inline]
    #[track_caller]
    #[doc(alias = "borrow_mut")]
    pub fn write(&self) -> WriteGuard<'_, T, F> {
        WriteGuard::new(acquire(
            self.key(),
            Access::Write,
            F::RwLock::<T>::BLOCKS,
            || self.cell.try_write(),
            || self.cell.write(),
        ))
    }

    /// Shared access if no writer holds the value; never blocks, never panics.
    ///
    /// # Errors
    ///
    /// When a guard that is still alive is in the way (on this thread or another).
    #[inline]
    #[cfg_attr(debug_assertions, track_caller)]
    pub fn try_read(&self) -> Result<ReadGuard<'_, T, F>, TryLockError> {
        try_acquire(self.key(), Access::Read, F::RwLock::<T>::BLOCKS, || {
            self.cell.try_read()
        })
        .map(ReadGuard::new)
    }

    /// Exclusive access if no guard holds the value; never blocks, never panics.
    ///
    /// # Errors
    ///
    /// When a guard that is still alive is in the way (on this thread or another).
    #[inline]
    #[cfg_attr(debug_assertions, track_caller)]
    pub fn try_write(&self) -> Result<WriteGuard<'_, T, F>, TryLockError> {
        try_acquire(self.key(), Access::Write, F::RwLock::<T>::BLOCKS, || {
            self.cell.try_write()
        })
        .map(WriteGuard::new)
    }
}

value_methods! {
    lock: RwLock,
    kind: RwLockKind,
    shared: read,
    exclusive: write,
    try_shared: try_read,
    access: Read,
    guard: ReadGuard,
}
