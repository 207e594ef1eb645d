//! The traits every generated handle implements, and the weak handle they share.

use core::fmt;

use crate::field::{Mode, Stop};
use crate::flavor::Flavor;
use crate::kinds::PtrKind;

/// The pointer a handle of type `H` holds (`Rc` or `Arc` around its fields).
type PtrOf<H> = <<H as Shared>::Flavor as Flavor>::Ptr<<H as Shared>::__Storage>;
/// The weak pointer to the same.
type WeakPtrOf<H> = <PtrOf<H> as PtrKind<<H as Shared>::__Storage>>::Weak;

/// What every handle made by `#[derive(Shared)]` is: a cheap-to-clone pointer to the fields of
/// its data type. Lets generic code work over any generated handle.
///
/// The trait has the derive's name, as `serde::Serialize` does: `use sharecell::Shared;` brings
/// both, and with it in scope, every handle answers to the functions below as its own
/// (`AccountHandle::downgrade(&h)`, `AccountHandle::snapshot(&h)`). They are associated
/// functions, not methods, the way `Rc::downgrade(&rc)` is, so they never shadow a field
/// accessor; a field of the same name shadows the function instead, which is then still
/// `Shared::downgrade(&h)`. [`Handle`](crate::Handle) is the same trait under its earlier name.
///
/// Implemented by the derive only; the hidden items are not public API.
///
/// ```
/// use sharecell::Shared;
///
/// #[derive(Shared)]
/// struct Counter {
///     hits: u64,
/// }
///
/// let c = CounterHandle::new(Counter { hits: 0 });
/// let weak = CounterHandle::downgrade(&c);
/// assert_eq!(CounterHandle::strong_count(&c), 1);
/// assert!(CounterHandle::ptr_eq(&c, &weak.upgrade().unwrap()));
///
/// // Generic code names the trait.
/// fn share<H: Shared>(h: &H) -> (H, usize) {
///     let other = h.clone();
///     (other, H::strong_count(h))
/// }
///
/// let c = CounterHandle::new(Counter { hits: 0 });
/// let (c2, count) = share(&c);
/// assert_eq!(count, 2);
/// c2.hits().fetch_add(1);
/// assert_eq!(c.hits().get(), 1);
/// ```
pub trait Shared: Clone + Sized {
    /// The plain struct the handle was derived from.
    type Data;
    /// The flavour, [`LocalFlavor`](crate::LocalFlavor) or [`SyncFlavor`](crate::SyncFlavor).
    type Flavor: Flavor;
    /// The weak handle: always [`WeakHandle<Self>`], which [`downgrade`](Shared::downgrade)
    /// returns. Generic code can write either.
    type Weak: Upgrade<Strong = Self>;
    /// The fields' storage, one struct of cells. Not public API.
    #[doc(hidden)]
    type __Storage;
    #[doc(hidden)]
    fn __ptr(this: &Self) -> &PtrOf<Self>;
    #[doc(hidden)]
    fn __from_ptr(ptr: PtrOf<Self>) -> Self;
    #[doc(hidden)]
    fn __into_data(storage: Self::__Storage) -> Self::Data;

    /// A weak handle to the same value (like `Rc::downgrade`): a [`WeakHandle<Self>`], which
    /// each derived handle also names `WeakXHandle`.
    #[inline]
    #[must_use]
    fn downgrade(this: &Self) -> WeakHandle<Self> {
        WeakHandle {
            ptr: PtrKind::downgrade(Self::__ptr(this)),
        }
    }

    /// Whether the two handles point to the same value (like `Rc::ptr_eq`).
    #[must_use]
    #[inline]
    fn ptr_eq(a: &Self, b: &Self) -> bool {
        PtrKind::ptr_eq(Self::__ptr(a), Self::__ptr(b))
    }

    /// The address of the shared value (like `Rc::as_ptr`): the handle's identity, equal for
    /// every clone of one handle and different for different values alive at the same time.
    /// [`ById`] uses it to put handles in sets and maps.
    #[must_use]
    #[inline]
    fn as_ptr(this: &Self) -> *const () {
        core::ptr::from_ref::<Self::__Storage>(Self::__ptr(this)).cast()
    }

    /// How many handles point to this value (like `Rc::strong_count`).
    #[must_use]
    #[inline]
    fn strong_count(this: &Self) -> usize {
        PtrKind::strong_count(Self::__ptr(this))
    }

    /// How many weak handles point to this value (like `Rc::weak_count`).
    #[must_use]
    #[inline]
    fn weak_count(this: &Self) -> usize {
        PtrKind::weak_count(Self::__ptr(this))
    }

    /// The data back, if this is the only handle; otherwise the handle back, unchanged
    /// (like `Rc::try_unwrap`).
    #[inline]
    fn try_unwrap(this: Self) -> Result<Self::Data, Self> {
        let ptr = Self::__ptr(&this).clone();
        drop(this);
        PtrKind::try_unwrap(ptr)
            .map(Self::__into_data)
            .map_err(Self::__from_ptr)
    }

    /// The data back if this is the last handle, `None` otherwise (like `Rc::into_inner`).
    /// When several threads call this on clones of one handle, exactly one gets the data.
    #[inline]
    fn into_inner(this: Self) -> Option<Self::Data> {
        let ptr = Self::__ptr(&this).clone();
        drop(this);
        PtrKind::into_inner(ptr).map(Self::__into_data)
    }

    /// A copy of the data, made while every lock field is held (taken in the crate's one lock
    /// order, the order of [`lock_all`](crate::lock_all)), so the lock fields are consistent
    /// with each other, and `snapshot` cannot deadlock with `lock_all`. Needs every field type to be `Clone`.
    #[must_use]
    #[inline]
    #[track_caller]
    fn snapshot(this: &Self) -> Self::Data
    where
        Self: Snapshot,
    {
        match <Self as Snapshot>::__snapshot(this, Mode::Plain) {
            Ok(data) => data,
            // In plain mode every field is held, or the hold has panicked already.
            Err(stop) => unreachable!("sharecell: a plain snapshot stopped: {stop:?}"),
        }
    }
}

/// A handle compared, ordered and hashed by identity ([`Shared::as_ptr`]), not by value: for
/// sets and maps of handles.
///
/// ```
/// use std::collections::HashSet;
/// use sharecell::{ById, Shared};
///
/// #[derive(Shared)]
/// struct Job {
///     name: String,
/// }
///
/// let a = JobHandle::new(Job { name: "a".into() });
/// let twin = JobHandle::new(Job { name: "a".into() });
/// let mut seen = HashSet::new();
/// assert!(seen.insert(ById(a.clone())));
/// assert!(!seen.insert(ById(a.clone())), "the same value");
/// assert!(seen.insert(ById(twin)), "an equal value, but another one");
/// ```
#[derive(Clone, Default)]
pub struct ById<H>(pub H);

impl<H: Shared> ById<H> {
    /// The identity: [`Shared::as_ptr`] as an address.
    fn addr(&self) -> usize {
        H::as_ptr(&self.0).addr()
    }
}

impl<H: Shared> PartialEq for ById<H> {
    fn eq(&self, other: &Self) -> bool {
        H::ptr_eq(&self.0, &other.0)
    }
}

impl<H: Shared> Eq for ById<H> {}

impl<H: Shared> PartialOrd for ById<H> {
    fn partial_cmp(&self, other: &Self) -> Option<core::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// By address: a total order that has nothing to do with the values.
impl<H: Shared> Ord for ById<H> {
    fn cmp(&self, other: &Self) -> core::cmp::Ordering {
        self.addr().cmp(&other.addr())
    }
}

impl<H: Shared> core::hash::Hash for ById<H> {
    fn hash<S: core::hash::Hasher>(&self, state: &mut S) {
        self.addr().hash(state);
    }
}

impl<H: fmt::Debug> fmt::Debug for ById<H> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("ById").field(&self.0).finish()
    }
}

impl<H> core::ops::Deref for ById<H> {
    type Target = H;
    fn deref(&self) -> &H {
        &self.0
    }
}

/// Handles whose every field type is `Clone`, so [`Shared::snapshot`] works. The derive
/// implements it for exactly those handles.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be snapshotted: a field type is not `Clone`",
    note = "`snapshot` clones every field; the field types that are not `Clone` are named below"
)]
pub trait Snapshot: Shared {
    /// The copy, its fields held as `mode` says (a plain snapshot, or a save's).
    #[doc(hidden)]
    #[track_caller]
    fn __snapshot<'t>(this: &'t Self, mode: Mode<'_, 't>) -> Result<Self::Data, Stop>;
}

/// A weak pointer that turns back into a strong one: implemented by [`WeakHandle`], for code
/// generic over weak pointers. Code generic over handles names `WeakHandle<H>` directly.
///
/// ```
/// use sharecell::{Shared, Upgrade, WeakHandle};
///
/// #[derive(Shared)]
/// struct Job {
///     done: bool,
/// }
///
/// fn still_alive<W: Upgrade>(weak: &W) -> bool {
///     weak.upgrade().is_some()
/// }
///
/// let job = JobHandle::new(Job { done: false });
/// let weak = JobHandle::downgrade(&job);
/// assert!(still_alive::<WeakHandle<JobHandle>>(&weak));
/// drop(job);
/// assert!(!still_alive(&weak));
/// ```
pub trait Upgrade: Clone + fmt::Debug + Default {
    /// The handle type this weak handle upgrades to.
    type Strong;
    /// A handle to the value, if any handle is still alive.
    fn upgrade(&self) -> Option<Self::Strong>;
}

impl<H: Shared> Upgrade for WeakHandle<H> {
    type Strong = H;
    #[inline]
    fn upgrade(&self) -> Option<H> {
        WeakHandle::upgrade(self)
    }
}

/// A weak handle (like `rc::Weak`/`sync::Weak`): does not keep the value alive; `upgrade` gives
/// back a handle while any handle is alive.
///
/// Each derived handle `XHandle` has the alias `WeakXHandle<F>` for `WeakHandle<XHandle<F>>`.
pub struct WeakHandle<H: Shared> {
    ptr: WeakPtrOf<H>,
}

impl<H: Shared> WeakHandle<H> {
    /// A weak handle that points to nothing: `upgrade` returns `None`.
    #[must_use]
    pub fn new() -> Self {
        WeakHandle {
            ptr: <PtrOf<H> as PtrKind<H::__Storage>>::weak_new(),
        }
    }

    /// A handle to the value, if any handle is still alive.
    #[must_use]
    pub fn upgrade(&self) -> Option<H> {
        <PtrOf<H> as PtrKind<H::__Storage>>::upgrade(&self.ptr).map(H::__from_ptr)
    }

    /// How many handles point to the value (0 once it is gone).
    #[must_use]
    pub fn strong_count(&self) -> usize {
        <PtrOf<H> as PtrKind<H::__Storage>>::weak_strong_count(&self.ptr)
    }

    /// How many weak handles point to the value, this one included (0 once the value is gone,
    /// and for [`WeakHandle::new`]), like `rc::Weak::weak_count`.
    #[must_use]
    pub fn weak_count(&self) -> usize {
        <PtrOf<H> as PtrKind<H::__Storage>>::weak_weak_count(&self.ptr)
    }

    /// Whether the two weak handles point to the same value (or both to none).
    #[must_use]
    pub fn ptr_eq(&self, other: &Self) -> bool {
        <PtrOf<H> as PtrKind<H::__Storage>>::weak_ptr_eq(&self.ptr, &other.ptr)
    }
}

impl<H: Shared> Clone for WeakHandle<H> {
    fn clone(&self) -> Self {
        WeakHandle {
            ptr: self.ptr.clone(),
        }
    }
}

impl<H: Shared> Default for WeakHandle<H> {
    fn default() -> Self {
        WeakHandle::new()
    }
}

/// Prints `(Weak)`, like std's weak pointers.
impl<H: Shared> fmt::Debug for WeakHandle<H> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("(Weak)")
    }
}
