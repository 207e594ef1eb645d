//! placeholder
pub use sharecell_runtime::*;
