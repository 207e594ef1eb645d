//! `Atom<T, F>`: a `Copy` value that is a `Cell` in one flavour and an atomic in the other.
//!
//! The public type and its `Field` impl; what it is made of in each flavour is
//! `kinds/atom.rs`.

use core::fmt;
use core::marker::PhantomData;
use core::mem::ManuallyDrop;
use core::ops::{Deref, DerefMut};

use crate::field::{Copied, Field};
use crate::flavor::{DefaultFlavor, Flavor};
use crate::kinds::AtomKind;
use crate::value::{AtomicArith, AtomicBitwise, AtomicInteger, AtomicValue};

/// A field of a `Copy` value, changed atomically: `Cell<T>` in the
/// [`LocalFlavor`](crate::LocalFlavor) flavour, a std atomic in the
/// [`SyncFlavor`](crate::SyncFlavor) flavour. Every method exists in both. `T` is a scalar, or
/// your own enum or newtype through [`AtomicValue`].
///
/// Orderings (`SyncFlavor`): loads are `Acquire`, stores `Release`, read-modify-writes `AcqRel`. A
/// value you `set` after writing other data is therefore seen, with that data, by whoever `get`s
/// it. There is no single total order across different atoms (that is `SeqCst`, which costs a
/// full fence per store); use a lock when several fields must change together.
///
/// ```
/// use sharecell::{Atom, LocalFlavor, SyncFlavor};
/// # if sharecell::__private::LOOM { return; } // loom's primitives work inside loom::model only
///
/// let hits = Atom::<u32, LocalFlavor>::new(1);
/// hits.fetch_add(2);
/// assert_eq!(hits.update(|n| n * 10), 3, "the previous value");
/// assert_eq!(hits.get(), 30);
///
/// let ratio = Atom::<f64, SyncFlavor>::new(0.5);
/// assert_eq!(ratio.fetch_add(0.25), 0.5);
/// assert_eq!(ratio.get(), 0.75);
/// ```
pub struct Atom<T: AtomicValue, F: Flavor = DefaultFlavor> {
    // The storage (`Cell<T>` or a std atomic) has nothing to drop. `ManuallyDrop` says so to
    // the compiler's drop check, which then never needs `F::Atom<T>` spelled out for a
    // concrete flavour: a field of a type that is not an `AtomicValue` is one error at the
    // field (the bound above), not a second one, about `Flavor::Atom`, wherever a handle of a
    // concrete flavour is made.
    cell: ManuallyDrop<F::Atom<T>>,
    _flavor: PhantomData<F>,
}

impl<T: AtomicValue, F: Flavor> Atom<T, F> {
    /// A new atom holding `value`.
    #[inline]
    pub fn new(value: T) -> Self {
        Atom {
            cell: ManuallyDrop::new(AtomKind::new(value)),
            _flavor: PhantomData,
        }
    }

    /// The current value.
    #[inline]
    #[must_use]
    #[doc(alias = "load")]
    pub fn get(&self) -> T {
        self.cell.load()
    }

    /// Stores `value`.
    ///
    /// # Panics
    ///
    /// Debug builds only: when called from inside the closure of [`update`](Self::update) on
    /// this same atom.
    #[inline]
    #[cfg_attr(debug_assertions, track_caller)]
    #[doc(alias = "store")]
    pub fn set(&self, value: T) {
        self.check_write();
        self.cell.store(value);
    }

    /// Stores `value` and returns the previous value.
    ///
    /// # Panics
    ///
    /// Debug builds only: when called from inside the closure of [`update`](Self::update) on
    /// this same atom.
    #[inline]
    #[cfg_attr(debug_assertions, track_caller)]
    #[doc(alias = "swap")]
    pub fn replace(&self, value: T) -> T {
        self.check_write();
        self.cell.swap(value)
    }

    /// Stores `T::default()` and returns the previous value.
    ///
    /// # Panics
    ///
    /// Debug builds only: when called from inside the closure of [`update`](Self::update) on
    /// this same atom.
    #[inline]
    #[cfg_attr(debug_assertions, track_caller)]
    pub fn take(&self) -> T
    where
        T: Default,
    {
        self.replace(T::default())
    }

    /// Replaces the value with `f(value)` and returns the previous value, like the `fetch_*`
    /// methods and std's atomic `update`.
    ///
    /// In the `SyncFlavor` this is a compare-and-swap loop: when another thread changes the
    /// value in between, `f` runs again on the newer value, so keep `f` free of side effects.
    /// If `f` panics, nothing is stored: the value is unchanged (by this call).
    ///
    /// # Panics
    ///
    /// Debug builds, both flavours: when `f` writes this same atom (`set`, `fetch_add`, a
    /// nested `update`, ...). Such a write cannot work: `LocalFlavor` would overwrite it with `f`'s
    /// result, and `SyncFlavor` would retry `f` for ever, since every retry changes the value again.
    /// Release builds do not check; there the two flavours differ as just said.
    #[inline]
    #[cfg_attr(debug_assertions, track_caller)]
    pub fn update(&self, f: impl FnMut(T) -> T) -> T {
        self.check_write();
        let _updating = updating::enter(self);
        self.cell.update(f).0
    }

    /// Debug builds: panics when this thread is inside `update` of this same atom.
    #[inline(always)]
    #[cfg_attr(debug_assertions, track_caller)]
    fn check_write(&self) {
        updating::check(self);
    }

    /// Stores `new` if the value is `current`. Returns `Ok(previous)` when it stored and
    /// `Err(actual)` when it did not. Floats and `char` compare by bits, in both flavours.
    ///
    /// # Panics
    ///
    /// Debug builds only: when called from inside the closure of [`update`](Self::update) on
    /// this same atom.
    #[inline]
    #[cfg_attr(debug_assertions, track_caller)]
    pub fn compare_exchange(&self, current: T, new: T) -> Result<T, T> {
        self.check_write();
        self.cell.compare_exchange(current, new)
    }

    /// Consumes the atom and returns the value.
    #[inline]
    pub fn into_inner(self) -> T {
        ManuallyDrop::into_inner(self.cell).into_inner()
    }

    /// Exclusive access through `&mut self`, without any atomic operation while the guard
    /// lives. The guard derefs to a copy of the value and writes it back when dropped (floats
    /// and `char` are stored as bits, so there is no `&mut T` into them), also when it is
    /// dropped by a panic: the atom then holds the last value written through the guard.
    #[inline]
    pub fn get_mut(&mut self) -> AtomMut<'_, T, F> {
        let value = self.get();
        AtomMut { atom: self, value }
    }
}

/// Which atoms this thread is running `update` on (debug builds), so that a write to one of
/// them from inside the closure panics instead of being lost (`LocalFlavor`) or looping (`SyncFlavor`).
#[cfg(all(debug_assertions, not(loom)))]
mod updating {
    use core::cell::RefCell;

    std::thread_local! {
        static UPDATING: RefCell<Vec<usize>> = const { RefCell::new(Vec::new()) };
    }

    fn addr<A>(atom: &A) -> usize {
        core::ptr::from_ref(atom).addr()
    }

    /// Marks `atom` as being updated until the returned value is dropped.
    pub(super) fn enter<A>(atom: &A) -> Entered {
        let addr = addr(atom);
        let _ = UPDATING.try_with(|u| u.borrow_mut().push(addr));
        Entered(addr)
    }

    pub(super) struct Entered(usize);

    impl Drop for Entered {
        fn drop(&mut self) {
            let _ = UPDATING.try_with(|u| {
                let mut u = u.borrow_mut();
                if let Some(i) = u.iter().rposition(|&a| a == self.0) {
                    u.remove(i);
                }
            });
        }
    }

    #[track_caller]
    pub(super) fn check<A>(atom: &A) {
        let addr = addr(atom);
        let inside = UPDATING
            .try_with(|u| u.borrow().contains(&addr))
            .unwrap_or(false);
        if inside {
            let at = core::panic::Location::caller();
            panic!(
                "the closure passed to `Atom::update` wrote the same atom (at {at}): its write \
                 would be overwritten (Local flavour) or make `update` retry for ever (Sync \
                 flavour). Compute the new value in the closure and return it instead. This \
                 check runs in debug builds only"
            );
        }
    }
}

/// Release builds: no bookkeeping.
#[cfg(not(all(debug_assertions, not(loom))))]
mod updating {
    pub(super) struct Entered;

    #[inline(always)]
    pub(super) fn enter<A>(_atom: &A) -> Entered {
        Entered
    }

    #[inline(always)]
    pub(super) fn check<A>(_atom: &A) {}
}

impl<T: AtomicArith, F: Flavor> Atom<T, F> {
    /// Adds `value` and returns the previous value. Integers wrap on overflow (as std's atomics
    /// do, in both flavours); floats add as floats.
    ///
    /// # Panics
    ///
    /// Debug builds only: when called from inside the closure of [`update`](Self::update) on
    /// this same atom.
    #[inline]
    #[cfg_attr(debug_assertions, track_caller)]
    pub fn fetch_add(&self, value: T) -> T {
        self.check_write();
        self.cell.fetch_add(value)
    }

    /// Subtracts `value` and returns the previous value. Integers wrap on overflow.
    ///
    /// # Panics
    ///
    /// Debug builds only: when called from inside the closure of [`update`](Self::update) on
    /// this same atom.
    #[inline]
    #[cfg_attr(debug_assertions, track_caller)]
    pub fn fetch_sub(&self, value: T) -> T {
        self.check_write();
        self.cell.fetch_sub(value)
    }
}

impl<T: AtomicBitwise, F: Flavor> Atom<T, F> {
    /// Bit-wise (or logical, for `bool`) "and" with `value`; returns the previous value.
    ///
    /// # Panics
    ///
    /// Debug builds only: when called from inside the closure of [`update`](Self::update) on
    /// this same atom.
    #[inline]
    #[cfg_attr(debug_assertions, track_caller)]
    pub fn fetch_and(&self, value: T) -> T {
        self.check_write();
        self.cell.fetch_and(value)
    }

    /// Bit-wise (or logical, for `bool`) "or" with `value`; returns the previous value.
    ///
    /// # Panics
    ///
    /// Debug builds only: when called from inside the closure of [`update`](Self::update) on
    /// this same atom.
    #[inline]
    #[cfg_attr(debug_assertions, track_caller)]
    pub fn fetch_or(&self, value: T) -> T {
        self.check_write();
        self.cell.fetch_or(value)
    }

    /// Bit-wise (or logical, for `bool`) "xor" with `value`; returns the previous value.
    ///
    /// # Panics
    ///
    /// Debug builds only: when called from inside the closure of [`update`](Self::update) on
    /// this same atom.
    #[inline]
    #[cfg_attr(debug_assertions, track_caller)]
    pub fn fetch_xor(&self, value: T) -> T {
        self.check_write();
        self.cell.fetch_xor(value)
    }
}

impl<T: AtomicInteger, F: Flavor> Atom<T, F> {
    /// Stores the maximum of the value and `value`; returns the previous value.
    ///
    /// # Panics
    ///
    /// Debug builds only: when called from inside the closure of [`update`](Self::update) on
    /// this same atom.
    #[inline]
    #[cfg_attr(debug_assertions, track_caller)]
    pub fn fetch_max(&self, value: T) -> T {
        self.check_write();
        self.cell.fetch_max(value)
    }

    /// Stores the minimum of the value and `value`; returns the previous value.
    ///
    /// # Panics
    ///
    /// Debug builds only: when called from inside the closure of [`update`](Self::update) on
    /// this same atom.
    #[inline]
    #[cfg_attr(debug_assertions, track_caller)]
    pub fn fetch_min(&self, value: T) -> T {
        self.check_write();
        self.cell.fetch_min(value)
    }
}

impl<F: Flavor> Atom<bool, F> {
    /// Logical "not"; returns the previous value.
    ///
    /// # Panics
    ///
    /// Debug builds only: when called from inside the closure of [`update`](Self::update) on
    /// this same atom.
    #[inline]
    #[cfg_attr(debug_assertions, track_caller)]
    pub fn fetch_not(&self) -> bool {
        self.fetch_xor(true)
    }
}

impl<T: AtomicValue + Default, F: Flavor> Default for Atom<T, F> {
    fn default() -> Self {
        Atom::new(T::default())
    }
}

impl<T: AtomicValue, F: Flavor> From<T> for Atom<T, F> {
    fn from(value: T) -> Self {
        Atom::new(value)
    }
}

/// Prints the value alone, like std's atomics do (`5`, not `Atom(5)`).
impl<T: AtomicValue + fmt::Debug, F: Flavor> fmt::Debug for Atom<T, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.get(), f)
    }
}

/// Exclusive access to an [`Atom`], from [`Atom::get_mut`]. Derefs to the value; writes it back
/// when dropped.
pub struct AtomMut<'a, T: AtomicValue, F: Flavor = DefaultFlavor> {
    atom: &'a mut Atom<T, F>,
    value: T,
}

impl<T: AtomicValue, F: Flavor> Deref for AtomMut<'_, T, F> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

impl<T: AtomicValue, F: Flavor> DerefMut for AtomMut<'_, T, F> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.value
    }
}

impl<T: AtomicValue, F: Flavor> Drop for AtomMut<'_, T, F> {
    fn drop(&mut self) {
        self.atom.set(self.value);
    }
}

impl<T: AtomicValue + fmt::Debug, F: Flavor> fmt::Debug for AtomMut<'_, T, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.value, f)
    }
}

impl<T: AtomicValue + fmt::Display, F: Flavor> fmt::Display for AtomMut<'_, T, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.value, f)
    }
}

/// How the derive stores and takes apart a field of this kind (see [`Field`]).
impl<T: AtomicValue, F: Flavor> Field for Atom<T, F> {
    type Value = T;
    type Held<'a> = Copied<T>;
    #[inline]
    fn from_value(value: T) -> Self {
        Atom::new(value)
    }
    #[inline]
    fn into_value(self) -> T {
        self.into_inner()
    }
    #[inline]
    fn hold(&self) -> Copied<T> {
        Copied(self.get())
    }
}
