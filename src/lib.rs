//! # sharecell
//!
//! One plain struct, `#[derive(Shared)]`, and you get a cheap-to-clone **handle** with one
//! accessor per field, in a single-threaded flavour or a thread-safe one, with the same API.
//!
//! ```
//! use sharecell::Shared;
//!
//! #[derive(Shared)]
//! struct Account {
//!     balance: i64,        // a scalar: an `Atom` (Cell / atomic)
//!     owner: String,       // anything else: an `RwLock` (RefCell / RwLock)
//!     #[shared(mutex)]
//!     log: Vec<String>,    // a `Mutex` (RefCell / Mutex)
//!     #[shared(readonly)]
//!     id: u64,             // never changes: plain `&u64`
//! }
//!
//! let account = AccountHandle::new_sync(Account {
//!     balance: 100,
//!     owner: "ada".into(),
//!     log: Vec::new(),
//!     id: 7,
//! });
//! let clone = account.clone(); // an `Arc` clone
//! std::thread::spawn(move || {
//!     clone.balance().fetch_sub(30);
//!     clone.log().lock().push("withdrew 30".into());
//! })
//! .join()
//! .unwrap();
//! assert_eq!(account.balance().get(), 70);
//! assert_eq!(account.log().get_cloned(), ["withdrew 30"]);
//! assert_eq!(*account.id(), 7);
//! ```
//!
//! An invariant across fields or handles (a transfer between two accounts) takes their locks
//! together with [`lock_all`], which cannot deadlock with another `lock_all` or a `snapshot`.
//!
//! See the [README](https://example.invalid/sharecell) for the flavour table, the attributes and
//! the guarantees; [`Shared`] documents every attribute.
#![forbid(unsafe_code)]
#![warn(missing_docs, unreachable_pub)]

/// Derives [`AtomicValue`](trait@AtomicValue), so that an [`Atom`] (a `#[shared(atomic)]` field)
/// can hold the type: a fieldless enum, stored as its discriminant, or a newtype (a struct
/// with one field) over an atomic value, stored as that field. The type must be `Copy` and
/// `Debug`.
///
/// ```
/// use sharecell::{AtomicValue, Shared};
///
/// #[derive(Clone, Copy, Debug, PartialEq, AtomicValue)]
/// #[repr(u8)]
/// enum Phase {
///     Idle,
///     Running = 4,
///     Done,
/// }
///
/// #[derive(Clone, Copy, Debug, PartialEq, AtomicValue)]
/// struct Retries {
///     count: u16,
/// }
///
/// #[derive(Shared)]
/// struct Job {
///     #[shared(atomic)]
///     phase: Phase,
///     #[shared(atomic)]
///     retries: Retries,
/// }
///
/// let job = JobHandle::new(Job { phase: Phase::Idle, retries: Retries { count: 0 } });
/// assert_eq!(job.phase().compare_exchange(Phase::Idle, Phase::Running), Ok(Phase::Idle));
/// job.retries().update(|r| Retries { count: r.count + 1 });
/// assert_eq!((job.phase().get(), job.retries().get().count), (Phase::Running, 1));
/// ```
///
/// An enum is stored in the integer of its `#[repr(..)]`, or without one in the smallest
/// integer that holds every discriminant (`isize` when a discriminant is not a literal).
/// Turning the integer back into a value compares it with each discriminant: no other number
/// ever becomes a value of the enum. The derive takes `#[shared(crate = path)]` when sharecell
/// is re-exported, as `#[derive(Shared)]` does. Variants with data, structs with several
/// fields and unions are errors: keep such types behind a lock (`#[shared(rwlock)]`).
pub use sharecell_macros::AtomicValue;
#[doc = include_str!("derive.md")]
pub use sharecell_macros::Shared;
pub use sharecell_runtime::*;

/// The README's code blocks, compiled and run as doc tests so they cannot go stale.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
mod readme {}
