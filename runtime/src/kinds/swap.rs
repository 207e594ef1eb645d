//! What a [`Swap`](crate::Swap) is made of: [`SwapKind`] on `RefCell<Rc<T>>` and on
//! `arc_swap::ArcSwap<T>`.

use core::cell::RefCell;
use core::ops::Deref;
use std::rc::Rc;
use std::sync::Arc;

use arc_swap::ArcSwap;

/// What a `swap` field is made of in one flavour. Not public API.
#[doc(hidden)]
pub trait SwapKind<T> {
    /// The owned pointer readers get: `Rc<T>` or `Arc<T>`.
    type Ptr: Deref<Target = T> + Clone;
    /// What `load` hands out: cheap to take, derefs to the pointer.
    type Guard: Deref<Target = Self::Ptr>;
    fn new(value: T) -> Self;
    fn load(&self) -> Self::Guard;
    fn load_full(&self) -> Self::Ptr;
    fn swap(&self, value: T) -> Self::Ptr;
    fn rcu(&self, f: impl FnMut(&T) -> T) -> Self::Ptr;
    fn into_ptr(self) -> Self::Ptr;
    /// The value, moved out when this is the last pointer to it, cloned otherwise.
    fn unwrap_or_clone(ptr: Self::Ptr) -> T
    where
        T: Clone;
}

/// `LocalFlavor`: the `RefCell` is only ever borrowed for a pointer copy or swap, never while
/// user code runs, so no borrow can conflict.
impl<T> SwapKind<T> for RefCell<Rc<T>> {
    type Ptr = Rc<T>;
    type Guard = RcGuard<T>;

    #[inline]
    fn new(value: T) -> Self {
        RefCell::new(Rc::new(value))
    }
    #[inline]
    fn load(&self) -> RcGuard<T> {
        RcGuard(self.load_full())
    }
    #[inline]
    fn load_full(&self) -> Rc<T> {
        Rc::clone(&self.borrow())
    }
    #[inline]
    fn swap(&self, value: T) -> Rc<T> {
        self.replace(Rc::new(value))
    }
    #[inline]
    fn rcu(&self, mut f: impl FnMut(&T) -> T) -> Rc<T> {
        // One thread: nothing can store between the load and the swap, except `f` itself, whose
        // store is then replaced (as a lost race would be in the `SyncFlavor`).
        let current = self.load_full();
        SwapKind::swap(self, f(&current))
    }
    #[inline]
    fn into_ptr(self) -> Rc<T> {
        self.into_inner()
    }
    #[inline]
    fn unwrap_or_clone(ptr: Rc<T>) -> T
    where
        T: Clone,
    {
        Rc::unwrap_or_clone(ptr)
    }
}

/// The `LocalFlavor`'s load guard: a pointer copy. Not public API.
#[doc(hidden)]
pub struct RcGuard<T>(Rc<T>);

impl<T> Deref for RcGuard<T> {
    type Target = Rc<T>;
    #[inline]
    fn deref(&self) -> &Rc<T> {
        &self.0
    }
}

/// `SyncFlavor`: `arc-swap`'s read-copy-update. `load` takes a guard that costs no write to
/// shared memory in the common case; `rcu` retries `f` until its result is stored on top of
/// the value it read.
impl<T> SwapKind<T> for ArcSwap<T> {
    type Ptr = Arc<T>;
    type Guard = arc_swap::Guard<Arc<T>>;

    #[inline]
    fn new(value: T) -> Self {
        ArcSwap::from_pointee(value)
    }
    #[inline]
    fn load(&self) -> Self::Guard {
        ArcSwap::load(self)
    }
    #[inline]
    fn load_full(&self) -> Arc<T> {
        ArcSwap::load_full(self)
    }
    #[inline]
    fn swap(&self, value: T) -> Arc<T> {
        ArcSwap::swap(self, Arc::new(value))
    }
    #[inline]
    fn rcu(&self, mut f: impl FnMut(&T) -> T) -> Arc<T> {
        ArcSwap::rcu(self, |current| Arc::new(f(current)))
    }
    #[inline]
    fn into_ptr(self) -> Arc<T> {
        self.into_inner()
    }
    #[inline]
    fn unwrap_or_clone(ptr: Arc<T>) -> T
    where
        T: Clone,
    {
        Arc::unwrap_or_clone(ptr)
    }
}
