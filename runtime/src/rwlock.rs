//! `RwLock<T, F>`: a `RefCell` in the `LocalFlavor`, a std `RwLock` in the `SyncFlavor`.
//!
//! The one file of this storage kind: the per-flavour trait [`RwKind`], its impls on `RefCell`
//! and on std's lock (poisoning ignored), and the public type. What `RwLock` and `Mutex` share,
//! taking a guard with the re-entrancy checks, is in lock.rs.

use core::cell::{Ref, RefCell, RefMut};
use core::fmt;
use core::marker::PhantomData;
use core::ops::{Deref, DerefMut};

use crate::__private::Field;
use crate::backend::{self, PoisonError, RwLockReadGuard, RwLockWriteGuard, StdTryLockError};
use crate::error::Access;
use crate::flavor::{DefaultFlavor, Flavor};
use crate::guard::{ReadGuard, WriteGuard};
use crate::lock::{acquire, acquire_checked, try_acquire, unpoison, value_methods, Locked};
use crate::lock_all::Rank;
use crate::reentrancy::{LockId, LockKey};
use crate::TryLockError;

/// What an `rwlock` field is made of in one flavour. Not public API.
#[doc(hidden)]
pub trait RwKind<T> {
    type Read<'a>: Deref<Target = T>
    where
        Self: 'a;
    type Write<'a>: DerefMut<Target = T>
    where
        Self: 'a;
    /// Whether a conflicting request waits (`SyncFlavor`) or panics (`LocalFlavor`).
    const BLOCKS: bool;
    fn new(value: T) -> Self;
    /// `None` when a guard is in the way; never blocks.
    fn try_read(&self) -> Option<Self::Read<'_>>;
    fn try_write(&self) -> Option<Self::Write<'_>>;
    /// Waits until the guard can be had (only called when `BLOCKS`).
    fn read(&self) -> Self::Read<'_>;
    fn write(&self) -> Self::Write<'_>;
    fn into_inner(self) -> T;
    fn get_mut(&mut self) -> &mut T;
}

impl<T> RwKind<T> for RefCell<T> {
    type Read<'a>
        = Ref<'a, T>
    where
        Self: 'a;
    type Write<'a>
        = RefMut<'a, T>
    where
        Self: 'a;
    const BLOCKS: bool = false;

    #[inline]
    fn new(value: T) -> Self {
        RefCell::new(value)
    }
    #[inline]
    fn try_read(&self) -> Option<Ref<'_, T>> {
        self.try_borrow().ok()
    }
    #[inline]
    fn try_write(&self) -> Option<RefMut<'_, T>> {
        self.try_borrow_mut().ok()
    }
    #[inline]
    fn read(&self) -> Ref<'_, T> {
        self.borrow()
    }
    #[inline]
    fn write(&self) -> RefMut<'_, T> {
        self.borrow_mut()
    }
    #[inline]
    fn into_inner(self) -> T {
        RefCell::into_inner(self)
    }
    #[inline]
    fn get_mut(&mut self) -> &mut T {
        RefCell::get_mut(self)
    }
}

impl<T> RwKind<T> for backend::RwLock<T> {
    type Read<'a>
        = RwLockReadGuard<'a, T>
    where
        Self: 'a;
    type Write<'a>
        = RwLockWriteGuard<'a, T>
    where
        Self: 'a;
    const BLOCKS: bool = true;

    #[inline]
    fn new(value: T) -> Self {
        backend::RwLock::new(value)
    }
    #[inline]
    fn try_read(&self) -> Option<RwLockReadGuard<'_, T>> {
        unpoison_try(backend::RwLock::try_read(self))
    }
    #[inline]
    fn try_write(&self) -> Option<RwLockWriteGuard<'_, T>> {
        unpoison_try(backend::RwLock::try_write(self))
    }
    #[inline]
    fn read(&self) -> RwLockReadGuard<'_, T> {
        unpoison(backend::RwLock::read(self))
    }
    #[inline]
    fn write(&self) -> RwLockWriteGuard<'_, T> {
        unpoison(backend::RwLock::write(self))
    }
    #[inline]
    fn into_inner(self) -> T {
        unpoison(backend::RwLock::into_inner(self))
    }
    #[inline]
    fn get_mut(&mut self) -> &mut T {
        unpoison(backend::RwLock::get_mut(self))
    }
}

/// A std `try_*` result as ours: a poisoned guard is still a guard (sharecell never poisons).
#[inline]
pub(crate) fn unpoison_try<G>(result: Result<G, StdTryLockError<G>>) -> Option<G> {
    match result {
        Ok(guard) => Some(guard),
        Err(StdTryLockError::Poisoned(poisoned)) => Some(PoisonError::into_inner(poisoned)),
        Err(StdTryLockError::WouldBlock) => None,
    }
}

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
    cell: F::RwCell<T>,
    /// Debug builds: tells this lock from an earlier one at the same address.
    id: LockId,
    _flavor: PhantomData<F>,
}

impl<T, F: Flavor> RwLock<T, F> {
    /// A new lock holding `value`.
    #[inline]
    pub fn new(value: T) -> Self {
        RwLock {
            cell: RwKind::new(value),
            id: LockId::new(),
            _flavor: PhantomData,
        }
    }

    /// What the re-entrancy bookkeeping knows this lock by (nothing in release builds).
    #[inline]
    fn key(&self) -> LockKey {
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
            F::RwCell::<T>::BLOCKS,
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
            F::RwCell::<T>::BLOCKS,
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
        try_acquire(self.key(), Access::Read, F::RwCell::<T>::BLOCKS, || {
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
        try_acquire(self.key(), Access::Write, F::RwCell::<T>::BLOCKS, || {
            self.cell.try_write()
        })
        .map(WriteGuard::new)
    }
}

value_methods!(RwLock, RwKind, RwCell, read, write, try_read, Read, ReadGuard);
