//! What a [`Once`](crate::Once) is made of: [`OnceKind`] on `core::cell::OnceCell` and on
//! `std::sync::OnceLock`.

use core::cell::OnceCell;
use std::sync::OnceLock;

/// What a `once` field is made of in one flavour. Not public API.
#[doc(hidden)]
pub trait OnceKind<T>: Default {
    fn get(&self) -> Option<&T>;
    fn set(&self, value: T) -> Result<(), T>;
    fn get_or_init(&self, f: impl FnOnce() -> T) -> &T;
    fn get_mut(&mut self) -> Option<&mut T>;
    fn into_inner(self) -> Option<T>;
}

macro_rules! once_kind {
    ($cell:ident) => {
        impl<T> OnceKind<T> for $cell<T> {
            #[inline]
            fn get(&self) -> Option<&T> {
                $cell::get(self)
            }
            #[inline]
            fn set(&self, value: T) -> Result<(), T> {
                $cell::set(self, value)
            }
            #[inline]
            fn get_or_init(&self, f: impl FnOnce() -> T) -> &T {
                $cell::get_or_init(self, f)
            }
            #[inline]
            fn get_mut(&mut self) -> Option<&mut T> {
                $cell::get_mut(self)
            }
            #[inline]
            fn into_inner(self) -> Option<T> {
                $cell::into_inner(self)
            }
        }
    };
}

once_kind!(OnceCell);
once_kind!(OnceLock);
