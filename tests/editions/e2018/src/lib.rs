//! `#[derive(Shared)]` in an edition 2018 crate.
use sharecell::{DefaultFlavor, Flavor, Shared};
// `shared.rs` links to `tests/editions/lib.rs`, the code every edition compiles.
include!("shared.rs");
