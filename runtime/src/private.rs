//! Not public API: what the code written by `#[derive(Shared)]` uses. Anything here may change
//! in any release.

use core::fmt;
use core::ops::Deref;

use crate::flavor::Flavor;
use crate::lock_all::Rank;
use crate::TryLockError;

pub use crate::atom::{AtomCell, SyncAtom};
pub use crate::debug::debug_handle;
pub use crate::handle::PtrKind;
pub use crate::lock_all::{hold_all, Slot};
#[cfg(loom)]
pub use crate::loom_arc::{Arc as LoomArc, Weak as LoomWeak};
#[cfg(feature = "serde")]
pub use crate::serde_impls::{deserialize_handle, serialize_handle};
pub use core;
#[cfg(feature = "serde")]
pub use serde;

/// Whether this build's `SyncFlavor` runs on loom (`RUSTFLAGS="--cfg loom"`): its primitives
/// then work only inside `loom::model`, so the doc examples that use `SyncFlavor` return early.
pub const LOOM: bool = cfg!(loom);

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
    /// the value, except for `once` fields (see [`cloned_once`]).
    type Held<'a>
    where
        Self: 'a;
    fn from_value(value: Self::Value) -> Self;
    fn into_value(self) -> Self::Value;
    #[track_caller]
    fn hold(&self) -> Self::Held<'_>;
    /// `hold` without a panic and without a wait that could never end: for a lock field, a
    /// conflict the `LocalFlavor` would panic on, or (debug builds) a `SyncFlavor` wait for a
    /// guard of this thread, is an error. The other kinds cannot fail.
    #[inline]
    fn try_hold(&self) -> Result<Self::Held<'_>, TryLockError> {
        Ok(self.hold())
    }
    /// Where the field's lock stands in the crate's one lock order; `None` for fields that
    /// `hold` without locking (atoms, `readonly`, `swap`, `once`).
    #[inline]
    fn rank(&self) -> Option<Rank> {
        None
    }
}

/// One field of a handle being snapshotted: the field, its name, and what holds it.
/// `snapshot` holds the lock-free fields at once, then its lock fields in the crate's one lock
/// order ([`hold_two`], [`hold_all`]), and clones only then.
pub struct Holding<'a, S: Field> {
    field: &'a S,
    name: &'static str,
    held: Option<S::Held<'a>>,
}

/// The field a checked `snapshot` could not hold, and why.
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

    /// A field held at once: a lock-free field, or the one lock field of a struct. `checked`:
    /// [`Field::try_hold`], for serialization; otherwise [`Field::hold`], which panics (or
    /// waits) as the field's `read` does.
    #[inline]
    #[track_caller]
    pub fn hold_now(field: &'a S, name: &'static str, checked: bool) -> Result<Self, Busy> {
        let mut holding = Holding::new(field, name);
        holding.hold(checked)?;
        Ok(holding)
    }

    /// What holds the field.
    #[inline]
    pub fn held(&self) -> &S::Held<'a> {
        self.held
            .as_ref()
            .expect("sharecell: hold_all holds every field before it is read")
    }

    /// The held value.
    #[inline]
    pub fn value(&self) -> &S::Value
    where
        S::Held<'a>: Deref<Target = S::Value>,
    {
        self.held()
    }
}

impl<S: Field> Slot for Holding<'_, S> {
    #[inline]
    fn rank(&self) -> Option<Rank> {
        self.field.rank()
    }
    #[inline]
    #[track_caller]
    fn hold(&mut self, checked: bool) -> Result<(), Busy> {
        let held = if checked {
            self.field.try_hold().map_err(|error| Busy {
                field: self.name,
                error,
            })?
        } else {
            self.field.hold()
        };
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

/// [`hold_all`] for exactly two lock fields, the common case, without dynamic dispatch.
#[inline]
#[track_caller]
pub fn hold_two<A: Field, B: Field>(
    a: &mut Holding<'_, A>,
    b: &mut Holding<'_, B>,
    checked: bool,
) -> Result<(), Busy> {
    if a.field.rank() <= b.field.rank() {
        a.hold(checked)?;
        b.hold(checked)
    } else {
        b.hold(checked)?;
        a.hold(checked)
    }
}

/// The snapshot of a `once` field: its value cloned, if set. (There is no `&Option<T>` to
/// clone, so the derive calls this instead of `Clone::clone` for such fields.)
#[inline]
pub fn cloned_once<'a, S, T>(holding: &Holding<'a, S>) -> Option<T>
where
    S: Field<Held<'a> = Option<&'a T>> + 'a,
    T: Clone + 'a,
{
    holding.held().cloned()
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
    fn try_hold(&self) -> Result<S::Held<'_>, TryLockError> {
        self.0.try_hold()
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
