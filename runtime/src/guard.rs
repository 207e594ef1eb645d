//! Flavour-neutral guards: one type per access kind, whatever the flavour wraps.
//!
//! Their auto traits follow the guard inside: a `SyncFlavor` read guard is `Sync` when `T: Sync` (it
//! can be shared with scoped threads; a mapped one when its part is `Sync` too), no guard is
//! `Send`, and `LocalFlavor` guards are neither.
//! Dropping a guard, also while unwinding from a panic, releases the borrow or lock; nothing is
//! ever poisoned. The re-entrancy bookkeeping (reentrancy.rs) lives here, once for every
//! flavour: in release builds a guard is exactly the std guard it wraps; debug builds add the
//! registry entry that records where it was taken (for the conflict and self-deadlock
//! messages), removed when the guard drops.

use core::fmt;
use core::marker::PhantomData;
use core::ops::{Deref, DerefMut};

use crate::flavor::{DefaultFlavor, Flavor};
use crate::kinds::{MutexKind, RwLockKind};
use crate::reentrancy::Tracked;

macro_rules! guard {
    ($(#[$doc:meta])* $name:ident, $cell:ident: $kind:ident::$inner:ident, $($mut:ident)?) => {
        $(#[$doc])*
        #[must_use = "the value is unlocked again as soon as the guard is dropped"]
        pub struct $name<'a, T: 'a, F: Flavor = DefaultFlavor> {
            inner: <F::$cell<T> as $kind<T>>::$inner<'a>,
            // Dropped after `inner`: fields drop in declaration order.
            _tracked: Tracked,
        }

        impl<'a, T: 'a, F: Flavor> $name<'a, T, F> {
            #[inline]
            pub(crate) fn new((inner, tracked): (<F::$cell<T> as $kind<T>>::$inner<'a>, Tracked)) -> Self {
                $name { inner, _tracked: tracked }
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
    /// Wraps `Ref` (`LocalFlavor`) or `std::sync::RwLockReadGuard` (`SyncFlavor`).
    ReadGuard, RwLock: RwLockKind::Read,
);
guard!(
    /// Exclusive access to an [`RwLock`](crate::RwLock)'s value, from `write`/`try_write`.
    /// Wraps `RefMut` (`LocalFlavor`) or `std::sync::RwLockWriteGuard` (`SyncFlavor`).
    WriteGuard, RwLock: RwLockKind::Write, DerefMut
);
guard!(
    /// Exclusive access to a [`Mutex`](crate::Mutex)'s value, from `lock`/`try_lock`.
    /// Wraps `RefMut` (`LocalFlavor`) or `std::sync::MutexGuard` (`SyncFlavor`).
    MutexGuard, Mutex: MutexKind::Guard, DerefMut
);

impl<'a, T: 'a, F: Flavor> ReadGuard<'a, T, F> {
    /// Narrows the guard to a part of the value, like `Ref::map`: the lock stays held until the
    /// returned guard is dropped. An associated function (`ReadGuard::map(guard, ..)`), so it
    /// never hides a `map` method of the value.
    ///
    /// `project` is a function or a closure that captures nothing, and may return an unsized
    /// part (`&str` of a `String`, `&[T]` of a `Vec<T>`).
    ///
    /// ```
    /// use sharecell::{LocalFlavor, ReadGuard, RwLock};
    ///
    /// let name = RwLock::<String, LocalFlavor>::new("ada lovelace".to_owned());
    /// let first: sharecell::MappedReadGuard<'_, String, str, LocalFlavor> =
    ///     ReadGuard::map(name.read(), |n| n.split(' ').next().unwrap_or(""));
    /// assert_eq!(&*first, "ada");
    /// assert!(name.try_write().is_err(), "still held");
    /// ```
    ///
    /// Write and mutex guards have no `map`: without `unsafe`, a narrowed exclusive guard would
    /// have to keep a projection for shared access and another for exclusive access, and
    /// std's own mapped lock guards are not stable yet. Narrow with a plain borrow instead
    /// (`let part = &mut guard.part;`).
    #[inline]
    pub fn map<U: ?Sized>(guard: Self, project: fn(&T) -> &U) -> MappedReadGuard<'a, T, U, F> {
        MappedReadGuard {
            guard,
            project,
            _mapped: PhantomData,
        }
    }
}

/// A [`ReadGuard`] narrowed to a part of the value by [`ReadGuard::map`]. The lock is held until
/// it is dropped.
///
/// Auto traits: never `Send` (like every guard). In the `SyncFlavor` it is `Sync` when the part
/// `U` is `Sync`, as std's mapped guards are, and when the whole value `T` is `Sync` too: every
/// deref runs the projection on `&T` again (std's guard keeps a pointer to the part, which
/// takes `unsafe`), so sharing the guard shares `&T` with the projection. A guard mapped to a
/// part that is not `Sync` (a `Cell` in a `Sync` value) cannot be shared between threads.
#[must_use = "the value is unlocked again as soon as the guard is dropped"]
pub struct MappedReadGuard<'a, T, U: ?Sized, F: Flavor = DefaultFlavor> {
    guard: ReadGuard<'a, T, F>,
    project: fn(&T) -> &U,
    /// Lends `&'a U`: `Sync` only when `U` is (a `fn` pointer is `Sync` whatever it returns).
    _mapped: PhantomData<&'a U>,
}

impl<T, U: ?Sized, F: Flavor> Deref for MappedReadGuard<'_, T, U, F> {
    type Target = U;
    #[inline]
    fn deref(&self) -> &U {
        (self.project)(&self.guard)
    }
}

impl<T, U: ?Sized + fmt::Debug, F: Flavor> fmt::Debug for MappedReadGuard<'_, T, U, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl<T, U: ?Sized + fmt::Display, F: Flavor> fmt::Display for MappedReadGuard<'_, T, U, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&**self, f)
    }
}
