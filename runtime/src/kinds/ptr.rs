//! What a handle's pointer is made of: [`PtrKind`] on `Rc` and on `Arc` (std's, or the loom
//! build's stand-in).

use core::ops::Deref;
use std::rc::{self, Rc};

use crate::backend::{Arc, Weak};

/// What a handle's pointer is made of in one flavour: `Rc` or `Arc`, with its weak pointer.
/// Not public API.
#[doc(hidden)]
pub trait PtrKind<T>: Clone + Deref<Target = T> + Sized {
    type Weak: Clone;
    fn new(value: T) -> Self;
    fn downgrade(this: &Self) -> Self::Weak;
    fn ptr_eq(a: &Self, b: &Self) -> bool;
    fn strong_count(this: &Self) -> usize;
    fn weak_count(this: &Self) -> usize;
    fn try_unwrap(this: Self) -> Result<T, Self>;
    fn into_inner(this: Self) -> Option<T>;
    fn weak_new() -> Self::Weak;
    fn upgrade(weak: &Self::Weak) -> Option<Self>;
    fn weak_ptr_eq(a: &Self::Weak, b: &Self::Weak) -> bool;
    fn weak_strong_count(weak: &Self::Weak) -> usize;
    fn weak_weak_count(weak: &Self::Weak) -> usize;
}

macro_rules! ptr_kind {
    ($ptr:ident, $weak:ty) => {
        impl<T> PtrKind<T> for $ptr<T> {
            type Weak = $weak;
            #[inline]
            fn new(value: T) -> Self {
                $ptr::new(value)
            }
            #[inline]
            fn downgrade(this: &Self) -> $weak {
                $ptr::downgrade(this)
            }
            #[inline]
            fn ptr_eq(a: &Self, b: &Self) -> bool {
                $ptr::ptr_eq(a, b)
            }
            #[inline]
            fn strong_count(this: &Self) -> usize {
                $ptr::strong_count(this)
            }
            #[inline]
            fn weak_count(this: &Self) -> usize {
                $ptr::weak_count(this)
            }
            #[inline]
            fn try_unwrap(this: Self) -> Result<T, Self> {
                $ptr::try_unwrap(this)
            }
            #[inline]
            fn into_inner(this: Self) -> Option<T> {
                $ptr::into_inner(this)
            }
            #[inline]
            fn weak_new() -> $weak {
                <$weak>::new()
            }
            #[inline]
            fn upgrade(weak: &$weak) -> Option<Self> {
                weak.upgrade()
            }
            #[inline]
            fn weak_ptr_eq(a: &$weak, b: &$weak) -> bool {
                a.ptr_eq(b)
            }
            #[inline]
            fn weak_strong_count(weak: &$weak) -> usize {
                weak.strong_count()
            }
            #[inline]
            fn weak_weak_count(weak: &$weak) -> usize {
                weak.weak_count()
            }
        }
    };
}

ptr_kind!(Rc, rc::Weak<T>);
// std's `Arc`, or the loom build's stand-in with the same functions (backend.rs).
ptr_kind!(Arc, Weak<T>);
