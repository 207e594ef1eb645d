//! The `SyncFlavor`: `Arc`, std atomics and std locks, with poisoning turned off.
//!
//! Poisoning is ignored on purpose: a panic while a guard is held must not make the field
//! unusable for every other thread (the value is whatever the panicking code left behind, as
//! with the `LocalFlavor`'s `RefCell`).

use crate::backend::{
    Arc, Mutex, MutexGuard, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard,
    StdTryLockError, Weak,
};
use crate::error::{Access, TryLockError};
use crate::flavor::{sealed, AtomCell, Flavor, SyncFlavor};
use crate::reentrancy::{acquire, track, LockKey, Tracked};
use crate::value::{
    cas_loop, AtomicArith, AtomicBitwise, AtomicInteger, AtomicValue, LOAD, RMW, STORE,
};

impl sealed::Sealed for SyncFlavor {}

/// The storage of an `Atom<T, SyncFlavor>`: the std atomic of `T`. Not public API.
#[doc(hidden)]
pub struct SyncAtom<T: AtomicValue>(T::Atomic);

/// Maps a std `try_*` result to ours: poison is ignored, `WouldBlock` becomes our error. A guard
/// is recorded (debug builds) with the caller's location.
#[inline]
#[cfg_attr(debug_assertions, track_caller)]
fn try_tracked<G>(
    key: LockKey,
    result: Result<G, StdTryLockError<G>>,
    access: Access,
) -> Result<Tracked<G>, TryLockError> {
    let guard = match result {
        Ok(guard) => guard,
        Err(StdTryLockError::Poisoned(poisoned)) => poisoned.into_inner(),
        Err(StdTryLockError::WouldBlock) => return Err(TryLockError::lock_busy(access)),
    };
    Ok(track(guard, key, access))
}

/// A poisoned guard is still a guard: sharecell never poisons.
#[inline]
fn unpoison<G>(result: Result<G, PoisonError<G>>) -> G {
    result.unwrap_or_else(PoisonError::into_inner)
}

impl Flavor for SyncFlavor {
    const NAME: &'static str = "Sync";

    type Ptr<T> = Arc<T>;
    type WeakPtr<T> = Weak<T>;
    type AtomCell<T: AtomicValue> = SyncAtom<T>;
    type RwCell<T> = RwLock<T>;
    type MutexCell<T> = Mutex<T>;
    // Read-copy-update on std's `Arc`, also in the loom build (arc-swap is not modelled there).
    type SwapCell<T> = arc_swap::ArcSwap<T>;
    type OnceCell<T> = std::sync::OnceLock<T>;
    // `Tracked<G>` is `G` in release builds; in debug builds it also records where the guard
    // was taken, so that a request that could only deadlock panics instead (reentrancy.rs).
    type ReadGuard<'a, T: 'a> = Tracked<RwLockReadGuard<'a, T>>;
    type WriteGuard<'a, T: 'a> = Tracked<RwLockWriteGuard<'a, T>>;
    type MutexGuard<'a, T: 'a> = Tracked<MutexGuard<'a, T>>;

    #[inline]
    fn ptr_new<T>(value: T) -> Arc<T> {
        Arc::new(value)
    }
    #[inline]
    fn ptr_downgrade<T>(this: &Arc<T>) -> Weak<T> {
        Arc::downgrade(this)
    }
    #[inline]
    fn ptr_eq<T>(a: &Arc<T>, b: &Arc<T>) -> bool {
        Arc::ptr_eq(a, b)
    }
    #[inline]
    fn ptr_strong_count<T>(this: &Arc<T>) -> usize {
        Arc::strong_count(this)
    }
    #[inline]
    fn ptr_weak_count<T>(this: &Arc<T>) -> usize {
        Arc::weak_count(this)
    }
    #[inline]
    fn ptr_try_unwrap<T>(this: Arc<T>) -> Result<T, Arc<T>> {
        Arc::try_unwrap(this)
    }
    #[inline]
    fn ptr_into_inner<T>(this: Arc<T>) -> Option<T> {
        Arc::into_inner(this)
    }
    #[inline]
    fn weak_new<T>() -> Weak<T> {
        Weak::new()
    }
    #[inline]
    fn weak_upgrade<T>(this: &Weak<T>) -> Option<Arc<T>> {
        this.upgrade()
    }
    #[inline]
    fn weak_ptr_eq<T>(a: &Weak<T>, b: &Weak<T>) -> bool {
        a.ptr_eq(b)
    }
    #[inline]
    fn weak_strong_count<T>(this: &Weak<T>) -> usize {
        this.strong_count()
    }
    #[inline]
    fn weak_weak_count<T>(this: &Weak<T>) -> usize {
        this.weak_count()
    }

    #[inline]
    fn rw_new<T>(value: T) -> RwLock<T> {
        RwLock::new(value)
    }
    #[inline]
    #[track_caller]
    fn rw_read<T>(cell: &RwLock<T>, key: LockKey) -> Tracked<RwLockReadGuard<'_, T>> {
        acquire(
            key,
            Access::Read,
            || cell.try_read(),
            || unpoison(cell.read()),
        )
    }
    #[inline]
    #[track_caller]
    fn rw_write<T>(cell: &RwLock<T>, key: LockKey) -> Tracked<RwLockWriteGuard<'_, T>> {
        acquire(
            key,
            Access::Write,
            || cell.try_write(),
            || unpoison(cell.write()),
        )
    }
    #[inline]
    #[cfg_attr(debug_assertions, track_caller)]
    fn rw_try_read<T>(
        cell: &RwLock<T>,
        key: LockKey,
    ) -> Result<Tracked<RwLockReadGuard<'_, T>>, TryLockError> {
        try_tracked(key, cell.try_read(), Access::Read)
    }
    #[inline]
    #[cfg_attr(debug_assertions, track_caller)]
    fn rw_try_write<T>(
        cell: &RwLock<T>,
        key: LockKey,
    ) -> Result<Tracked<RwLockWriteGuard<'_, T>>, TryLockError> {
        try_tracked(key, cell.try_write(), Access::Write)
    }
    #[inline]
    fn rw_into_inner<T>(cell: RwLock<T>) -> T {
        unpoison(cell.into_inner())
    }
    #[inline]
    fn rw_get_mut<T>(cell: &mut RwLock<T>) -> &mut T {
        unpoison(cell.get_mut())
    }

    #[inline]
    fn mutex_new<T>(value: T) -> Mutex<T> {
        Mutex::new(value)
    }
    #[inline]
    #[track_caller]
    fn mutex_lock<T>(cell: &Mutex<T>, key: LockKey) -> Tracked<MutexGuard<'_, T>> {
        acquire(
            key,
            Access::Lock,
            || cell.try_lock(),
            || unpoison(cell.lock()),
        )
    }
    #[inline]
    #[cfg_attr(debug_assertions, track_caller)]
    fn mutex_try_lock<T>(
        cell: &Mutex<T>,
        key: LockKey,
    ) -> Result<Tracked<MutexGuard<'_, T>>, TryLockError> {
        try_tracked(key, cell.try_lock(), Access::Lock)
    }
    #[inline]
    fn mutex_into_inner<T>(cell: Mutex<T>) -> T {
        unpoison(cell.into_inner())
    }
    #[inline]
    fn mutex_get_mut<T>(cell: &mut Mutex<T>) -> &mut T {
        unpoison(cell.get_mut())
    }
}

impl<T: AtomicValue> AtomCell<T> for SyncAtom<T> {
    #[inline]
    fn new(value: T) -> Self {
        SyncAtom(value.__atomic())
    }
    #[inline]
    fn load(&self) -> T {
        T::__load(&self.0, LOAD)
    }
    #[inline]
    fn store(&self, value: T) {
        T::__store(&self.0, value, STORE);
    }
    #[inline]
    fn swap(&self, value: T) -> T {
        T::__swap(&self.0, value, RMW)
    }
    #[inline]
    fn compare_exchange(&self, current: T, new: T) -> Result<T, T> {
        T::__compare_exchange(&self.0, current, new, RMW, LOAD)
    }
    #[inline]
    fn update(&self, f: impl FnMut(T) -> T) -> (T, T) {
        cas_loop(&self.0, f)
    }
    #[inline]
    fn into_inner(self) -> T {
        T::__into_inner(self.0)
    }
    #[inline]
    fn fetch_add(&self, value: T) -> T
    where
        T: AtomicArith,
    {
        T::__fetch_add(&self.0, value)
    }
    #[inline]
    fn fetch_sub(&self, value: T) -> T
    where
        T: AtomicArith,
    {
        T::__fetch_sub(&self.0, value)
    }
    #[inline]
    fn fetch_and(&self, value: T) -> T
    where
        T: AtomicBitwise,
    {
        T::__fetch_and(&self.0, value)
    }
    #[inline]
    fn fetch_or(&self, value: T) -> T
    where
        T: AtomicBitwise,
    {
        T::__fetch_or(&self.0, value)
    }
    #[inline]
    fn fetch_xor(&self, value: T) -> T
    where
        T: AtomicBitwise,
    {
        T::__fetch_xor(&self.0, value)
    }
    #[inline]
    fn fetch_max(&self, value: T) -> T
    where
        T: AtomicInteger,
    {
        T::__fetch_max(&self.0, value)
    }
    #[inline]
    fn fetch_min(&self, value: T) -> T
    where
        T: AtomicInteger,
    {
        T::__fetch_min(&self.0, value)
    }
}
