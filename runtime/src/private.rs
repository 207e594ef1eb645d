//! Not public API: what the code written by `#[derive(Shared)]` uses, and the hidden bounds of
//! public methods, re-exported from where they live. Anything here may change in any release.

pub use crate::backend::LOOM;
pub use crate::debug::{debug_handle, DebugField, NotDebug};
pub use crate::field::{snapshot, Cells, Field, Mode, Padded, ReadOnly, SkipInSave, Stop, Stored};
pub use crate::kinds::PtrKind;
pub use crate::lock_all::NotALock;
#[cfg(loom)]
pub use crate::loom_arc::{Arc as LoomArc, Weak as LoomWeak};
#[cfg(feature = "serde")]
pub use crate::save::serialize_handle;
#[cfg(feature = "serde")]
pub use crate::serde_impls::deserialize_handle;
pub use core;
#[cfg(feature = "serde")]
pub use serde;
