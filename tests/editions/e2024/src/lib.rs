//! `#[derive(Shared)]` in an edition 2024 crate.
use sharecell::{DefaultFlavor, Flavor, Shared};
include!("../../lib.rs");
