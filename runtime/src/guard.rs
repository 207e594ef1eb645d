//! Flavour-neutral guards: one type per access kind, whatever the flavour wraps.
//!
//! Their auto traits follow the guard inside: a `Sync` read guard is `Sync` when `T: Sync` (it
//! can be shared with scoped threads), no guard is `Send`, and `Local` guards are neither.
//! Dropping a guard, also while unwinding from a panic, releases the borrow or lock; nothing is
//! ever poisoned. In release builds a guard is exactly the std guard it wraps; debug builds add
//! an id that records where it was taken (for the conflict and self-deadlock messages).

use core::fmt;
use core::ops::{Deref, DerefMut};

use crate::flavor::{DefaultFlavor, Flavor};

macro_rules! guard {
    ($(#[$doc:meta])* $name:ident, $inner:ident, $($mut:ident)?) => {
        $(#[$doc])*
        #[must_use = "the value is unlocked again as soon as the guard is dropped"]
        pub struct $name<'a, T: 'a, F: Flavor = DefaultFlavor> {
            inner: F::$inner<'a, T>,
        }

        impl<'a, T: 'a, F: Flavor> $name<'a, T, F> {
            #[inline]
            pub(crate) fn new(inner: F::$inner<'a, T>) -> Self {
                $name { inner }
            }
        }

        impl<T, F: Flavor> Deref for $name<'_, T, F> {
            type Target = T;
            #[inline]
            fn deref(&self) -> &T {
                &self.inner
            }
        }

        $(
            impl<T, F: Flavor> $mut for $name<'_, T, F> {
                #[inline]
                fn deref_mut(&mut self) -> &mut T {
                    &mut self.inner
                }
            }
        )?

        impl<T: fmt::Debug, F: Flavor> fmt::Debug for $name<'_, T, F> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Debug::fmt(&**self, f)
            }
        }

        impl<T: fmt::Display, F: Flavor> fmt::Display for $name<'_, T, F> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&**self, f)
            }
        }
    };
}

guard!(
    /// Shared access to an [`RwLock`](crate::RwLock)'s value, from `read`/`try_read`.
    /// Wraps `Ref` (`Local`) or `std::sync::RwLockReadGuard` (`Sync`).
    ReadGuard, ReadGuard,
);
guard!(
    /// Exclusive access to an [`RwLock`](crate::RwLock)'s value, from `write`/`try_write`.
    /// Wraps `RefMut` (`Local`) or `std::sync::RwLockWriteGuard` (`Sync`).
    WriteGuard, WriteGuard, DerefMut
);
guard!(
    /// Exclusive access to a [`Mutex`](crate::Mutex)'s value, from `lock`/`try_lock`.
    /// Wraps `RefMut` (`Local`) or `std::sync::MutexGuard` (`Sync`).
    MutexGuard, MutexGuard, DerefMut
);
