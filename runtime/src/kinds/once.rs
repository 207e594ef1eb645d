//! What a [`Once`](crate::Once) is made of: [`OnceKind`] on `core::cell::OnceCell` and on
//! `std::sync::OnceLock`.

use core::cell::OnceCell;
use std::sync::OnceLock;

/// What a `once` field is made of in one flavour. Not public API.
#[doc(hidden)]
pub trait OnceKind<T>: Default {
    fn get(&self) -> Option<&T>;
    fn set(&self, value: T) -> Result<(), T>;
    #[track_caller]
    fn get_or_init(&self, f: impl FnOnce() -> T) -> &T;
    fn get_mut(&mut self) -> Option<&mut T>;
    fn into_inner(self) -> Option<T>;
}

/// Both cells but for `get_or_init`, which differs below.
macro_rules! once_kind {
    ($cell:ident, |$this:ident, $f:ident| $get_or_init:expr) => {
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
            #[track_caller]
            fn get_or_init(&self, $f: impl FnOnce() -> T) -> &T {
                let $this = self;
                $get_or_init
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

// As std's `OnceCell::get_or_init`, with its re-entrancy panic at the caller's line (std's
// points into core).
once_kind!(OnceCell, |cell, f| {
    if let Some(value) = cell.get() {
        return value;
    }
    if cell.set(f()).is_err() {
        reentrant_init();
    }
    match cell.get() {
        Some(value) => value,
        None => unreachable!("sharecell: a `OnceCell` just set holds its value"),
    }
});
// A re-entrant initialisation deadlocks, as with std's `OnceLock`.
once_kind!(OnceLock, |lock, f| lock.get_or_init(f));

#[cold]
#[track_caller]
fn reentrant_init() -> ! {
    panic!(
        "`Once::get_or_init`: the closure initialised this same field itself (sharecell, Local \
         flavour: re-entrant initialisation, which std's `OnceCell` refuses too)"
    )
}
