//! The `LocalFlavor`: `Rc`, `Cell` and `RefCell`.

use core::cell::{Cell, Ref, RefCell, RefMut};
use std::rc::{self, Rc};

use crate::error::{Access, TryLockError};
use crate::flavor::{sealed, AtomCell, Flavor, LocalFlavor};
use crate::reentrancy::{local_conflict, track, LockKey, Tracked};
use crate::value::{AtomicArith, AtomicBitwise, AtomicInteger, AtomicValue};

impl sealed::Sealed for LocalFlavor {}

impl Flavor for LocalFlavor {
    const NAME: &'static str = "Local";

    type Ptr<T> = Rc<T>;
    type WeakPtr<T> = rc::Weak<T>;
    type AtomCell<T: AtomicValue> = Cell<T>;
    type RwCell<T> = RefCell<T>;
    type MutexCell<T> = RefCell<T>;
    type SwapCell<T> = RefCell<std::rc::Rc<T>>;
    type OnceCell<T> = core::cell::OnceCell<T>;
    // `Tracked<G>` is `G` in release builds; in debug builds it also records where the guard
    // was taken, for the conflict message.
    type ReadGuard<'a, T: 'a> = Tracked<Ref<'a, T>>;
    type WriteGuard<'a, T: 'a> = Tracked<RefMut<'a, T>>;
    type MutexGuard<'a, T: 'a> = Tracked<RefMut<'a, T>>;

    #[inline]
    fn ptr_new<T>(value: T) -> Rc<T> {
        Rc::new(value)
    }
    #[inline]
    fn ptr_downgrade<T>(this: &Rc<T>) -> rc::Weak<T> {
        Rc::downgrade(this)
    }
    #[inline]
    fn ptr_eq<T>(a: &Rc<T>, b: &Rc<T>) -> bool {
        Rc::ptr_eq(a, b)
    }
    #[inline]
    fn ptr_strong_count<T>(this: &Rc<T>) -> usize {
        Rc::strong_count(this)
    }
    #[inline]
    fn ptr_weak_count<T>(this: &Rc<T>) -> usize {
        Rc::weak_count(this)
    }
    #[inline]
    fn ptr_try_unwrap<T>(this: Rc<T>) -> Result<T, Rc<T>> {
        Rc::try_unwrap(this)
    }
    #[inline]
    fn ptr_into_inner<T>(this: Rc<T>) -> Option<T> {
        Rc::into_inner(this)
    }
    #[inline]
    fn weak_new<T>() -> rc::Weak<T> {
        rc::Weak::new()
    }
    #[inline]
    fn weak_upgrade<T>(this: &rc::Weak<T>) -> Option<Rc<T>> {
        this.upgrade()
    }
    #[inline]
    fn weak_ptr_eq<T>(a: &rc::Weak<T>, b: &rc::Weak<T>) -> bool {
        a.ptr_eq(b)
    }
    #[inline]
    fn weak_strong_count<T>(this: &rc::Weak<T>) -> usize {
        this.strong_count()
    }
    #[inline]
    fn weak_weak_count<T>(this: &rc::Weak<T>) -> usize {
        this.weak_count()
    }

    #[inline]
    fn rw_new<T>(value: T) -> RefCell<T> {
        RefCell::new(value)
    }
    #[inline]
    #[track_caller]
    fn rw_read<T>(cell: &RefCell<T>, key: LockKey) -> Tracked<Ref<'_, T>> {
        match cell.try_borrow() {
            Ok(guard) => track(guard, key, Access::Read),
            Err(_) => local_conflict(key, Access::Read),
        }
    }
    #[inline]
    #[track_caller]
    fn rw_write<T>(cell: &RefCell<T>, key: LockKey) -> Tracked<RefMut<'_, T>> {
        match cell.try_borrow_mut() {
            Ok(guard) => track(guard, key, Access::Write),
            Err(_) => local_conflict(key, Access::Write),
        }
    }
    #[inline]
    #[cfg_attr(debug_assertions, track_caller)]
    fn rw_try_read<T>(
        cell: &RefCell<T>,
        key: LockKey,
    ) -> Result<Tracked<Ref<'_, T>>, TryLockError> {
        match cell.try_borrow() {
            Ok(guard) => Ok(track(guard, key, Access::Read)),
            Err(_) => Err(TryLockError::new(Access::Read)),
        }
    }
    #[inline]
    #[cfg_attr(debug_assertions, track_caller)]
    fn rw_try_write<T>(
        cell: &RefCell<T>,
        key: LockKey,
    ) -> Result<Tracked<RefMut<'_, T>>, TryLockError> {
        match cell.try_borrow_mut() {
            Ok(guard) => Ok(track(guard, key, Access::Write)),
            Err(_) => Err(TryLockError::new(Access::Write)),
        }
    }
    #[inline]
    fn rw_into_inner<T>(cell: RefCell<T>) -> T {
        cell.into_inner()
    }
    #[inline]
    fn rw_get_mut<T>(cell: &mut RefCell<T>) -> &mut T {
        cell.get_mut()
    }

    #[inline]
    fn mutex_new<T>(value: T) -> RefCell<T> {
        RefCell::new(value)
    }
    #[inline]
    #[track_caller]
    fn mutex_lock<T>(cell: &RefCell<T>, key: LockKey) -> Tracked<RefMut<'_, T>> {
        match cell.try_borrow_mut() {
            Ok(guard) => track(guard, key, Access::Lock),
            Err(_) => local_conflict(key, Access::Lock),
        }
    }
    #[inline]
    #[cfg_attr(debug_assertions, track_caller)]
    fn mutex_try_lock<T>(
        cell: &RefCell<T>,
        key: LockKey,
    ) -> Result<Tracked<RefMut<'_, T>>, TryLockError> {
        match cell.try_borrow_mut() {
            Ok(guard) => Ok(track(guard, key, Access::Lock)),
            Err(_) => Err(TryLockError::new(Access::Lock)),
        }
    }
    #[inline]
    fn mutex_into_inner<T>(cell: RefCell<T>) -> T {
        cell.into_inner()
    }
    #[inline]
    fn mutex_get_mut<T>(cell: &mut RefCell<T>) -> &mut T {
        cell.get_mut()
    }
}

/// `Cell` as atom storage. The read-modify-write operations are a `get` and a `set`: nothing else
/// can run in between on one thread, so they behave exactly like the atomic ones, including
/// wrapping integer arithmetic and bit-wise `compare_exchange` on floats.
impl<T: AtomicValue> AtomCell<T> for Cell<T> {
    #[inline]
    fn new(value: T) -> Self {
        Cell::new(value)
    }
    #[inline]
    fn load(&self) -> T {
        self.get()
    }
    #[inline]
    fn store(&self, value: T) {
        self.set(value);
    }
    #[inline]
    fn swap(&self, value: T) -> T {
        self.replace(value)
    }
    #[inline]
    fn compare_exchange(&self, current: T, new: T) -> Result<T, T> {
        let previous = self.get();
        if T::__same(previous, current) {
            self.set(new);
            Ok(previous)
        } else {
            Err(previous)
        }
    }
    #[inline]
    fn update(&self, mut f: impl FnMut(T) -> T) -> (T, T) {
        let previous = self.get();
        let new = f(previous);
        self.set(new);
        (previous, new)
    }
    #[inline]
    fn into_inner(self) -> T {
        Cell::into_inner(self)
    }
    #[inline]
    fn fetch_add(&self, value: T) -> T
    where
        T: AtomicArith,
    {
        AtomCell::update(self, |x| x.__add(value)).0
    }
    #[inline]
    fn fetch_sub(&self, value: T) -> T
    where
        T: AtomicArith,
    {
        AtomCell::update(self, |x| x.__sub(value)).0
    }
    #[inline]
    fn fetch_and(&self, value: T) -> T
    where
        T: AtomicBitwise,
    {
        AtomCell::update(self, |x| x.__and(value)).0
    }
    #[inline]
    fn fetch_or(&self, value: T) -> T
    where
        T: AtomicBitwise,
    {
        AtomCell::update(self, |x| x.__or(value)).0
    }
    #[inline]
    fn fetch_xor(&self, value: T) -> T
    where
        T: AtomicBitwise,
    {
        AtomCell::update(self, |x| x.__xor(value)).0
    }
    #[inline]
    fn fetch_max(&self, value: T) -> T
    where
        T: AtomicInteger,
    {
        AtomCell::update(self, |x| x.max(value)).0
    }
    #[inline]
    fn fetch_min(&self, value: T) -> T
    where
        T: AtomicInteger,
    {
        AtomCell::update(self, |x| x.min(value)).0
    }
}
