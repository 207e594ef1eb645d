//! Test helper: re-exports sharecell under another path, as a framework crate would.
//! This package's integration test, `tests/reexport.rs`, derives through `#[shared(crate = ...)]`;
//! it lives here rather than in the facade, so the facade needs no dev-dependency.

/// sharecell, reached through this crate.
pub mod deps {
    pub use sharecell as cells;
}
