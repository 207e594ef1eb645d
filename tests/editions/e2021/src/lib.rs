//! `#[derive(Shared)]` in an edition 2021 crate.
use sharecell::{DefaultFlavor, Flavor, Shared};
include!("../../lib.rs");
