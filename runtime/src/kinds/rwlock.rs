//! What an [`RwLock`](crate::RwLock) is made of: [`RwLockKind`] on `RefCell` and on std's
//! `RwLock` (poisoning ignored).

use core::cell::{Ref, RefCell, RefMut};
use core::ops::{Deref, DerefMut};

use super::{unpoison, unpoison_try};
use crate::backend::{self, RwLockReadGuard, RwLockWriteGuard};

/// What an `rwlock` field is made of in one flavour. Not public API.
#[doc(hidden)]
pub trait RwLockKind<T> {
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

impl<T> RwLockKind<T> for RefCell<T> {
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

impl<T> RwLockKind<T> for backend::RwLock<T> {
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
