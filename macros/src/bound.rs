//! Bound inference: which `for<'__sharecell> Type: Trait` bounds the impls and methods of a
//! handle carry, from the types of its fields.

use proc_macro2::{Ident, TokenStream, TokenTree};
use quote::{quote_spanned, ToTokens};
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::{GenericArgument, PathArguments, Type};

use crate::ast::Input;
use crate::attr::Storage;
use crate::tokens::respan;

/// `for<'__sharecell> Type: Trait` for the types of the fields, spanned on the field's type:
/// checked where the impl or method is used, not where it is defined (a bound that names no
/// generic parameter would otherwise be a hard error for a struct whose field lacks the trait).
///
/// A field type that contains handles is bounded by its other parts only (see
/// [`bounded_parts`]). `Atom` fields need no bound (an `AtomicValue` is `Copy` and `Debug`), and
/// each type is bounded once: every bound costs type-checking time in every crate that derives.
pub(crate) fn field_bounds(input: &Input<'_>, tr: &TokenStream, bound: Bound) -> Vec<TokenStream> {
    let mut parts = Vec::new();
    for field in input.fields.iter().filter(|f| f.storage != Storage::Atomic) {
        match bound {
            Bound::Whole => parts.push(field.value_ty()),
            Bound::HandlesLeftOut => bounded_parts(field.value_ty(), input, &mut parts),
        }
    }
    let mut seen = Vec::new();
    parts
        .into_iter()
        .filter(|ty| {
            let key = ty.to_token_stream().to_string();
            let new = !seen.contains(&key);
            seen.push(key);
            new
        })
        .map(|ty| {
            let tr = respan(tr.clone(), ty.span());
            let lifetime = &input.bound_lifetime;
            quote_spanned!(ty.span()=> for<#lifetime> #ty: #tr)
        })
        .collect()
}

/// How [`field_bounds`] bounds a field's type.
#[derive(Clone, Copy)]
pub(crate) enum Bound {
    /// The whole type: for `Clone`, which every handle implements without conditions, so a
    /// handle inside a field type makes no cycle.
    Whole,
    /// Its parts other than handles ([`bounded_parts`]): for `Debug`, which a handle implements
    /// only when its own fields do.
    HandlesLeftOut,
}

/// The parts of `ty` that get a bound: `ty` itself when it contains no handle; otherwise its
/// type arguments, tuple elements and element types, recursively, leaving out the handles.
///
/// A handle's `Debug` needs its fields' `Debug`, and a field that holds a handle (its own:
/// `children: Vec<Node<F>>`, or another type's that points back: `Block` and `Stmt`) makes
/// that a cycle, which the trait solver cannot prove (error E0275). Without the bound the
/// impl's body still checks the handle part, where the handle's own impl is at hand. So
/// `Vec<(Node<F>, Label)>` is bounded by `Label` alone, and a handle whose field holds a
/// `Label` that is not `Debug` is not `Debug` either, which the compiler says where it is used.
///
/// What counts as a handle, by name since the derive sees only tokens: this struct's handle
/// and weak handle, any type whose name ends in `Handle` (every default handle name, and the
/// runtime's `WeakHandle`), and any type that names the flavour parameter (with
/// `#[shared(flavor = F)]`, a link to a handle of the same flavour, also through an alias).
fn bounded_parts<'t>(ty: &'t Type, input: &Input<'_>, out: &mut Vec<&'t Type>) {
    if !names_a_handle(ty.to_token_stream(), input) {
        out.push(ty);
        return;
    }
    match ty {
        Type::Path(path) if path.qself.is_none() => {
            let last = path.path.segments.last();
            if last.is_some_and(|s| is_handle_name(&s.ident, input)) {
                return;
            }
            for segment in &path.path.segments {
                if let PathArguments::AngleBracketed(args) = &segment.arguments {
                    for arg in &args.args {
                        if let GenericArgument::Type(ty) = arg {
                            bounded_parts(ty, input, out);
                        }
                    }
                }
            }
        }
        Type::Tuple(tuple) => {
            for elem in &tuple.elems {
                bounded_parts(elem, input, out);
            }
        }
        Type::Array(array) => bounded_parts(&array.elem, input, out),
        Type::Slice(slice) => bounded_parts(&slice.elem, input, out),
        Type::Reference(reference) => bounded_parts(&reference.elem, input, out),
        Type::Paren(paren) => bounded_parts(&paren.elem, input, out),
        Type::Group(group) => bounded_parts(&group.elem, input, out),
        // Any other type that names a handle is checked by the impl's body alone.
        _ => {}
    }
}

/// Whether `tokens` name a handle (see [`bounded_parts`]).
fn names_a_handle(tokens: TokenStream, input: &Input<'_>) -> bool {
    tokens.into_iter().any(|tt| match tt {
        TokenTree::Ident(ident) => is_handle_name(&ident, input),
        TokenTree::Group(group) => names_a_handle(group.stream(), input),
        _ => false,
    })
}

fn is_handle_name(ident: &Ident, input: &Input<'_>) -> bool {
    *ident == input.handle
        || *ident == input.weak
        || (input.own_flavor() && *ident == input.flavor)
        || ident.unraw().to_string().ends_with("Handle")
}
