//! `#[derive(Shared)]` in an edition 2015 crate (which needs `extern crate`).
extern crate sharecell;
use sharecell::{DefaultFlavor, Flavor, Shared};
include!("../../lib.rs");
