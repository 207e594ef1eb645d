//! What [`RwLock`](crate::RwLock) and [`Mutex`](crate::Mutex) share, written once for both
//! kinds and both flavours: taking a guard with the re-entrancy checks (reentrancy.rs), the
//! value methods (`with`, `set`, `replace`, ...: [`value_methods!`]), and the stand-in that
//! `Debug` prints for a locked value.

use core::fmt;

use crate::error::Access;
use crate::reentrancy::{
    blocking_acquire, checked_wait, local_conflict, register, LockKey, Tracked,
};
use crate::TryLockError;

/// Takes a guard. A kind that does not block (`LocalFlavor`: `RefCell`) panics at the caller's
/// line on a conflict, naming (debug builds) where the guard in the way was taken. A kind that
/// blocks (`SyncFlavor`) waits, after checking (debug builds) that the wait could end.
#[inline]
#[track_caller]
pub(crate) fn acquire<G>(
    key: LockKey,
    access: Access,
    blocks: bool,
    try_lock: impl FnOnce() -> Option<G>,
    wait: impl FnOnce() -> G,
) -> (G, Tracked) {
    if blocks {
        return blocking_acquire(key, access, try_lock, wait);
    }
    match try_lock() {
        Some(guard) => (guard, register(key, access)),
        None => local_conflict(key, access),
    }
}

/// Takes a guard if none is in the way; never blocks, never panics.
#[inline]
#[cfg_attr(debug_assertions, track_caller)]
pub(crate) fn try_acquire<G>(
    key: LockKey,
    access: Access,
    blocks: bool,
    try_lock: impl FnOnce() -> Option<G>,
) -> Result<(G, Tracked), TryLockError> {
    match try_lock() {
        Some(guard) => Ok((guard, register(key, access))),
        // std's lock also refuses a read while a writer waits: the message says so.
        None if blocks => Err(TryLockError::lock_busy(access)),
        None => Err(TryLockError::new(access)),
    }
}

/// Takes a guard for a caller that wants an error, not a panic or a wait that cannot end
/// (`snapshot` for serialization): a conflict the `LocalFlavor` would panic on is an error;
/// the `SyncFlavor` waits for other threads, but not for a guard of its own (see
/// `reentrancy::checked_wait`).
#[inline]
pub(crate) fn acquire_checked<G>(
    key: LockKey,
    access: Access,
    blocks: bool,
    try_lock: impl Fn() -> Option<G>,
    wait: impl FnOnce() -> G,
) -> Result<(G, Tracked), TryLockError> {
    match try_lock() {
        Some(guard) => Ok((guard, register(key, access))),
        None if blocks => checked_wait(key, access, &try_lock, wait),
        None => Err(TryLockError::new(access)),
    }
}

/// Stands in for a value that is locked: Debug output never blocks and never panics.
pub(crate) struct Locked;

impl fmt::Debug for Locked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<locked>")
    }
}

/// The methods of [`RwLock`](crate::RwLock) and [`Mutex`](crate::Mutex) that only need "a
/// shared guard" (`$read`, or `$try_read` without waiting) and "an exclusive guard" (`$write`):
/// written once for both, with `Default`, `From`, `Debug` and the derive's `Field`.
///
/// Self-contained: every path inside is absolute, and each argument is named at the call site
/// (`lock: RwLock, kind: RwLockKind, shared: read, exclusive: write, try_shared: try_read,
/// access: Read, guard: ReadGuard`). `lock` is both the public type and the flavour's
/// associated type of its storage (`F::RwLock<T>`), `kind` that storage's trait.
macro_rules! value_methods {
    (
        lock: $lock:ident, kind: $kind:ident, shared: $read:ident, exclusive: $write:ident,
        try_shared: $try_read:ident, access: $access:ident, guard: $guard:ident $(,)?
    ) => {
        impl<T, F: $crate::Flavor> $lock<T, F> {
            /// Runs `f` on a shared borrow and returns its result; the lock is held only during
            /// `f`. If `f` panics, the lock is released and the value is unchanged.
            ///
            /// # Panics
            ///
            #[doc = concat!("As [`", stringify!($read), "`](Self::", stringify!($read), ").")]
            #[inline]
            #[track_caller]
            pub fn with<R>(&self, f: impl FnOnce(&T) -> R) -> R {
                f(&self.$read())
            }

            /// Runs `f` on an exclusive borrow and returns its result; the lock is held only
            /// during `f`. If `f` panics, the lock is released and the value is what `f` left it
            /// as.
            ///
            /// # Panics
            ///
            #[doc = concat!("As [`", stringify!($write), "`](Self::", stringify!($write), ").")]
            #[inline]
            #[track_caller]
            pub fn with_mut<R>(&self, f: impl FnOnce(&mut T) -> R) -> R {
                f(&mut self.$write())
            }

            /// A clone of the value (std's lock value accessors call this `get_cloned` too).
            ///
            /// # Panics
            ///
            #[doc = concat!("As [`", stringify!($read), "`](Self::", stringify!($read), "), and when `clone` panics (the lock is released while unwinding, the value unchanged).")]
            #[inline]
            #[track_caller]
            #[must_use]
            pub fn get_cloned(&self) -> T
            where
                T: ::core::clone::Clone,
            {
                self.$read().clone()
            }

            /// Stores `value`. The old value is dropped after the lock is released (so if its
            /// `drop` panics, `value` is stored already).
            ///
            /// # Panics
            ///
            #[doc = concat!("As [`", stringify!($write), "`](Self::", stringify!($write), ").")]
            #[inline]
            #[track_caller]
            pub fn set(&self, value: T) {
                drop(self.replace(value));
            }

            /// Stores `value` and returns the previous value.
            ///
            /// # Panics
            ///
            #[doc = concat!("As [`", stringify!($write), "`](Self::", stringify!($write), ").")]
            #[inline]
            #[track_caller]
            pub fn replace(&self, value: T) -> T {
                ::core::mem::replace(&mut *self.$write(), value)
            }

            /// Stores `T::default()` and returns the previous value. The default is made before
            /// the lock is taken: if it panics, nothing changes.
            ///
            /// # Panics
            ///
            #[doc = concat!("As [`", stringify!($write), "`](Self::", stringify!($write), "), and when `T::default` panics (before the lock is taken).")]
            #[inline]
            #[track_caller]
            pub fn take(&self) -> T
            where
                T: ::core::default::Default,
            {
                self.replace(T::default())
            }

            /// Consumes the lock and returns the value.
            #[inline]
            pub fn into_inner(self) -> T {
                $crate::kinds::$kind::into_inner(self.cell)
            }

            /// The value, through `&mut self`: no locking needed.
            #[inline]
            pub fn get_mut(&mut self) -> &mut T {
                $crate::kinds::$kind::get_mut(&mut self.cell)
            }
        }

        impl<T: ::core::default::Default, F: $crate::Flavor> ::core::default::Default for $lock<T, F> {
            fn default() -> Self {
                $lock::new(T::default())
            }
        }

        impl<T, F: $crate::Flavor> ::core::convert::From<T> for $lock<T, F> {
            fn from(value: T) -> Self {
                $lock::new(value)
            }
        }

        /// Prints the value alone (`"ada"`), or `<locked>` when a guard in the way holds it
        /// (`SyncFlavor`: or a writer waits for it); never blocks.
        impl<T: ::core::fmt::Debug, F: $crate::Flavor> ::core::fmt::Debug for $lock<T, F> {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                // Recorded as taken for formatting: a field's `Debug` that locks the field
                // again is told so, not pointed at this line.
                let guard = $crate::lock::try_acquire(
                    self.key().formatting(),
                    $crate::error::Access::$access,
                    <F::$lock<T> as $crate::kinds::$kind<T>>::BLOCKS,
                    || self.cell.$try_read(),
                );
                match guard.map($crate::$guard::<T, F>::new) {
                    Ok(guard) => ::core::fmt::Debug::fmt(&*guard, f),
                    Err(_) => ::core::fmt::Debug::fmt(&$crate::lock::Locked, f),
                }
            }
        }

        #[cfg(feature = "serde")]
        impl<T, F: $crate::Flavor> $crate::field::LockField for $lock<T, F> {
            type Target = T;
            #[inline]
            fn target<'h>(held: &'h $crate::$guard<'_, T, F>) -> &'h T {
                held
            }
        }

        /// How the derive stores and takes apart a field of this kind (see
        /// [`Field`]): `snapshot` holds it with a shared guard.
        impl<T, F: $crate::Flavor> $crate::field::Field for $lock<T, F> {
            type Value = T;
            type Held<'a>
                = $crate::$guard<'a, T, F>
            where
                T: 'a;
            #[inline]
            fn from_value(value: T) -> Self {
                $lock::new(value)
            }
            #[inline]
            fn into_value(self) -> T {
                self.into_inner()
            }
            #[inline]
            #[track_caller]
            fn hold(&self) -> $crate::$guard<'_, T, F> {
                self.$read()
            }
            #[inline]
            fn hold_in(
                &self,
                tx: &$crate::transaction::Transaction,
            ) -> ::core::result::Result<$crate::$guard<'_, T, F>, $crate::field::HoldStop> {
                tx.hold(
                    $crate::order::Rank::of(self),
                    self.key(),
                    $crate::error::Access::$access,
                    <F::$lock<T> as $crate::kinds::$kind<T>>::BLOCKS,
                    || self.cell.$try_read(),
                    || self.cell.$read(),
                )
                .map($crate::$guard::new)
            }
            #[inline]
            fn own_guard(&self) -> ::core::option::Option<$crate::TryLockError> {
                // The `LocalFlavor` never waits: a guard in the way is an error when reached.
                if <F::$lock<T> as $crate::kinds::$kind<T>>::BLOCKS {
                    $crate::reentrancy::own_conflict(self.key(), $crate::error::Access::$access)
                } else {
                    ::core::option::Option::None
                }
            }
            #[inline]
            fn rank(&self) -> ::core::option::Option<$crate::order::Rank> {
                ::core::option::Option::Some($crate::order::Rank::of(self))
            }
        }
    };
}
pub(crate) use value_methods;
