//! `RwLock<T, F>` and `Mutex<T, F>`: a `RefCell` in one flavour, a std lock in the other.

use core::fmt;
use core::marker::PhantomData;
use core::mem;

use crate::flavor::{DefaultFlavor, Flavor};
use crate::guard::{MutexGuard, ReadGuard, WriteGuard};
use crate::reentrancy::{LockId, LockKey};
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
            cell: F::rw_new(value),
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
        ReadGuard::new(F::rw_read(&self.cell, self.key()))
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
        WriteGuard::new(F::rw_write(&self.cell, self.key()))
    }

    /// Shared access if no writer holds the value; never blocks, never panics.
    ///
    /// # Errors
    ///
    /// When a guard that is still alive is in the way (on this thread or another).
    #[inline]
    #[cfg_attr(debug_assertions, track_caller)]
    pub fn try_read(&self) -> Result<ReadGuard<'_, T, F>, TryLockError> {
        F::rw_try_read(&self.cell, self.key()).map(ReadGuard::new)
    }

    /// Exclusive access if no guard holds the value; never blocks, never panics.
    ///
    /// # Errors
    ///
    /// When a guard that is still alive is in the way (on this thread or another).
    #[inline]
    #[cfg_attr(debug_assertions, track_caller)]
    pub fn try_write(&self) -> Result<WriteGuard<'_, T, F>, TryLockError> {
        F::rw_try_write(&self.cell, self.key()).map(WriteGuard::new)
    }

    /// Runs `f` on a shared borrow and returns its result; the lock is held only during `f`.
    /// If `f` panics, the lock is released and the value is unchanged.
    ///
    /// # Panics
    ///
    /// As [`read`](Self::read).
    #[inline]
    #[track_caller]
    pub fn with<R>(&self, f: impl FnOnce(&T) -> R) -> R {
        f(&self.read())
    }

    /// Runs `f` on an exclusive borrow and returns its result; the lock is held only during `f`.
    /// If `f` panics, the lock is released and the value is what `f` left it as.
    ///
    /// # Panics
    ///
    /// As [`write`](Self::write).
    #[inline]
    #[track_caller]
    pub fn with_mut<R>(&self, f: impl FnOnce(&mut T) -> R) -> R {
        f(&mut self.write())
    }

    /// A clone of the value. If `clone` panics, the lock is released and the value unchanged.
    ///
    /// # Panics
    ///
    /// As [`read`](Self::read), and when `clone` panics (the lock is released first).
    #[inline]
    #[track_caller]
    #[must_use]
    pub fn get_cloned(&self) -> T
    where
        T: Clone,
    {
        self.read().clone()
    }

    /// Stores `value`. The old value is dropped after the lock is released (so if its `drop`
    /// panics, `value` is stored already).
    ///
    /// # Panics
    ///
    /// As [`write`](Self::write).
    #[inline]
    #[track_caller]
    pub fn set(&self, value: T) {
        drop(self.replace(value));
    }

    /// Stores `value` and returns the previous value.
    ///
    /// # Panics
    ///
    /// As [`write`](Self::write).
    #[inline]
    #[track_caller]
    pub fn replace(&self, value: T) -> T {
        mem::replace(&mut *self.write(), value)
    }

    /// Stores `T::default()` and returns the previous value. The default is made before the
    /// lock is taken: if it panics, nothing changes.
    ///
    /// # Panics
    ///
    /// As [`write`](Self::write), and when `T::default` panics (before the lock is taken).
    #[inline]
    #[track_caller]
    pub fn take(&self) -> T
    where
        T: Default,
    {
        self.replace(T::default())
    }

    /// Consumes the lock and returns the value.
    #[inline]
    pub fn into_inner(self) -> T {
        F::rw_into_inner(self.cell)
    }

    /// The value, through `&mut self`: no locking needed.
    #[inline]
    pub fn get_mut(&mut self) -> &mut T {
        F::rw_get_mut(&mut self.cell)
    }
}

/// A field behind a mutex: `RefCell<T>` in the [`LocalFlavor`](crate::LocalFlavor) flavour,
/// `std::sync::Mutex<T>` in the [`SyncFlavor`](crate::SyncFlavor) flavour. Every method exists in both.
///
/// One guard at a time. Choose it over [`RwLock`] for values that are mostly written, or whose
/// type is `Send` but not `Sync` (a `Mutex<T, SyncFlavor>` is `Sync` when `T: Send`, like std's).
/// Never poisoned, unwind-safe and (in debug builds) checked for self-deadlock, like
/// [`RwLock`]: a thread that calls `lock` while holding the guard panics, naming both places.
///
/// ```
/// use sharecell::{Mutex, SyncFlavor};
/// # if sharecell::__private::LOOM { return; } // loom's primitives work inside loom::model only
///
/// let log = Mutex::<Vec<String>, SyncFlavor>::new(Vec::new());
/// log.lock().push("opened".to_owned());
/// assert_eq!(log.with_mut(|l| l.len()), 1);
/// ```
pub struct Mutex<T, F: Flavor = DefaultFlavor> {
    cell: F::MutexCell<T>,
    /// Debug builds: tells this mutex from an earlier one at the same address.
    id: LockId,
    _flavor: PhantomData<F>,
}

impl<T, F: Flavor> Mutex<T, F> {
    /// A new mutex holding `value`.
    #[inline]
    pub fn new(value: T) -> Self {
        Mutex {
            cell: F::mutex_new(value),
            id: LockId::new(),
            _flavor: PhantomData,
        }
    }

    /// What the re-entrancy bookkeeping knows this mutex by (nothing in release builds).
    #[inline]
    fn key(&self) -> LockKey {
        LockKey::new(self, &self.id)
    }

    /// Exclusive access. `LocalFlavor`: panics if a guard is alive. `SyncFlavor`: blocks until none is
    /// (debug builds: panics if this thread holds it).
    ///
    /// # Panics
    ///
    /// `LocalFlavor`: when a guard on this mutex is alive. `SyncFlavor`, debug builds only:
    /// when this thread holds the guard (waiting would deadlock).
    #[inline]
    #[track_caller]
    #[doc(alias = "borrow_mut")]
    pub fn lock(&self) -> MutexGuard<'_, T, F> {
        MutexGuard::new(F::mutex_lock(&self.cell, self.key()))
    }

    /// Exclusive access if no guard holds the value; never blocks, never panics.
    ///
    /// # Errors
    ///
    /// When a guard that is still alive is in the way (on this thread or another).
    #[inline]
    #[cfg_attr(debug_assertions, track_caller)]
    pub fn try_lock(&self) -> Result<MutexGuard<'_, T, F>, TryLockError> {
        F::mutex_try_lock(&self.cell, self.key()).map(MutexGuard::new)
    }

    /// Runs `f` on a borrow of the value and returns its result; the mutex is held only during
    /// `f`. If `f` panics, the mutex is released and the value is unchanged.
    ///
    /// # Panics
    ///
    /// As [`lock`](Self::lock).
    #[inline]
    #[track_caller]
    pub fn with<R>(&self, f: impl FnOnce(&T) -> R) -> R {
        f(&self.lock())
    }

    /// Runs `f` on an exclusive borrow and returns its result; the lock is held only during `f`.
    /// If `f` panics, the lock is released and the value is what `f` left it as.
    ///
    /// # Panics
    ///
    /// As [`lock`](Self::lock).
    #[inline]
    #[track_caller]
    pub fn with_mut<R>(&self, f: impl FnOnce(&mut T) -> R) -> R {
        f(&mut self.lock())
    }

    /// A clone of the value. If `clone` panics, the lock is released and the value unchanged.
    ///
    /// # Panics
    ///
    /// As [`lock`](Self::lock), and when `clone` panics (the lock is released first).
    #[inline]
    #[track_caller]
    #[must_use]
    pub fn get_cloned(&self) -> T
    where
        T: Clone,
    {
        self.lock().clone()
    }

    /// Stores `value`. The old value is dropped after the lock is released (so if its `drop`
    /// panics, `value` is stored already).
    ///
    /// # Panics
    ///
    /// As [`lock`](Self::lock).
    #[inline]
    #[track_caller]
    pub fn set(&self, value: T) {
        drop(self.replace(value));
    }

    /// Stores `value` and returns the previous value.
    ///
    /// # Panics
    ///
    /// As [`lock`](Self::lock).
    #[inline]
    #[track_caller]
    pub fn replace(&self, value: T) -> T {
        mem::replace(&mut *self.lock(), value)
    }

    /// Stores `T::default()` and returns the previous value. The default is made before the
    /// lock is taken: if it panics, nothing changes.
    ///
    /// # Panics
    ///
    /// As [`lock`](Self::lock), and when `T::default` panics (before the lock is taken).
    #[inline]
    #[track_caller]
    pub fn take(&self) -> T
    where
        T: Default,
    {
        self.replace(T::default())
    }

    /// Consumes the mutex and returns the value.
    #[inline]
    pub fn into_inner(self) -> T {
        F::mutex_into_inner(self.cell)
    }

    /// The value, through `&mut self`: no locking needed.
    #[inline]
    pub fn get_mut(&mut self) -> &mut T {
        F::mutex_get_mut(&mut self.cell)
    }
}

impl<T: Default, F: Flavor> Default for RwLock<T, F> {
    fn default() -> Self {
        RwLock::new(T::default())
    }
}

impl<T: Default, F: Flavor> Default for Mutex<T, F> {
    fn default() -> Self {
        Mutex::new(T::default())
    }
}

impl<T, F: Flavor> From<T> for RwLock<T, F> {
    fn from(value: T) -> Self {
        RwLock::new(value)
    }
}

impl<T, F: Flavor> From<T> for Mutex<T, F> {
    fn from(value: T) -> Self {
        Mutex::new(value)
    }
}

/// Stands in for a value that is locked: Debug output never blocks and never panics.
struct Locked;

impl fmt::Debug for Locked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<locked>")
    }
}

/// Prints the value alone (`"ada"`), or `<locked>` when a writer holds it; never blocks.
impl<T: fmt::Debug, F: Flavor> fmt::Debug for RwLock<T, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Recorded as taken for formatting: a field's `Debug` that locks the field again is
        // told so, not pointed at this line.
        match F::rw_try_read(&self.cell, self.key().formatting()).map(ReadGuard::<T, F>::new) {
            Ok(guard) => fmt::Debug::fmt(&*guard, f),
            Err(_) => fmt::Debug::fmt(&Locked, f),
        }
    }
}

/// Prints the value alone, or `<locked>` when a guard holds it; never blocks.
impl<T: fmt::Debug, F: Flavor> fmt::Debug for Mutex<T, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match F::mutex_try_lock(&self.cell, self.key().formatting()).map(MutexGuard::<T, F>::new) {
            Ok(guard) => fmt::Debug::fmt(&*guard, f),
            Err(_) => fmt::Debug::fmt(&Locked, f),
        }
    }
}
