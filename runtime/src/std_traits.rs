//! The std traits that `Cell` and `RefCell` have, on every cell: `Clone` (a new, independent
//! cell holding a clone of the value), `PartialEq`, `Eq`, `PartialOrd` and `Ord` (of the
//! values), each when the value has it. (`Default` and `From` are next to each type.)
//!
//! `RwLock` and `Mutex` read through their ordinary guards, with every check those make: a
//! guard of this thread in the way panics at the caller's line in the `LocalFlavor`, as
//! `RefCell` does, and is waited for in the `SyncFlavor` (debug builds: a wait that could never
//! end panics instead). Two different locks are taken together by `lock_all`, in the crate's one
//! lock order, so `a == b` on one thread and `b == a` on another cannot deadlock; a lock
//! compared with itself is read once.

use core::cmp::Ordering;

use crate::atom::Atom;
use crate::field::Copied;
use crate::flavor::Flavor;
use crate::lock_all::lock_all;
use crate::mutex::Mutex;
use crate::once::Once;
use crate::rwlock::RwLock;
use crate::swap::Swap;
use crate::value::AtomicValue;

/// `Clone` and the comparisons of a cell read without any lock: `Atom`, `Swap` and `Once`.
/// `$view` (an expression of `$c`, the cell) derefs to what is compared, `$clone` is the clone.
macro_rules! value_traits {
    ($cell:ident<T $(: $bound:path)?>, |$c:ident| $view:expr, $clone:expr) => {
        /// A new, independent cell holding a copy (clone) of the value.
        impl<T: Clone $(+ $bound)?, F: Flavor> Clone for $cell<T, F> {
            #[inline]
            fn clone(&self) -> Self {
                let $c = self;
                $clone
            }
        }

        /// Compares the values.
        impl<T: PartialEq $(+ $bound)?, F: Flavor> PartialEq for $cell<T, F> {
            #[inline]
            fn eq(&self, other: &Self) -> bool {
                *{ let $c = self; $view } == *{ let $c = other; $view }
            }
        }

        impl<T: Eq $(+ $bound)?, F: Flavor> Eq for $cell<T, F> {}

        /// Compares the values.
        impl<T: PartialOrd $(+ $bound)?, F: Flavor> PartialOrd for $cell<T, F> {
            #[inline]
            fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
                PartialOrd::partial_cmp(&*{ let $c = self; $view }, &*{ let $c = other; $view })
            }
        }

        /// Compares the values.
        impl<T: Ord $(+ $bound)?, F: Flavor> Ord for $cell<T, F> {
            #[inline]
            fn cmp(&self, other: &Self) -> Ordering {
                Ord::cmp(&*{ let $c = self; $view }, &*{ let $c = other; $view })
            }
        }
    };
}

value_traits!(Atom<T: AtomicValue>, |c| Copied(c.get()), Atom::new(c.get()));
value_traits!(Swap<T>, |c| c.load(), Swap::new(T::clone(&c.load())));
// Compared as the `Option<&T>` of `get`, as std's `OnceCell` is.
value_traits!(Once<T>, |c| Copied(c.get()), Once::new(c.get().cloned()));

/// `Clone` and the comparisons of a lock whose shared guard is `$shared` and whose `lock_all`
/// request for it is `$request`: `RwLock` and `Mutex`.
macro_rules! lock_traits {
    ($lock:ident, $shared:ident, $request:ident) => {
        impl<T, F: Flavor> $lock<T, F> {
            /// `f` of both values, each read under a shared guard: `self` and `other` taken
            /// together by `lock_all` (in the lock order), or once when they are one lock.
            #[inline]
            #[track_caller]
            fn with_both<R>(&self, other: &Self, f: impl FnOnce(&T, &T) -> R) -> R {
                if core::ptr::eq(self, other) {
                    let value = self.$shared();
                    return f(&value, &value);
                }
                let (a, b) = lock_all((self.$request(), other.$request()));
                f(&a, &b)
            }
        }

        /// A new, independent lock holding a clone of the value, read under a shared guard.
        ///
        /// # Panics
        ///
        #[doc = concat!("As [`", stringify!($lock), "::", stringify!($shared), "`].")]
        impl<T: Clone, F: Flavor> Clone for $lock<T, F> {
            #[inline]
            #[track_caller]
            fn clone(&self) -> Self {
                $lock::new(self.get_cloned())
            }
        }

        /// Compares the values, each read under a shared guard (both taken together, in the
        /// lock order).
        ///
        /// # Panics
        ///
        #[doc = concat!("As [`lock_all`] of two [`", stringify!($lock), "::", stringify!($request), "`] requests.")]
        impl<T: PartialEq, F: Flavor> PartialEq for $lock<T, F> {
            #[inline]
            #[track_caller]
            fn eq(&self, other: &Self) -> bool {
                self.with_both(other, |a, b| a == b)
            }
        }

        impl<T: Eq, F: Flavor> Eq for $lock<T, F> {}

        /// Compares the values, each read under a shared guard (both taken together, in the
        /// lock order).
        ///
        /// # Panics
        ///
        #[doc = concat!("As [`lock_all`] of two [`", stringify!($lock), "::", stringify!($request), "`] requests.")]
        impl<T: PartialOrd, F: Flavor> PartialOrd for $lock<T, F> {
            #[inline]
            #[track_caller]
            fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
                self.with_both(other, T::partial_cmp)
            }
        }

        /// Compares the values, each read under a shared guard (both taken together, in the
        /// lock order).
        ///
        /// # Panics
        ///
        #[doc = concat!("As [`lock_all`] of two [`", stringify!($lock), "::", stringify!($request), "`] requests.")]
        impl<T: Ord, F: Flavor> Ord for $lock<T, F> {
            #[inline]
            #[track_caller]
            fn cmp(&self, other: &Self) -> Ordering {
                self.with_both(other, T::cmp)
            }
        }
    };
}

lock_traits!(RwLock, read, for_read);
lock_traits!(Mutex, lock, for_lock);
