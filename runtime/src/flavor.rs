//! The two flavours and the trait that describes what each is made of.
//!
//! | | [`LocalFlavor`] (one thread) | [`SyncFlavor`] (many threads) |
//! |---|---|---|
//! | the handle holds | `Rc` | `Arc` |
//! | [`Atom`](crate::Atom) | `Cell<T>` | `Atomic*` (floats and `char` by bits) |
//! | [`RwLock`](crate::RwLock) | `RefCell<T>` | `std::sync::RwLock<T>` |
//! | [`Mutex`](crate::Mutex) | `RefCell<T>` | `std::sync::Mutex<T>` |
//! | weak handle | `rc::Weak` | `sync::Weak` |
//!
//! Everything on [`Flavor`] except [`Flavor::NAME`] is plumbing for this crate and for the code
//! the derive writes; it is hidden from the docs and not part of the public API.

use core::fmt;
use core::marker::PhantomData;
use core::ops::{Deref, DerefMut};

use crate::reentrancy::LockKey;
use crate::value::{AtomicArith, AtomicBitwise, AtomicInteger, AtomicValue};
use crate::TryLockError;

pub(crate) mod sealed {
    pub trait Sealed {}
}

/// The single-threaded flavour: `Rc`, `Cell` and `RefCell`.
///
/// Handles and cells of this flavour are `!Send` and `!Sync`: the compiler keeps them on the
/// thread that made them. A conflicting `read`/`write`/`lock` panics at the caller's line, the
/// way `RefCell::borrow_mut` does (debug builds also name where the guard in the way was
/// taken); the `try_*` methods return a [`TryLockError`] instead.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct LocalFlavor {
    // `*const ()` makes `LocalFlavor` (and through `PhantomData<F>`, every `LocalFlavor` cell) `!Send + !Sync`
    // even where the std type it wraps (`Cell<u64>`, `RefCell<String>`) would be `Send`.
    _not_thread_safe: PhantomData<*const ()>,
}

/// The thread-safe flavour: `Arc`, std atomics, `std::sync::RwLock` and `std::sync::Mutex`.
///
/// Handles of this flavour are `Send + Sync` exactly when their field types allow it. A
/// conflicting `read`/`write`/`lock` blocks until the other guard is dropped; the `try_*`
/// methods never block. Locks are never poisoned: a panic while a guard is held leaves the
/// field usable by everyone else. In debug builds, a thread that asks for a guard it would
/// wait for forever (it holds one in the way itself) panics, naming where it took the first
/// guard and where it asked for the second, instead of deadlocking; release builds have no
/// such check, and `SHARECELL_NO_REENTRANCY_CHECK=1` turns it off in debug builds.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct SyncFlavor {
    _private: (),
}

/// The flavour a handle gets when none is named: [`LocalFlavor`], or [`SyncFlavor`] when the crate feature
/// `sync` is on.
///
/// Cargo unifies features across a build, so another crate in the dependency graph may turn
/// `sync` on. Code keeps compiling either way as long as each value names its flavour either
/// always through the default (`AccountHandle`, `AccountHandle::new`) or always explicitly
/// (`AccountHandle<LocalFlavor>`, `AccountHandle::new_local`).
#[cfg(not(feature = "sync"))]
pub type DefaultFlavor = LocalFlavor;

/// The flavour a handle gets when none is named: [`LocalFlavor`], or [`SyncFlavor`] when the crate feature
/// `sync` is on (as it is in this build).
///
/// Cargo unifies features across a build, so another crate in the dependency graph may turn
/// `sync` on. Code keeps compiling either way as long as each value names its flavour either
/// always through the default (`AccountHandle`, `AccountHandle::new`) or always explicitly
/// (`AccountHandle<LocalFlavor>`, `AccountHandle::new_local`).
#[cfg(feature = "sync")]
pub type DefaultFlavor = SyncFlavor;

/// A flavour: what a handle and its fields are made of. Implemented by [`LocalFlavor`] and [`SyncFlavor`]
/// only (the trait is sealed).
///
/// The flavours are plain markers that implement `Clone`, `Copy`, `PartialEq`, `Eq`,
/// `PartialOrd`, `Ord`, `Hash`, `Default` and `Debug`, and the trait requires them, so std's
/// derives work on your own types that are generic over `F: Flavor`.
///
/// Write code generic over `F: Flavor` to let your users choose:
///
/// ```
/// use sharecell::{Atom, Flavor};
/// # if sharecell::__private::LOOM { return; } // loom's primitives work inside loom::model only
///
/// fn bump<F: Flavor>(counter: &Atom<u64, F>) -> u64 {
///     counter.fetch_add(1) + 1
/// }
///
/// assert_eq!(bump(&Atom::<u64, sharecell::LocalFlavor>::new(1)), 2);
/// assert_eq!(bump(&Atom::<u64, sharecell::SyncFlavor>::new(1)), 2);
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a sharecell flavour",
    label = "expected `sharecell::LocalFlavor` or `sharecell::SyncFlavor`",
    note = "the flavours are `sharecell::LocalFlavor`, `sharecell::SyncFlavor` and the alias `sharecell::DefaultFlavor`"
)]
pub trait Flavor:
    sealed::Sealed
    + Sized
    + 'static
    + Clone
    + Copy
    + PartialEq
    + Eq
    + PartialOrd
    + Ord
    + core::hash::Hash
    + Default
    + fmt::Debug
{
    /// The flavour's short name, `"Local"` or `"Sync"` (as in "the Local flavour").
    const NAME: &'static str;

    #[doc(hidden)]
    type Ptr<T>: Clone + Deref<Target = T>;
    #[doc(hidden)]
    type WeakPtr<T>: Clone;
    #[doc(hidden)]
    type AtomCell<T: AtomicValue>: AtomCell<T>;
    #[doc(hidden)]
    type RwCell<T>;
    #[doc(hidden)]
    type MutexCell<T>;
    #[doc(hidden)]
    type SwapCell<T>: crate::swap::SwapKind<T>;
    #[doc(hidden)]
    type OnceCell<T>: crate::once::OnceKind<T>;
    #[doc(hidden)]
    type ReadGuard<'a, T: 'a>: Deref<Target = T>;
    #[doc(hidden)]
    type WriteGuard<'a, T: 'a>: DerefMut<Target = T>;
    #[doc(hidden)]
    type MutexGuard<'a, T: 'a>: DerefMut<Target = T>;

    #[doc(hidden)]
    fn ptr_new<T>(value: T) -> Self::Ptr<T>;
    #[doc(hidden)]
    fn ptr_downgrade<T>(this: &Self::Ptr<T>) -> Self::WeakPtr<T>;
    #[doc(hidden)]
    fn ptr_eq<T>(a: &Self::Ptr<T>, b: &Self::Ptr<T>) -> bool;
    #[doc(hidden)]
    fn ptr_strong_count<T>(this: &Self::Ptr<T>) -> usize;
    #[doc(hidden)]
    fn ptr_weak_count<T>(this: &Self::Ptr<T>) -> usize;
    #[doc(hidden)]
    fn ptr_try_unwrap<T>(this: Self::Ptr<T>) -> Result<T, Self::Ptr<T>>;
    #[doc(hidden)]
    fn ptr_into_inner<T>(this: Self::Ptr<T>) -> Option<T>;
    #[doc(hidden)]
    fn weak_new<T>() -> Self::WeakPtr<T>;
    #[doc(hidden)]
    fn weak_upgrade<T>(this: &Self::WeakPtr<T>) -> Option<Self::Ptr<T>>;
    #[doc(hidden)]
    fn weak_ptr_eq<T>(a: &Self::WeakPtr<T>, b: &Self::WeakPtr<T>) -> bool;
    #[doc(hidden)]
    fn weak_strong_count<T>(this: &Self::WeakPtr<T>) -> usize;
    #[doc(hidden)]
    fn weak_weak_count<T>(this: &Self::WeakPtr<T>) -> usize;

    #[doc(hidden)]
    fn rw_new<T>(value: T) -> Self::RwCell<T>;
    #[doc(hidden)]
    #[track_caller]
    fn rw_read<T>(cell: &Self::RwCell<T>, key: LockKey) -> Self::ReadGuard<'_, T>;
    #[doc(hidden)]
    #[track_caller]
    fn rw_write<T>(cell: &Self::RwCell<T>, key: LockKey) -> Self::WriteGuard<'_, T>;
    #[doc(hidden)]
    #[cfg_attr(debug_assertions, track_caller)]
    fn rw_try_read<T>(
        cell: &Self::RwCell<T>,
        key: LockKey,
    ) -> Result<Self::ReadGuard<'_, T>, TryLockError>;
    #[doc(hidden)]
    #[cfg_attr(debug_assertions, track_caller)]
    fn rw_try_write<T>(
        cell: &Self::RwCell<T>,
        key: LockKey,
    ) -> Result<Self::WriteGuard<'_, T>, TryLockError>;
    #[doc(hidden)]
    fn rw_into_inner<T>(cell: Self::RwCell<T>) -> T;
    #[doc(hidden)]
    fn rw_get_mut<T>(cell: &mut Self::RwCell<T>) -> &mut T;

    #[doc(hidden)]
    fn mutex_new<T>(value: T) -> Self::MutexCell<T>;
    #[doc(hidden)]
    #[track_caller]
    fn mutex_lock<T>(cell: &Self::MutexCell<T>, key: LockKey) -> Self::MutexGuard<'_, T>;
    #[doc(hidden)]
    #[cfg_attr(debug_assertions, track_caller)]
    fn mutex_try_lock<T>(
        cell: &Self::MutexCell<T>,
        key: LockKey,
    ) -> Result<Self::MutexGuard<'_, T>, TryLockError>;
    #[doc(hidden)]
    fn mutex_into_inner<T>(cell: Self::MutexCell<T>) -> T;
    #[doc(hidden)]
    fn mutex_get_mut<T>(cell: &mut Self::MutexCell<T>) -> &mut T;
}

/// The storage of an [`Atom`](crate::Atom) in one flavour (`Cell<T>` or the std atomic).
/// Not public API.
#[doc(hidden)]
pub trait AtomCell<T: AtomicValue>: Sized {
    fn new(value: T) -> Self;
    fn load(&self) -> T;
    fn store(&self, value: T);
    fn swap(&self, value: T) -> T;
    fn compare_exchange(&self, current: T, new: T) -> Result<T, T>;
    /// Applies `f` until it sticks; returns `(previous, new)`.
    fn update(&self, f: impl FnMut(T) -> T) -> (T, T);
    fn into_inner(self) -> T;
    fn fetch_add(&self, value: T) -> T
    where
        T: AtomicArith;
    fn fetch_sub(&self, value: T) -> T
    where
        T: AtomicArith;
    fn fetch_and(&self, value: T) -> T
    where
        T: AtomicBitwise;
    fn fetch_or(&self, value: T) -> T
    where
        T: AtomicBitwise;
    fn fetch_xor(&self, value: T) -> T
    where
        T: AtomicBitwise;
    fn fetch_max(&self, value: T) -> T
    where
        T: AtomicInteger;
    fn fetch_min(&self, value: T) -> T
    where
        T: AtomicInteger;
}

impl fmt::Debug for LocalFlavor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("LocalFlavor")
    }
}

impl fmt::Debug for SyncFlavor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SyncFlavor")
    }
}
