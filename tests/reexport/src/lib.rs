//! Test helper: re-exports sharecell under another path, as a framework crate would.
//! The integration test `tests/reexport.rs` derives through `#[shared(crate = ...)]`.

/// sharecell, reached through this crate.
pub mod deps {
    pub use sharecell as cells;
}
