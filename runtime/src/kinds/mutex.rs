//! What a [`Mutex`](crate::Mutex) is made of: [`MutexKind`] on `RefCell` and on std's `Mutex`
//! (poisoning ignored).

use core::cell::{RefCell, RefMut};
use core::ops::DerefMut;

use super::{unpoison, unpoison_try};
use crate::backend::{self, MutexGuard as StdMutexGuard};

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
