//! `Mutex<T, F>`: a `RefCell` in the `LocalFlavor`, a std `Mutex` in the `SyncFlavor`.
//!
//! The one file of this storage kind: the per-flavour trait [`MutexKind`], its impls on
//! `RefCell` and on std's mutex (poisoning ignored), and the public type.

use core::cell::{RefCell, RefMut};
use core::fmt;
use core::marker::PhantomData;
use core::ops::DerefMut;

use crate::__private::Field;
use crate::backend::{self, MutexGuard as StdMutexGuard};
use crate::error::Access;
use crate::flavor::{DefaultFlavor, Flavor};
use crate::guard::MutexGuard;
use crate::lock::{acquire, acquire_checked, try_acquire, unpoison, value_methods, Locked};
use crate::lock_all::Rank;
use crate::reentrancy::{LockId, LockKey};
use crate::rwlock::unpoison_try;
use crate::TryLockError;

/// What a `mutex` field is made of in one flavour. Not public API.
#[doc(hidden)]
pub trait MutexKind<T> {
    type Guard<'a>: DerefMut<Target = T>
    where
        Self: 'a;
    /// Whether a conflicting `lock` waits (`SyncFlavor`) or panics (`LocalFlavor`).
    const BLOCKS: bool;
    fn new(value: T) -> Self;
    /// `None` when the guard is in the way; never blocks.
    fn try_lock(&self) -> Option<Self::Guard<'_>>;
    /// Waits until the guard can be had (only called when `BLOCKS`).
    fn lock(&self) -> Self::Guard<'_>;
    fn into_inner(self) -> T;
    fn get_mut(&mut self) -> &mut T;
}

impl<T> MutexKind<T> for RefCell<T> {
    type Guard<'a>
        = RefMut<'a, T>
    where
        Self: 'a;
    const BLOCKS: bool = false;

    #[inline]
    fn new(value: T) -> Self {
        RefCell::new(value)
    }
    #[inline]
    fn try_lock(&self) -> Option<RefMut<'_, T>> {
        self.try_borrow_mut().ok()
    }
    #[inline]
    fn lock(&self) -> RefMut<'_, T> {
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

impl<T> MutexKind<T> for backend::Mutex<T> {
    type Guard<'a>
        = StdMutexGuard<'a, T>
    where
        Self: 'a;
    const BLOCKS: bool = true;

    #[inline]
    fn new(value: T) -> Self {
        backend::Mutex::new(value)
    }
    #[inline]
    fn try_lock(&self) -> Option<StdMutexGuard<'_, T>> {
        unpoison_try(backend::Mutex::try_lock(self))
    }
    #[inline]
    fn lock(&self) -> StdMutexGuard<'_, T> {
        unpoison(backend::Mutex::lock(self))
    }
    #[inline]
    fn into_inner(self) -> T {
        unpoison(backend::Mutex::into_inner(self))
    }
    #[inline]
    fn get_mut(&mut self) -> &mut T {
        unpoison(backend::Mutex::get_mut(self))
    }
}

/// A field behind a mutex: `RefCell<T>` in the [`LocalFlavor`](crate::LocalFlavor) flavour,
/// `std::sync::Mutex<T>` in the [`SyncFlavor`](crate::SyncFlavor) flavour. Every method exists in both.
///
/// One guard at a time. Choose it over [`RwLock`](crate::RwLock) for values that are mostly written, or whose
/// type is `Send` but not `Sync` (a `Mutex<T, SyncFlavor>` is `Sync` when `T: Send`, like std's).
/// Never poisoned, unwind-safe and (in debug builds) checked for self-deadlock, like
/// [`RwLock`](crate::RwLock): a thread that calls `lock` while holding the guard panics, naming both places.
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
            cell: MutexKind::new(value),
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
        MutexGuard::new(acquire(
            self.key(),
            Access::Lock,
            F::MutexCell::<T>::BLOCKS,
            || self.cell.try_lock(),
            || self.cell.lock(),
        ))
    }

    /// Exclusive access if no guard holds the value; never blocks, never panics.
    ///
    /// # Errors
    ///
    /// When a guard that is still alive is in the way (on this thread or another).
    #[inline]
    #[cfg_attr(debug_assertions, track_caller)]
    pub fn try_lock(&self) -> Result<MutexGuard<'_, T, F>, TryLockError> {
        try_acquire(self.key(), Access::Lock, F::MutexCell::<T>::BLOCKS, || {
            self.cell.try_lock()
        })
        .map(MutexGuard::new)
    }
}

value_methods!(Mutex, MutexKind, MutexCell, lock, lock, try_lock, Lock, MutexGuard);
