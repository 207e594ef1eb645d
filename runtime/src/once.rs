//! `Once<T, F>`: a field set at most once. `core::cell::OnceCell` in the `LocalFlavor`,
//! `std::sync::OnceLock` in the `SyncFlavor`.
//!
//! The public type and its `Field` impl; what it is made of in each flavour is
//! `kinds/once.rs`.

use core::fmt;
use core::marker::PhantomData;

use crate::field::Field;
use crate::flavor::{DefaultFlavor, Flavor};
use crate::kinds::OnceKind;

/// A field that is set at most once: `#[shared(once)]` on a field of type `Option<T>`. For a
/// start time, a digest computed on first use, a back link bound late. Once set, reading it
/// takes no lock at all and hands out a plain `&T`.
///
/// The struct's value initialises it: `Some(v)` is set already, `None` waits for
/// [`set`](Self::set) or [`get_or_init`](Self::get_or_init). `snapshot`, `Debug`, `try_unwrap`
/// and `into_inner` see it as the `Option<T>` it was declared as.
///
/// ```
/// use sharecell::{Shared, SyncFlavor};
/// # if sharecell::__private::LOOM { return; } // loom's primitives work inside loom::model only
///
/// #[derive(Shared)]
/// struct Upload {
///     #[shared(once)]
///     digest: Option<u64>,
/// }
///
/// let upload = UploadHandle::<SyncFlavor>::new_sync(Upload { digest: None });
/// assert_eq!(upload.digest().get(), None);
/// assert_eq!(*upload.digest().get_or_init(|| 42), 42);
/// assert_eq!(upload.digest().set(7), Err(7), "set once only");
/// assert_eq!(UploadHandle::snapshot(&upload).digest, Some(42));
/// ```
pub struct Once<T, F: Flavor = DefaultFlavor> {
    cell: F::Once<T>,
    _flavor: PhantomData<F>,
}

impl<T, F: Flavor> Once<T, F> {
    /// A new field, set when `value` is `Some`.
    #[inline]
    pub fn new(value: Option<T>) -> Self {
        let cell = F::Once::<T>::default();
        if let Some(value) = value {
            // A new cell is empty: this cannot fail.
            let _ = cell.set(value);
        }
        Once {
            cell,
            _flavor: PhantomData,
        }
    }

    /// The value, if it is set. Never blocks.
    #[inline]
    #[must_use]
    pub fn get(&self) -> Option<&T> {
        self.cell.get()
    }

    /// Sets the value if it is not set yet.
    ///
    /// # Errors
    ///
    /// Returns `value` back when the field is set already (also by a racing thread: exactly one
    /// `set` wins).
    #[inline]
    pub fn set(&self, value: T) -> Result<(), T> {
        self.cell.set(value)
    }

    /// The value, set to `f()` first if it is not set yet. `SyncFlavor`: when several threads
    /// race, one runs `f` and the others wait for its value.
    ///
    /// # Panics
    ///
    /// When `f` panics (the field stays unset). `LocalFlavor`: when `f` itself initialises this
    /// field (std's `OnceCell` refuses re-entrant initialisation); in the `SyncFlavor` that
    /// deadlocks, as with std's `OnceLock`.
    #[inline]
    #[track_caller]
    pub fn get_or_init(&self, f: impl FnOnce() -> T) -> &T {
        self.cell.get_or_init(f)
    }

    /// The value, through `&mut self`.
    #[inline]
    pub fn get_mut(&mut self) -> Option<&mut T> {
        self.cell.get_mut()
    }

    /// Consumes the field and returns its value, if set.
    #[inline]
    pub fn into_inner(self) -> Option<T> {
        self.cell.into_inner()
    }
}

impl<T, F: Flavor> Default for Once<T, F> {
    /// An unset field.
    fn default() -> Self {
        Once::new(None)
    }
}

impl<T, F: Flavor> From<Option<T>> for Once<T, F> {
    fn from(value: Option<T>) -> Self {
        Once::new(value)
    }
}

/// Prints like the `Option<T>` it was declared as: `Some(value)` or `None`.
impl<T: fmt::Debug, F: Flavor> fmt::Debug for Once<T, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.get(), f)
    }
}

/// How the derive stores and takes apart a field of this kind (see [`Field`]).
impl<T, F: Flavor> Field for Once<T, F> {
    type Value = Option<T>;
    type Held<'a>
        = Option<&'a T>
    where
        T: 'a;
    #[inline]
    fn from_value(value: Option<T>) -> Self {
        Once::new(value)
    }
    #[inline]
    fn into_value(self) -> Option<T> {
        self.into_inner()
    }
    #[inline]
    fn hold(&self) -> Option<&T> {
        self.get()
    }
}
