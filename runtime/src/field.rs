//! What generated code stores: the field types of a handle's hidden storage struct ([`Field`],
//! [`ReadOnly`], [`Padded`]), and the snapshot engine that `snapshot`, `Debug` and serde share:
//! the fields as tuples ([`Cells`]), each field with what holds it while it is copied
//! ([`Holding`], as a [`Slot`]), all held in the lock order by [`hold_all`].
//!
//! Vocabulary, used here and nowhere else: to *hold* a field is to take what keeps its value
//! still while it is copied (a read guard for a lock field, a copy for an atom); a *slot* is one
//! field waiting to be held. A snapshot runs in one of two [`Mode`]s: *plain*
//! (`Shared::snapshot`: each field held as its `read` would, waiting or panicking), or *save*
//! (serialization, save.rs: held through the save's [`Transaction`], never panicking, the guards
//! kept until the save has read everything). A field a save cannot hold is *busy* ([`Busy`]).
//! The derive reaches all of this through `__private`; it is not public API.

use core::fmt;
use core::ops::Deref;
use core::slice;

use crate::error::TryLockError;
use crate::flavor::Flavor;
use crate::guard::{MutexGuard, ReadGuard};
use crate::order::{sort_by_rank, Rank};
use crate::transaction::{Restart, Transaction};
use crate::value::AtomicValue;
use crate::{Atom, Mutex, Once, RwLock, Swap, SwapGuard};

/// Names the hidden struct that holds a derived handle's fields (`Storage`), from outside the
/// `const _` block that defines it. Implemented by the derive for the data struct.
pub trait Stored<F: Flavor> {
    /// The struct of the fields' cells.
    type Storage;
}

/// One field's storage in a handle. Lets the derive write every field the same way.
pub trait Field: Sized {
    /// The field's type in the data struct.
    type Value;
    /// What `snapshot` holds while it copies the fields: a guard for lock fields. It derefs to
    /// the value, except for `once` fields (an `Option<&T>`; see `CopyField`).
    type Held<'a>
    where
        Self: 'a;
    /// The field's storage, made from the data struct's value.
    fn from_value(value: Self::Value) -> Self;
    /// The value back, for `try_unwrap` and `into_inner`.
    fn into_value(self) -> Self::Value;
    /// Holds the field as its `read` would: waits (`SyncFlavor`) or panics (`LocalFlavor`).
    #[track_caller]
    fn hold(&self) -> Self::Held<'_>;
    /// Holds the field for a save, through its transaction: never panics, and never waits for
    /// a guard of this thread (see `Transaction::hold`). The kinds that take no lock cannot
    /// fail.
    #[inline]
    fn hold_in(&self, tx: &Transaction) -> Result<Self::Held<'_>, HoldStop> {
        let _ = tx;
        Ok(self.hold())
    }
    /// Debug builds: the error of holding this field while this thread holds a guard on it in
    /// the way (`None` for kinds that take no lock, and in release builds).
    #[inline]
    fn own_guard(&self) -> Option<TryLockError> {
        None
    }
    /// Where the field's lock stands in the crate's one lock order; `None` for fields that
    /// `hold` without locking (atoms, `readonly`, `swap`, `once`).
    #[inline]
    fn rank(&self) -> Option<Rank> {
        None
    }
}

/// One field of a handle being snapshotted: the field, its name, and what holds it.
/// [`snapshot`] holds every field, the lock fields in the crate's one lock order
/// ([`hold_all`]), and copies the values only then.
pub struct Holding<'a, S: Field> {
    field: &'a S,
    name: &'static str,
    held: Option<S::Held<'a>>,
}

/// A field whose [`Field::Held`] is a guard on a value: `RwLock` and `Mutex` (saved on their
/// own by the feature `serde`).
#[cfg(feature = "serde")]
pub(crate) trait LockField: Field {
    /// The value behind the lock.
    type Target: ?Sized;
    /// The value, through what holds it.
    fn target<'h>(held: &'h Self::Held<'_>) -> &'h Self::Target;
}

/// Why a save could not hold one field.
pub enum HoldStop {
    /// A lock out of the transaction's order was busy: the attempt restarts.
    Restart(Restart),
    /// The field cannot be held without a panic or a wait that could never end.
    Busy(TryLockError),
}

/// Why a snapshot in save mode stopped.
#[derive(Debug)]
pub enum Stop {
    /// The save's attempt restarts.
    Restart(Restart),
    /// A field that cannot be held.
    Busy(Busy),
}

/// How [`snapshot`] holds the fields.
pub enum Mode<'m, 't> {
    /// As each field's `read` would (`Shared::snapshot`): waits or panics.
    Plain,
    /// For a save: through the save's transaction, without panics; the guards go to `held` and
    /// stay there until the save has read everything it reaches.
    Save {
        /// The save's transaction.
        tx: &'t Transaction,
        /// Where the guards are kept.
        held: &'m mut Vec<Box<dyn Keep + 't>>,
    },
}

/// Anything a save keeps until it ends (the guards of a handle's fields).
pub trait Keep {}

impl<T: ?Sized> Keep for T {}

/// The field a save could not hold, and why.
#[derive(Debug)]
pub struct Busy {
    /// The field's name.
    pub field: &'static str,
    /// What stood in the way.
    pub error: TryLockError,
}

impl<'a, S: Field> Holding<'a, S> {
    /// A field for [`hold_all`] to hold, in the lock order.
    #[inline]
    pub fn new(field: &'a S, name: &'static str) -> Self {
        Holding {
            field,
            name,
            held: None,
        }
    }

    /// What holds the field.
    #[inline]
    pub fn held(&self) -> &S::Held<'a> {
        self.held
            .as_ref()
            .expect("sharecell: hold_all holds every field before it is read")
    }
}

impl<S: Field> Slot for Holding<'_, S> {
    #[inline]
    fn rank(&self) -> Option<Rank> {
        self.field.rank()
    }
    #[inline]
    fn own_guard(&self, _save: bool) -> Option<Busy> {
        self.field.own_guard().map(|error| Busy {
            field: self.name,
            error,
        })
    }
    #[inline]
    #[track_caller]
    fn hold(&mut self) {
        self.held = Some(self.field.hold());
    }
    #[inline]
    fn hold_in(&mut self, tx: &Transaction) -> Result<(), Stop> {
        let held = self.field.hold_in(tx).map_err(|stop| match stop {
            HoldStop::Restart(restart) => Stop::Restart(restart),
            HoldStop::Busy(error) => Stop::Busy(Busy {
                field: self.name,
                error,
            }),
        })?;
        self.held = Some(held);
        Ok(())
    }
}

/// A copy of an atom's value, for `snapshot`.
pub struct Copied<T>(pub(crate) T);

impl<T> Deref for Copied<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// A field that `snapshot` can copy: its value cloned from what holds it.
pub trait CopyField: Field {
    /// The value, from what [`Field::hold`] returned.
    fn copy_held(held: &Self::Held<'_>) -> Self::Value;
}

impl<T: AtomicValue, F: Flavor> CopyField for Atom<T, F> {
    #[inline]
    fn copy_held(held: &Copied<T>) -> T {
        held.0
    }
}

impl<T: Clone, F: Flavor> CopyField for RwLock<T, F> {
    #[inline]
    fn copy_held(held: &ReadGuard<'_, T, F>) -> T {
        T::clone(held)
    }
}

impl<T: Clone, F: Flavor> CopyField for Mutex<T, F> {
    #[inline]
    fn copy_held(held: &MutexGuard<'_, T, F>) -> T {
        T::clone(held)
    }
}

impl<T: Clone, F: Flavor> CopyField for Swap<T, F> {
    #[inline]
    fn copy_held(held: &SwapGuard<T, F>) -> T {
        T::clone(held)
    }
}

/// There is no `&Option<T>` to clone: the value inside is cloned, if set.
impl<T: Clone, F: Flavor> CopyField for Once<T, F> {
    #[inline]
    fn copy_held(held: &Option<&T>) -> Option<T> {
        held.cloned()
    }
}

impl<T: Clone> CopyField for ReadOnly<T> {
    #[inline]
    fn copy_held(held: &&T) -> T {
        T::clone(held)
    }
}

impl<S: CopyField> CopyField for Padded<S> {
    #[inline]
    fn copy_held(held: &S::Held<'_>) -> S::Value {
        S::copy_held(held)
    }
}

/// The fields of a handle as the derive passes them to [`snapshot`]: a
/// reference to each field's storage, in declaration order, in tuples of at most 12 (tuples of
/// tuples for more fields). The work on every field is written once, here, and not per struct
/// by the derive: that keeps the derive's output small and quick to compile.
pub trait Cells<'a>: Sized {
    /// What holds each field while `snapshot` copies it.
    type Holdings;
    /// The copies of the fields' values, in the same tuple shape.
    type Values;
    /// Each field, not yet held, with its name from `names` (for errors).
    fn holdings(self, names: &mut slice::Iter<'_, &'static str>) -> Self::Holdings;
    /// Every field, for `hold_all` to hold in the lock order.
    fn slots<'s>(holdings: &'s mut Self::Holdings, out: &mut Vec<&'s mut dyn Slot>);
    /// The copies, once every field is held.
    fn values(holdings: &Self::Holdings) -> Self::Values;
}

impl<'a, S: CopyField + 'a> Cells<'a> for &'a S {
    type Holdings = Holding<'a, S>;
    type Values = S::Value;
    #[inline]
    fn holdings(self, names: &mut slice::Iter<'_, &'static str>) -> Holding<'a, S> {
        Holding::new(self, names.next().copied().unwrap_or("_"))
    }
    #[inline]
    fn slots<'s>(holdings: &'s mut Holding<'a, S>, out: &mut Vec<&'s mut dyn Slot>) {
        out.push(holdings);
    }
    #[inline]
    fn values(holdings: &Holding<'a, S>) -> S::Value {
        S::copy_held(holdings.held())
    }
}

/// A field the data struct's `Serialize` skips (`#[serde(skip)]`, `#[serde(skip_serializing)]`):
/// a plain snapshot holds and copies it as usual, a save leaves it alone (it takes no lock
/// for it) and puts `Default::default()` in the copy, which serialization never reads.
pub struct SkipInSave<S>(pub S);

/// What holds a [`SkipInSave`] field: nothing, in a save.
pub struct SkipHolding<'a, S: Field>(Holding<'a, S>);

impl<S: Field> Slot for SkipHolding<'_, S> {
    #[inline]
    fn rank(&self) -> Option<Rank> {
        self.0.rank()
    }
    #[inline]
    fn own_guard(&self, save: bool) -> Option<Busy> {
        if save {
            None
        } else {
            self.0.own_guard(save)
        }
    }
    #[inline]
    #[track_caller]
    fn hold(&mut self) {
        self.0.hold();
    }
    #[inline]
    fn hold_in(&mut self, _tx: &Transaction) -> Result<(), Stop> {
        Ok(())
    }
}

impl<'a, S: CopyField<Value: Default> + 'a> Cells<'a> for SkipInSave<&'a S> {
    type Holdings = SkipHolding<'a, S>;
    type Values = S::Value;
    #[inline]
    fn holdings(self, names: &mut slice::Iter<'_, &'static str>) -> SkipHolding<'a, S> {
        SkipHolding(self.0.holdings(names))
    }
    #[inline]
    fn slots<'s>(holdings: &'s mut SkipHolding<'a, S>, out: &mut Vec<&'s mut dyn Slot>) {
        out.push(holdings);
    }
    #[inline]
    fn values(holdings: &SkipHolding<'a, S>) -> S::Value {
        holdings
            .0
            .held
            .as_ref()
            .map_or_else(S::Value::default, S::copy_held)
    }
}

macro_rules! cells_tuple {
    ($($C:ident $i:tt),+) => {
        impl<'a, $($C: Cells<'a>),+> Cells<'a> for ($($C,)+) {
            type Holdings = ($($C::Holdings,)+);
            type Values = ($($C::Values,)+);
            #[inline]
            fn holdings(self, names: &mut slice::Iter<'_, &'static str>) -> Self::Holdings {
                ($(self.$i.holdings(names),)+)
            }
            #[inline]
            fn slots<'s>(holdings: &'s mut Self::Holdings, out: &mut Vec<&'s mut dyn Slot>) {
                $($C::slots(&mut holdings.$i, out);)+
            }
            #[inline]
            fn values(holdings: &Self::Holdings) -> Self::Values {
                ($($C::values(&holdings.$i),)+)
            }
        }
    };
}

/// A struct without fields.
impl Cells<'_> for () {
    type Holdings = ();
    type Values = ();
    #[inline]
    fn holdings(self, _names: &mut slice::Iter<'_, &'static str>) {}
    #[inline]
    fn slots<'s>(_holdings: &'s mut (), _out: &mut Vec<&'s mut dyn Slot>) {}
    #[inline]
    fn values(_holdings: &()) {}
}

cells_tuple!(A 0);
cells_tuple!(A 0, B 1);
cells_tuple!(A 0, B 1, C 2);
cells_tuple!(A 0, B 1, C 2, D 3);
cells_tuple!(A 0, B 1, C 2, D 3, E 4);
cells_tuple!(A 0, B 1, C 2, D 3, E 4, G 5);
cells_tuple!(A 0, B 1, C 2, D 3, E 4, G 5, H 6);
cells_tuple!(A 0, B 1, C 2, D 3, E 4, G 5, H 6, I 7);
cells_tuple!(A 0, B 1, C 2, D 3, E 4, G 5, H 6, I 7, J 8);
cells_tuple!(A 0, B 1, C 2, D 3, E 4, G 5, H 6, I 7, J 8, K 9);
cells_tuple!(A 0, B 1, C 2, D 3, E 4, G 5, H 6, I 7, J 8, K 9, L 10);
cells_tuple!(A 0, B 1, C 2, D 3, E 4, G 5, H 6, I 7, J 8, K 9, L 10, M 11);

/// A copy of a handle's fields (`cells`, named `names`), made while every lock field is held,
/// taken in the crate's one lock order, as `mode` says. In save mode the guards stay in the
/// save's keeping when this returns.
///
/// # Errors
///
/// Save mode only: a restart of the save's attempt, or a field that cannot be held.
#[track_caller]
pub fn snapshot<'t, C: Cells<'t>>(
    cells: C,
    names: &[&'static str],
    mode: Mode<'_, 't>,
) -> Result<C::Values, Stop>
where
    C::Holdings: 't,
{
    let mut holdings = cells.holdings(&mut names.iter());
    let mut slots = Vec::new();
    C::slots(&mut holdings, &mut slots);
    let tx = match &mode {
        Mode::Plain => None,
        Mode::Save { tx, .. } => Some(*tx),
    };
    hold_all(&mut slots, tx)?;
    drop(slots);
    let values = C::values(&holdings);
    if let Mode::Save { held, .. } = mode {
        held.push(Box::new(holdings));
    }
    Ok(values)
}

/// A `#[shared(readonly)]` field: the plain value, handed out as `&T`.
#[repr(transparent)]
pub struct ReadOnly<T>(pub T);

impl<T> Field for ReadOnly<T> {
    type Value = T;
    type Held<'a>
        = &'a T
    where
        T: 'a;
    #[inline]
    fn from_value(value: T) -> Self {
        ReadOnly(value)
    }
    #[inline]
    fn into_value(self) -> T {
        self.0
    }
    #[inline]
    fn hold(&self) -> &T {
        &self.0
    }
}

impl<T: fmt::Debug> fmt::Debug for ReadOnly<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

/// A `#[shared(padded)]` field: its storage on a cache line of its own. 128 bytes covers the
/// adjacent-line prefetcher of x86 (which pulls lines in pairs) and the 128-byte lines of some
/// ARM cores, so two threads writing two padded fields never touch the same line.
#[repr(align(128))]
pub struct Padded<S>(pub S);

impl<S: Field> Field for Padded<S> {
    type Value = S::Value;
    type Held<'a>
        = S::Held<'a>
    where
        S: 'a;
    #[inline]
    fn from_value(value: S::Value) -> Self {
        Padded(S::from_value(value))
    }
    #[inline]
    fn into_value(self) -> S::Value {
        self.0.into_value()
    }
    #[inline]
    #[track_caller]
    fn hold(&self) -> S::Held<'_> {
        self.0.hold()
    }
    #[inline]
    fn hold_in(&self, tx: &Transaction) -> Result<S::Held<'_>, HoldStop> {
        self.0.hold_in(tx)
    }
    #[inline]
    fn own_guard(&self) -> Option<TryLockError> {
        self.0.own_guard()
    }
    #[inline]
    fn rank(&self) -> Option<Rank> {
        self.0.rank()
    }
}

impl<S: fmt::Debug> fmt::Debug for Padded<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

/// One field's part in a `snapshot`: the field, then what holds it (a guard for lock fields).
/// Used through `&mut dyn Slot`, so that fields of different types are taken in one order.
pub trait Slot {
    /// The field's place in the lock order; `None` when holding it takes no lock.
    fn rank(&self) -> Option<Rank>;
    /// Debug builds: the field cannot be held because this thread holds a guard in the way
    /// (`save`: held for a save, which may leave some fields alone).
    fn own_guard(&self, save: bool) -> Option<Busy>;
    /// Holds the field as its `read` would.
    #[track_caller]
    fn hold(&mut self);
    /// Holds the field for a save, through its transaction.
    ///
    /// # Errors
    ///
    /// A restart of the save's attempt, or a field that cannot be held.
    fn hold_in(&mut self, tx: &Transaction) -> Result<(), Stop>;
}

/// Holds every slot, in the crate's one lock order: what `snapshot` does before it clones.
/// `tx`: for a save, through its transaction (which stops at the first field it cannot hold);
/// otherwise as each field's `read` would.
///
/// Before anything is taken, every lock field is checked against the guards this thread holds
/// (debug builds): a field in the way of one of them panics as its `read` would (plain) or is
/// an error naming it (save), instead of a wait behind other fields that could never end.
///
/// # Errors
///
/// Save mode only, as [`Slot::hold_in`].
#[track_caller]
pub(crate) fn hold_all(slots: &mut [&mut dyn Slot], tx: Option<&Transaction>) -> Result<(), Stop> {
    // Lock fields in the lock order, then the fields that take no lock (atoms are read while
    // the locks are held).
    sort_by_rank(slots, |slot| {
        let rank = slot.rank();
        (rank.is_none(), rank)
    });
    // Only debug builds know this thread's guards (reentrancy.rs): release builds skip the pass.
    if cfg!(all(debug_assertions, not(loom))) {
        for slot in slots.iter_mut() {
            if let Some(busy) = slot.own_guard(tx.is_some()) {
                match tx {
                    // Panics with the message of the field's own `read`, at the caller's line.
                    None => slot.hold(),
                    Some(_) => return Err(Stop::Busy(busy)),
                }
            }
        }
    }
    for slot in slots {
        match tx {
            None => slot.hold(),
            Some(tx) => slot.hold_in(tx)?,
        }
    }
    Ok(())
}
