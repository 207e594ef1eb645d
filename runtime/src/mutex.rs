//! `Mutex<T, F>`: a `RefCell` in the `LocalFlavor`, a std `Mutex` in the `SyncFlavor`.
//!
//! The public type; what it is made of in each flavour is `kinds/mutex.rs`, and what it shares
//! with `RwLock` (the value methods, taking a guard with the checks) is `lock.rs`.

use core::marker::PhantomData;

use crate::error::Access;
use crate::flavor::{DefaultFlavor, Flavor};
use crate::guard::MutexGuard;
use crate::kinds::MutexKind;
use crate::lock::{acquire, try_acquire, value_methods};
use crate::reentrancy::{own_conflict_panic, LockId, LockKey};
use crate::TryLockError;

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
    cell: F::Mutex<T>,
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
    /// Debug builds, `SyncFlavor`: panics when this thread holds a guard in the way of
    /// `access` (see `lock_all`).
    #[inline]
    #[track_caller]
    pub(crate) fn precheck(&self, access: Access) {
        if <F::Mutex<T> as MutexKind<T>>::BLOCKS {
            own_conflict_panic(self.key(), access);
        }
    }

    #[inline]
    pub(crate) fn key(&self) -> LockKey {
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
            F::Mutex::<T>::BLOCKS,
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
        try_acquire(self.key(), Access::Lock, F::Mutex::<T>::BLOCKS, || {
            self.cell.try_lock()
        })
        .map(MutexGuard::new)
    }
}

value_methods! {
    lock: Mutex,
    kind: MutexKind,
    shared: lock,
    exclusive: lock,
    try_shared: try_lock,
    access: Lock,
    guard: MutexGuard,
}
