//! The feature `serde`: every cell serializes as its value, and a handle made by the derive as
//! its data struct would (the derive's impls call `save::serialize_handle` and
//! [`deserialize_handle`]). Serializing a handle or a lock cell is a save (save/mod.rs): one
//! consistent picture of everything it reaches, without panics or waits that never end.

use core::fmt;
use core::marker::PhantomData;

use serde::de::{Deserialize, Deserializer};
use serde::ser::{Serialize, Serializer};

use crate::flavor::{Flavor, LocalFlavor, SyncFlavor};
use crate::handle::Shared;
use crate::save::serialize_cell;
use crate::value::AtomicValue;
use crate::{Atom, Mutex, Once, RwLock, Swap};

/// `Deserialize` for a handle made by the derive: its data struct, deserialized, moved into a
/// new handle.
///
/// # Errors
///
/// What the data's own `Deserialize` returns.
pub fn deserialize_handle<'de, H, T, D>(deserializer: D) -> Result<H, D::Error>
where
    H: Shared<Data = T> + From<T>,
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

/// The value, read under a shared guard (`Mutex`: the lock), together with every handle it
/// reaches, as one consistent picture (a save, save/mod.rs). Never panics and never waits for
/// a guard of this thread: that is an error instead.
macro_rules! lock_serialize {
    ($lock:ident, $what:literal) => {
        impl<T: Serialize, F: Flavor> Serialize for $lock<T, F> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serialize_cell(self, $what, serializer)
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
