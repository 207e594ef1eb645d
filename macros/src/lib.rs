//! The `#[derive(Shared)]` macro of [sharecell](https://docs.rs/sharecell). Depend on `sharecell`
//! and use the derive from there: its documentation describes every attribute.
//!
//! The derive reads the input (`ast`, `attr`), checks it (`valid`), and writes the handle's items
//! (`expand`) and trait impls (`impls`) from the `parts` they share, with the bounds of `bound`;
//! on a mistake it writes the errors and what still works (`fallback`). `#[derive(AtomicValue)]`
//! is `atomic_value` alone.
#![forbid(unsafe_code)]
#![warn(missing_docs, unreachable_pub)]

mod ast;
mod atomic_value;
mod attr;
mod bound;
mod errors;
mod expand;
mod fallback;
mod impls;
mod names;
mod parts;
#[cfg(test)]
mod tests;
mod tokens;
mod valid;

use proc_macro2::TokenStream;
use syn::DeriveInput;

use crate::ast::Input;
use crate::errors::Errors;

// The facade documents the derive on its re-export (src/derive.md), and rustdoc appends this
// item's own documentation to that page; so this line is written only where this crate itself
// is documented (`cfg(doc)` holds for the crate rustdoc documents, not for its dependencies).
#[cfg_attr(
    doc,
    doc = "Derives a shared handle type for a struct with named fields. See the `sharecell` crate."
)]
#[allow(missing_docs)] // in other builds, as said above
#[proc_macro_derive(Shared, attributes(shared))]
pub fn derive_shared(input: proc_macro::TokenStream) -> proc_macro::TokenStream {
    derive(input.into()).into()
}

/// Derives `AtomicValue` for a fieldless enum or a newtype, so an `Atom` can hold it. See the
/// `sharecell` crate.
#[proc_macro_derive(AtomicValue, attributes(shared))]
pub fn derive_atomic_value(input: proc_macro::TokenStream) -> proc_macro::TokenStream {
    atomic_value::derive(input.into()).into()
}

/// The whole derive, from the struct's tokens to the generated items (or `compile_error!`s);
/// with `Serialize` and `Deserialize` impls when the feature `serde` is on.
fn derive(tokens: TokenStream) -> TokenStream {
    derive_with(tokens, cfg!(feature = "serde"))
}

/// [`derive`], with or without the serde impls.
fn derive_with(tokens: TokenStream, serde: bool) -> TokenStream {
    let input: DeriveInput = match syn::parse2(tokens) {
        Ok(input) => input,
        Err(err) => return err.to_compile_error(),
    };
    let mut errors = Errors::default();
    let Some(ast) = Input::from_syn(&input, &mut errors) else {
        return fallback::stub(&input, errors);
    };
    let plan = valid::check(&ast, &mut errors);
    match errors.into_error() {
        None => expand::expand(&ast, serde),
        Some(err) => fallback::partial(&ast, &input, plan, err),
    }
}
