//! Bound inference: which `for<'__sharecell> Type: Trait` bounds the impls and methods of a
//! handle carry, from the types of its fields (`Clone` and `Debug` where they are needed,
//! `AtomicValue` on every item).

use proc_macro2::{Ident, TokenStream, TokenTree};
use quote::{quote, quote_spanned, ToTokens};
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::{
    parse_quote_spanned, GenericArgument, GenericParam, PathArguments, Type, WherePredicate,
};

use crate::ast::{is_scalar, Field, Input};
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

/// `for<'__sharecell> Type: AtomicValue` for the [`atomic_fields`], spanned on the field's type,
/// for every item of the handle: a bound that is checked where the item is used, not where it is
/// defined, so that a field type that is no `AtomicValue` is not one error for every generated
/// item that names its `Atom`. `atomic_check` (impls.rs) checks each type once instead, at the
/// field. A generic type needs `T: AtomicValue` on the struct, as before.
pub(crate) fn atomic_bounds(input: &Input<'_>) -> Vec<WherePredicate> {
    let (krate, lifetime) = (&input.krate, &input.bound_lifetime);
    atomic_fields(input)
        .map(|f| {
            let (ty, span) = (f.ty, f.ty.span());
            let tr = respan(quote!(#krate::AtomicValue), span);
            parse_quote_spanned!(span=> for<#lifetime> #ty: #tr)
        })
        .collect()
}

/// The `atomic` fields whose type may not be an `AtomicValue`: neither a scalar nor generic
/// (your own enum or newtype, or a mistake such as a `String`). See [`atomic_bounds`].
pub(crate) fn atomic_fields<'i, 'a>(input: &'i Input<'a>) -> impl Iterator<Item = &'i Field<'a>> {
    input
        .fields
        .iter()
        .filter(|f| f.storage == Storage::Atomic && !is_scalar(f.ty))
        .filter(|f| !names_a_parameter(f.ty, input))
}

/// Whether `ty` names a type or const parameter of the struct, or a lifetime.
fn names_a_parameter(ty: &Type, input: &Input<'_>) -> bool {
    let params: Vec<String> = input
        .generics
        .params
        .iter()
        .filter_map(|p| match p {
            GenericParam::Type(t) => Some(t.ident.unraw().to_string()),
            GenericParam::Const(c) => Some(c.ident.unraw().to_string()),
            GenericParam::Lifetime(_) => None,
        })
        .collect();
    fn walk(tokens: TokenStream, params: &[String]) -> bool {
        tokens.into_iter().any(|tt| match tt {
            TokenTree::Ident(i) => params.contains(&i.unraw().to_string()),
            TokenTree::Punct(p) => p.as_char() == '\'',
            TokenTree::Group(g) => walk(g.stream(), params),
            TokenTree::Literal(_) => false,
        })
    }
    walk(ty.to_token_stream(), &params)
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
