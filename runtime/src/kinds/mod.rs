//! What each storage kind is made of in each flavour: one small trait per kind, implemented on
//! the std (and `arc-swap`) types themselves. These are the leaves of the crate: they know
//! nothing of flavours, guards or handles. A flavour ([`Flavor`](crate::Flavor)) picks one type
//! per trait; the public types (`Atom`, `RwLock`, ...) are written once over the trait.
//!
//! | trait | `LocalFlavor` | `SyncFlavor` |
//! |---|---|---|
//! | [`PtrKind`] | `Rc` | `Arc` |
//! | [`AtomKind`] | `Cell<T>` | [`SyncAtom<T>`] (a std atomic) |
//! | [`RwLockKind`] | `RefCell<T>` | `std::sync::RwLock<T>` |
//! | [`MutexKind`] | `RefCell<T>` | `std::sync::Mutex<T>` |
//! | [`SwapKind`] | `RefCell<Rc<T>>` | `arc_swap::ArcSwap<T>` |
//! | [`OnceKind`] | `core::cell::OnceCell<T>` | `std::sync::OnceLock<T>` |
//!
//! The traits are public (flavours name them in their bounds) but hidden: not public API.

mod atom;
mod mutex;
mod once;
mod ptr;
mod rwlock;
mod swap;

pub(crate) use self::atom::{AtomKind, SyncAtom};
pub(crate) use self::mutex::MutexKind;
pub(crate) use self::once::OnceKind;
pub use self::ptr::PtrKind;
pub(crate) use self::rwlock::RwLockKind;
pub(crate) use self::swap::SwapKind;

use crate::backend::{PoisonError, StdTryLockError};

/// A poisoned guard (or value) is still a guard: sharecell never poisons.
#[inline]
pub(crate) fn unpoison<G>(result: Result<G, PoisonError<G>>) -> G {
    result.unwrap_or_else(PoisonError::into_inner)
}

/// A std `try_*` result as ours: a poisoned guard is still a guard (sharecell never poisons).
#[inline]
pub(crate) fn unpoison_try<G>(result: Result<G, StdTryLockError<G>>) -> Option<G> {
    match result {
        Ok(guard) => Some(guard),
        Err(StdTryLockError::Poisoned(poisoned)) => Some(PoisonError::into_inner(poisoned)),
        Err(StdTryLockError::WouldBlock) => None,
    }
}
