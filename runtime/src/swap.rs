//! `Swap<T, F>`: a read-mostly field, replaced whole and read without blocking. An `Rc<T>` in a
//! `RefCell` in the `LocalFlavor`, read-copy-update on `arc-swap` in the `SyncFlavor`.
//!
//! The public type, its guard and its `Field` impl; what it is made of in each flavour is
//! `kinds/swap.rs`.

use core::fmt;
use core::marker::PhantomData;
use core::ops::Deref;

use crate::field::Field;
use crate::flavor::{DefaultFlavor, Flavor};
use crate::kinds::SwapKind;

/// A field that is replaced whole and read without blocking: `#[shared(swap)]`. Made for data
/// read on every request and written rarely (configuration, routing tables, feature flags).
///
/// [`load`](Self::load) never blocks and, in the `SyncFlavor`, writes no memory that other
/// readers read (read-copy-update with `arc-swap`), so readers on different cores do not slow
/// each other down as they do on an [`RwLock`](crate::RwLock)'s reader count. A writer
/// replaces the value whole with [`store`](Self::store), [`swap`](Self::swap) or
/// [`rcu`](Self::rcu); readers that loaded the old value keep it for as long as they hold it.
///
/// | | `LocalFlavor` | `SyncFlavor` |
/// |---|---|---|
/// | storage | `RefCell<Rc<T>>` | `arc_swap::ArcSwap<T>` |
/// | [`load_full`](Self::load_full) gives | `Rc<T>` | `Arc<T>` |
///
/// ```
/// use sharecell::{Shared, SyncFlavor};
/// # if sharecell::__private::LOOM { return; } // loom's primitives work inside loom::model only
///
/// #[derive(Clone, Debug, PartialEq)]
/// struct Routes {
///     paths: Vec<String>,
/// }
///
/// #[derive(Shared)]
/// struct Server {
///     #[shared(swap)]
///     routes: Routes,
/// }
///
/// let server = ServerHandle::<SyncFlavor>::new_sync(Server {
///     routes: Routes { paths: vec!["/".into()] },
/// });
/// let before = server.routes().load_full(); // stays valid
/// server.routes().rcu(|r| {
///     let mut r = r.clone();
///     r.paths.push("/about".into());
///     r
/// });
/// assert_eq!(server.routes().load().paths, ["/", "/about"]);
/// assert_eq!(before.paths, ["/"]);
/// ```
pub struct Swap<T, F: Flavor = DefaultFlavor> {
    cell: F::Swap<T>,
    _flavor: PhantomData<F>,
}

/// The guard of [`Swap::load`]: the value as it was when loaded, for as long as the guard lives
/// (a later store does not change it). Cheap to take; hold it briefly, and use
/// [`Swap::load_full`] for a pointer to keep.
pub struct SwapGuard<T, F: Flavor = DefaultFlavor> {
    inner: <F::Swap<T> as SwapKind<T>>::Guard,
}

impl<T, F: Flavor> Deref for SwapGuard<T, F> {
    type Target = T;
    #[inline]
    fn deref(&self) -> &T {
        &self.inner
    }
}

impl<T: fmt::Debug, F: Flavor> fmt::Debug for SwapGuard<T, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

/// The owned pointer of a [`Swap`] field: `Rc<T>` (`LocalFlavor`) or `Arc<T>` (`SyncFlavor`).
pub type SwapPtr<T, F = DefaultFlavor> = <<F as Flavor>::Swap<T> as SwapKind<T>>::Ptr;

impl<T, F: Flavor> Swap<T, F> {
    /// A new field holding `value`.
    #[inline]
    pub fn new(value: T) -> Self {
        Swap {
            cell: SwapKind::new(value),
            _flavor: PhantomData,
        }
    }

    /// The current value, without blocking and (`SyncFlavor`) without writing to memory that
    /// other readers share. The guard keeps the value it loaded, whatever is stored later.
    #[inline]
    #[doc(alias = "read")]
    pub fn load(&self) -> SwapGuard<T, F> {
        SwapGuard {
            inner: self.cell.load(),
        }
    }

    /// The current value as an owned pointer (`Rc<T>` or `Arc<T>`) that stays valid after later
    /// stores. Costs a reference-count increment, which readers on different cores contend on:
    /// prefer [`load`](Self::load) on hot paths.
    #[inline]
    #[must_use]
    pub fn load_full(&self) -> SwapPtr<T, F> {
        self.cell.load_full()
    }

    /// Replaces the value. Readers that loaded the old one keep it until they drop it.
    #[inline]
    pub fn store(&self, value: T) {
        drop(self.cell.swap(value));
    }

    /// Replaces the value and returns the previous one.
    #[inline]
    pub fn swap(&self, value: T) -> SwapPtr<T, F> {
        self.cell.swap(value)
    }

    /// Read-copy-update: stores `f(current)`, and returns the value it replaced. In the
    /// `SyncFlavor`, when another writer stores in between, `f` runs again on the newer value, so
    /// no update is lost; keep `f` free of side effects, and never store to this same field
    /// from inside `f`: the `SyncFlavor` would then retry for ever, and the `LocalFlavor` would
    /// overwrite that store.
    #[inline]
    pub fn rcu(&self, f: impl FnMut(&T) -> T) -> SwapPtr<T, F> {
        self.cell.rcu(f)
    }

    /// Consumes the field and returns its value as an owned pointer.
    #[inline]
    pub fn into_ptr(self) -> SwapPtr<T, F> {
        self.cell.into_ptr()
    }

    /// Consumes the field and returns its value: moved out when no reader still holds it,
    /// cloned otherwise.
    #[inline]
    pub fn into_inner(self) -> T
    where
        T: Clone,
    {
        <F::Swap<T> as SwapKind<T>>::unwrap_or_clone(self.cell.into_ptr())
    }
}

impl<T: Default, F: Flavor> Default for Swap<T, F> {
    fn default() -> Self {
        Swap::new(T::default())
    }
}

impl<T, F: Flavor> From<T> for Swap<T, F> {
    fn from(value: T) -> Self {
        Swap::new(value)
    }
}

/// Prints the current value alone, like the other field types; never blocks.
impl<T: fmt::Debug, F: Flavor> fmt::Debug for Swap<T, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.load(), f)
    }
}

/// How the derive stores and takes apart a field of this kind (see [`Field`]).
impl<T: Clone, F: Flavor> Field for Swap<T, F> {
    type Value = T;
    type Held<'a>
        = SwapGuard<T, F>
    where
        T: 'a;
    #[inline]
    fn from_value(value: T) -> Self {
        Swap::new(value)
    }
    /// Moved out when no reader still holds the value, cloned otherwise: a handle can be taken
    /// apart while a reader keeps what it loaded.
    #[inline]
    fn into_value(self) -> T {
        self.into_inner()
    }
    #[inline]
    fn hold(&self) -> SwapGuard<T, F> {
        self.load()
    }
}
