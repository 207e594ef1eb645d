//! The runtime of [sharecell](https://docs.rs/sharecell): flavours, per-field cells, guards and
//! the [`Shared`] trait. Depend on `sharecell`, which re-exports all of this together with
//! `#[derive(Shared)]`.
//!
//! Every type here takes a flavour parameter `F: Flavor` and has the same API in both flavours:
//!
//! | | [`LocalFlavor`] (one thread) | [`SyncFlavor`] (many threads) |
//! |---|---|---|
//! | the handle holds | `Rc` | `Arc` |
//! | [`Atom<T, F>`] (a `Copy` scalar) | `Cell<T>` | `Atomic*` (floats and `char` by bits) |
//! | [`RwLock<T, F>`] | `RefCell<T>` | `std::sync::RwLock<T>` |
//! | [`Mutex<T, F>`] | `RefCell<T>` | `std::sync::Mutex<T>` |
//! | [`Swap<T, F>`] (read-mostly) | `RefCell<Rc<T>>` | `arc_swap::ArcSwap<T>` |
//! | [`Once<T, F>`] (set once) | `core::cell::OnceCell<T>` | `std::sync::OnceLock<T>` |
//! | weak handle ([`WeakHandle`]) | `rc::Weak` | `sync::Weak` |
//!
//! [`DefaultFlavor`] is `LocalFlavor`, or `SyncFlavor` when the feature `sync` is on. Several lock fields, of
//! one handle or many, are taken together with [`lock_all`] / [`try_lock_all`], in one lock
//! order for the whole crate; locks found while walking a structure are taken one by one, in
//! any order, inside a [`transaction`].
//!
//! A map of the source, one line per file, is `docs/layout.md` in the repository.
#![forbid(unsafe_code)]
#![warn(missing_docs, unreachable_pub)]

mod atom;
mod backend;
mod debug;
mod error;
mod field;
pub mod flavor;
mod guard;
mod handle;
mod kinds;
mod lock;
mod lock_all;
#[cfg(all(debug_assertions, not(loom)))]
mod lock_graph;
#[cfg(loom)]
mod loom_arc;
#[cfg(loom)]
mod loom_lock;
mod mutex;
mod once;
mod order;
mod reentrancy;
mod rwlock;
#[cfg(feature = "serde")]
mod save;
#[cfg(feature = "serde")]
mod serde_impls;
mod std_traits;
mod swap;
mod transaction;
mod value;

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;

pub use crate::atom::{Atom, AtomMut};
pub use crate::error::TryLockError;
pub use crate::flavor::{DefaultFlavor, Flavor, LocalFlavor, SyncFlavor};
pub use crate::guard::{MappedReadGuard, MutexGuard, ReadGuard, WriteGuard};
/// The trait [`Shared`] under its earlier name: `use sharecell::Handle` and `H: Handle` keep
/// compiling, and mean the same trait.
pub use crate::handle::Shared as Handle;
pub use crate::handle::{ById, Shared, Snapshot, Upgrade, WeakHandle};
pub use crate::lock_all::{
    lock_all, try_lock_all, LockRequest, LockRequests, ReadRequest, Request, WriteRequest,
};
pub use crate::mutex::Mutex;
pub use crate::once::Once;
pub use crate::rwlock::RwLock;
pub use crate::swap::{Swap, SwapGuard, SwapPtr};
pub use crate::transaction::{transaction, Restart, Transaction, TxGuard};
pub use crate::value::{AtomicArith, AtomicBitwise, AtomicInteger, AtomicScalar, AtomicValue};
