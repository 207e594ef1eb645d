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

#[doc = include_str!("derive.md")]
pub use sharecell_macros::Shared;
pub use sharecell_runtime::*;

/// The README's code blocks, compiled and run as doc tests so they cannot go stale.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
mod readme {}
