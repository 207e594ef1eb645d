//! `#[derive(Shared)]` in an edition 2015 crate (which needs `extern crate`).
extern crate sharecell;
use sharecell::{DefaultFlavor, Flavor, Shared};
// `shared.rs` links to `tests/editions/lib.rs`, the code every edition compiles.
include!("shared.rs");
