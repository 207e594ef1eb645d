//! Unit tests of the whole derive. They live inside the crate because a proc-macro crate can
//! export nothing but macros, so integration tests cannot call `derive` directly.

mod fuzz;
mod pools;
mod rng;
mod snapshot;
mod structs;
mod tokens;
mod types;
