//! `#[derive(Shared)]` in an edition 2018 crate.
use sharecell::{DefaultFlavor, Flavor, Shared};
include!("../../lib.rs");
