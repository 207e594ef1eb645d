//! The feature `serde`: every cell serializes as its value, and a handle made by the derive as
//! its data struct would (the derive's impls call [`serialize_handle`] and
//! [`deserialize_handle`]).
//!
//! Serializing never panics and never waits for ever: a field it cannot read that way is a
//! serde error naming the field. A lock field held by another thread is waited for, as a `read`
//! would. In the `SyncFlavor`, debug builds know this thread's own guards (reentrancy.rs) and
//! refuse at once; release builds do not, and wait at most `CHECKED_WAIT` (1 s) before they
//! refuse.

use core::fmt;
use core::marker::PhantomData;
use std::collections::BTreeSet;

use serde::de::{Deserialize, Deserializer};
use serde::ser::{Error as _, Serialize, Serializer};

use crate::debug::{enter, Enter};
use crate::field::Field;
use crate::flavor::{Flavor, LocalFlavor, SyncFlavor};
use crate::handle::{Handle, Snapshot};
use crate::value::AtomicValue;
use crate::{Atom, Mutex, Once, RwLock, Swap};

std::thread_local! {
    /// The handles this thread is serializing: one met again inside itself is a cycle.
    static SERIALIZING: core::cell::RefCell<BTreeSet<usize>> =
        const { core::cell::RefCell::new(BTreeSet::new()) };
}

/// `Serialize` for a handle made by the derive: a [`snapshot`](Handle::snapshot) of its data,
/// taken in the crate's lock order without panicking or waiting for this thread's own guards,
/// serialized as the data struct. `name`: the handle type's name, for messages.
///
/// # Errors
///
/// A field that cannot be read that way, a handle that contains itself, and what the data's
/// own `Serialize` returns.
pub fn serialize_handle<H, T, S>(
    this: &H,
    name: &'static str,
    serializer: S,
) -> Result<S::Ok, S::Error>
where
    H: Snapshot<Data = T>,
    T: Serialize,
    S: Serializer,
{
    let _inside = match enter(&SERIALIZING, H::as_ptr(this).addr()) {
        Enter::First(inside) => inside,
        Enter::Again => {
            return Err(S::Error::custom(format_args!(
                "cannot serialize `{name}`: it contains itself (a cycle of handles). Serialized \
                 data is a tree: mark the link back with `#[serde(skip)]` (a weak handle, for \
                 example) and restore it after loading"
            )))
        }
        Enter::Untracked => {
            return Err(S::Error::custom(format_args!(
                "cannot serialize `{name}` while this thread's thread-locals are being \
                 destroyed: cycles of handles cannot be detected there"
            )))
        }
    };
    let data = H::__snapshot(this, true).map_err(|busy| {
        S::Error::custom(format_args!(
            "cannot serialize field `{}` of `{name}`: {}",
            busy.field, busy.error
        ))
    })?;
    data.serialize(serializer)
}

/// `Deserialize` for a handle made by the derive: its data struct, deserialized, moved into a
/// new handle.
///
/// # Errors
///
/// What the data's own `Deserialize` returns.
pub fn deserialize_handle<'de, H, T, D>(deserializer: D) -> Result<H, D::Error>
where
    H: Handle<Data = T> + From<T>,
    T: Deserialize<'de>,
    D: Deserializer<'de>,
{
    T::deserialize(deserializer).map(H::from)
}

/// The flavour markers carry no data; these impls exist so that serde's derive on a data
/// struct with a flavour parameter (`Node<F>`, which adds `F: Serialize` to its impl) needs no
/// `#[serde(bound = ...)]`.
macro_rules! flavor_marker {
    ($flavor:ident) => {
        impl Serialize for $flavor {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_unit_struct(stringify!($flavor))
            }
        }

        impl<'de> Deserialize<'de> for $flavor {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserializer.deserialize_unit_struct(stringify!($flavor), UnitVisitor(PhantomData))
            }
        }
    };
}

flavor_marker!(LocalFlavor);
flavor_marker!(SyncFlavor);

/// Reads a unit struct (a flavour marker).
struct UnitVisitor<T>(PhantomData<T>);

impl<T: Default> serde::de::Visitor<'_> for UnitVisitor<T> {
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a unit (a sharecell flavour marker)")
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<T, E> {
        Ok(T::default())
    }
}

/// The value, as `get` returns it.
impl<T: AtomicValue + Serialize, F: Flavor> Serialize for Atom<T, F> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.get().serialize(serializer)
    }
}

/// The value (`swap`: the value the current pointer points to).
impl<T: Serialize, F: Flavor> Serialize for Swap<T, F> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        (*self.load()).serialize(serializer)
    }
}

/// `Some(value)` when set, `None` otherwise.
impl<T: Serialize, F: Flavor> Serialize for Once<T, F> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.get().serialize(serializer)
    }
}

/// The value, read under a shared guard (`Mutex`: the lock). Never panics and never waits for a
/// guard of this thread (see the module docs): that is an error instead.
macro_rules! lock_serialize {
    ($lock:ident, $what:literal) => {
        impl<T: Serialize, F: Flavor> Serialize for $lock<T, F> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match Field::try_hold(self) {
                    Ok(guard) => (*guard).serialize(serializer),
                    Err(error) => Err(S::Error::custom(format_args!(
                        concat!("cannot serialize a sharecell ", $what, ": {}"),
                        error
                    ))),
                }
            }
        }
    };
}

lock_serialize!(RwLock, "RwLock");
lock_serialize!(Mutex, "Mutex");

/// The value, deserialized and moved into a new cell.
macro_rules! value_deserialize {
    ($cell:ident $(: $bound:path)?, $value:ty) => {
        impl<'de, T: Deserialize<'de> $(+ $bound)?, F: Flavor> Deserialize<'de> for $cell<T, F> {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                <$value>::deserialize(deserializer).map($cell::new)
            }
        }
    };
}

value_deserialize!(Atom: AtomicValue, T);
value_deserialize!(RwLock, T);
value_deserialize!(Mutex, T);
value_deserialize!(Swap, T);
value_deserialize!(Once, Option<T>);
