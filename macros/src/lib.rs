//! The `#[derive(Shared)]` macro of [sharecell](https://docs.rs/sharecell). Depend on `sharecell`
//! and use the derive from there: its documentation describes every attribute.
#![forbid(unsafe_code)]
#![warn(missing_docs, unreachable_pub)]

mod ast;
mod attr;
mod errors;
mod expand;
mod fallback;
#[cfg(test)]
mod tests;
mod valid;

/// Derives a shared handle type for a struct with named fields. See the `sharecell` crate.
#[proc_macro_derive(Shared, attributes(shared))]
pub fn derive_shared(input: proc_macro::TokenStream) -> proc_macro::TokenStream {
    expand::derive(input.into()).into()
}
