//! The two flavours and the trait that describes what each is made of.
//!
//! | | [`LocalFlavor`] (one thread) | [`SyncFlavor`] (many threads) |
//! |---|---|---|
//! | the handle holds | `Rc` | `Arc` |
//! | [`Atom`](crate::Atom) | `Cell<T>` | `Atomic*` (floats and `char` by bits) |
//! | [`RwLock`](crate::RwLock) | `RefCell<T>` | `std::sync::RwLock<T>` |
//! | [`Mutex`](crate::Mutex) | `RefCell<T>` | `std::sync::Mutex<T>` |
//! | [`Swap`](crate::Swap) | `RefCell<Rc<T>>` | `arc_swap::ArcSwap<T>` |
//! | [`Once`](crate::Once) | `OnceCell<T>` | `std::sync::OnceLock<T>` |
//! | weak handle | `rc::Weak` | `sync::Weak` |
//!
//! A flavour is a family of types, one per storage kind: [`Flavor`] names them (hidden, not
//! public API) with one pattern, `type X<T>: XKind<T>`, where `X` is the public type and
//! `XKind` its small trait in `kinds/`, implemented on the std types themselves. Adding a kind
//! is a trait in `kinds/`, one associated type here, the public type's file, and a key in the
//! derive's attribute table.

use core::cell::{Cell, RefCell};
use core::fmt;
use core::marker::PhantomData;
use std::rc::Rc;

use crate::backend;
use crate::kinds::{AtomKind, MutexKind, OnceKind, PtrKind, RwLockKind, SwapKind, SyncAtom};
use crate::value::AtomicValue;

pub(crate) mod sealed {
    pub trait Sealed {}

    /// With the feature `serde`: `Serialize`, which the flavours implement (serde_impls.rs), so
    /// generic code over `F: Flavor` serializes handles without a bound of its own. Not
    /// `Deserialize`: a supertrait `for<'de> Deserialize<'de>` would clash with the
    /// `F: Deserialize<'de>` that serde's derive adds (error E0283). Without the feature: nothing.
    #[cfg(feature = "serde")]
    pub trait Serde: serde::Serialize {}
    #[cfg(feature = "serde")]
    impl<T: serde::Serialize> Serde for T {}

    #[cfg(not(feature = "serde"))]
    pub trait Serde {}
    #[cfg(not(feature = "serde"))]
    impl<T> Serde for T {}
}

/// The single-threaded flavour: `Rc`, `Cell` and `RefCell`.
///
/// Handles and cells of this flavour are `!Send` and `!Sync`: the compiler keeps them on the
/// thread that made them. A conflicting `read`/`write`/`lock` panics at the caller's line, the
/// way `RefCell::borrow_mut` does (debug builds also name where the guard in the way was
/// taken); the `try_*` methods return a [`TryLockError`](crate::TryLockError) instead.
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
/// derives work on your own types that are generic over `F: Flavor`. With the feature `serde`
/// they also implement `Serialize` and `Deserialize` (as units), so serde's derives work on
/// such types without a `#[serde(bound = ...)]`; the trait requires `Serialize` too, so generic
/// code serializes them without a bound (deserializing generic code names
/// `F: serde::de::DeserializeOwned`).
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
    + sealed::Serde
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

    /// The pointer a handle holds: `Rc` or `Arc`.
    #[doc(hidden)]
    type Ptr<T>: PtrKind<T>;
    /// An [`Atom`](crate::Atom)'s storage: `Cell` or a std atomic.
    #[doc(hidden)]
    type Atom<T: AtomicValue>: AtomKind<T>;
    /// An [`RwLock`](crate::RwLock)'s storage: `RefCell` or `std::sync::RwLock`.
    #[doc(hidden)]
    type RwLock<T>: RwLockKind<T>;
    /// A [`Mutex`](crate::Mutex)'s storage: `RefCell` or `std::sync::Mutex`.
    #[doc(hidden)]
    type Mutex<T>: MutexKind<T>;
    /// A [`Swap`](crate::Swap)'s storage: `RefCell<Rc<T>>` or `ArcSwap<T>`.
    #[doc(hidden)]
    type Swap<T>: SwapKind<T>;
    /// A [`Once`](crate::Once)'s storage: `core::cell::OnceCell` or `OnceLock`.
    #[doc(hidden)]
    type Once<T>: OnceKind<T>;
}

impl sealed::Sealed for LocalFlavor {}

impl Flavor for LocalFlavor {
    const NAME: &'static str = "Local";
    type Ptr<T> = Rc<T>;
    type Atom<T: AtomicValue> = Cell<T>;
    type RwLock<T> = RefCell<T>;
    type Mutex<T> = RefCell<T>;
    type Swap<T> = RefCell<Rc<T>>;
    type Once<T> = core::cell::OnceCell<T>;
}

impl sealed::Sealed for SyncFlavor {}

/// Poisoning is ignored on purpose (rwlock.rs, mutex.rs): a panic while a guard is held must
/// not make the field unusable for every other thread. In the loom build the pointer, atomics
/// and locks are loom's (backend.rs); `swap` and `once` stay std's, unmodelled.
impl Flavor for SyncFlavor {
    const NAME: &'static str = "Sync";
    type Ptr<T> = backend::Arc<T>;
    type Atom<T: AtomicValue> = SyncAtom<T>;
    type RwLock<T> = backend::RwLock<T>;
    type Mutex<T> = backend::Mutex<T>;
    type Swap<T> = arc_swap::ArcSwap<T>;
    type Once<T> = std::sync::OnceLock<T>;
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
