//! Bound inference: which bounds the impls and methods of a handle carry, from the types of its
//! fields (`Clone` for `snapshot`, `Debug` on the type parameters, `AtomicValue` on every
//! item). Decided from the types' structure alone, never from a type's name; `#[shared(bound =
//! "...")]` replaces what is inferred here.

use proc_macro2::{TokenStream, TokenTree};
use quote::{quote, quote_spanned, ToTokens};
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::{parse_quote_spanned, GenericParam, Type, WherePredicate};

use crate::ast::{is_scalar, Field, Input};
use crate::attr::Storage;
use crate::tokens::respan;

/// `for<'__sharecell> Type: Trait` for the type of every field but the atomic ones, spanned on
/// the field's type: checked where the impl or method is used, not where it is defined (a bound
/// that names no generic parameter would otherwise be a hard error for a struct whose field
/// lacks the trait). For `Clone`, which every handle implements without conditions, so a handle
/// inside a field type makes no cycle. `Atom` fields need no bound (an `AtomicValue` is `Copy`),
/// and each type is bounded once: every bound costs type-checking time in every crate that
/// derives.
pub(crate) fn field_bounds(input: &Input<'_>, tr: &TokenStream) -> Vec<TokenStream> {
    let mut seen = Vec::new();
    input
        .fields
        .iter()
        .filter(|f| f.storage != Storage::Atomic)
        .map(Field::value_ty)
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

/// `T: Trait` for each type parameter `T` of the struct that a non-atomic field's type
/// mentions outside a `PhantomData`, as serde's derive bounds its impls: the rule for `Debug`,
/// which a handle implements only when its fields are. The flavour parameter is left out (a
/// field that names it is a link to a handle of the same flavour, whose `Debug` is the one being
/// written). Field types that name no parameter get no bound: the impl prints them as they are,
/// or as `<not Debug>` when they are not (see `__private::DebugField`), so a handle inside them,
/// this one included, makes no cycle of bounds.
pub(crate) fn param_bounds(input: &Input<'_>, tr: &TokenStream) -> Vec<TokenStream> {
    let params: Vec<_> = input
        .generics
        .type_params()
        .filter(|p| !(input.own_flavor() && p.ident == input.flavor))
        .collect();
    if params.is_empty() {
        return Vec::new();
    }
    // Each field type's tokens once, not once per parameter.
    let types: Vec<TokenStream> = input
        .fields
        .iter()
        .filter(|f| f.storage != Storage::Atomic)
        .map(|f| f.value_ty().to_token_stream())
        .collect();
    params
        .into_iter()
        .filter(|p| {
            let name = p.ident.unraw().to_string();
            types.iter().any(|ty| mentions(ty.clone(), &name))
        })
        .map(|p| {
            let ident = &p.ident;
            quote!(#ident: #tr)
        })
        .collect()
}

/// Whether `tokens` name the type parameter `name` outside a `PhantomData<..>` (or
/// `PhantomData::<..>`), which is `Debug` whatever it holds: serde's derive leaves it out the
/// same way.
fn mentions(tokens: TokenStream, name: &str) -> bool {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    let punct =
        |i: usize, c: char| matches!(tokens.get(i), Some(TokenTree::Punct(p)) if p.as_char() == c);
    let mut i = 0;
    while i < tokens.len() {
        match &tokens[i] {
            TokenTree::Ident(ident) if ident == "PhantomData" => {
                // Past `PhantomData`, `::` and the opening `<`, then to the matching `>`; the
                // `>` of an arrow (`fn() -> T`) closes nothing.
                let mut j = i + 1;
                if punct(j, ':') && punct(j + 1, ':') {
                    j += 2;
                }
                if punct(j, '<') {
                    let mut depth = 0usize;
                    while j < tokens.len() {
                        if punct(j, '<') {
                            depth += 1;
                        } else if punct(j, '>') && !(j > 0 && punct(j - 1, '-')) {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        j += 1;
                    }
                }
                i = j;
            }
            TokenTree::Ident(ident) if ident.unraw() == name => return true,
            TokenTree::Group(g) if mentions(g.stream(), name) => return true,
            _ => {}
        }
        i += 1;
    }
    false
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

#[cfg(test)]
mod tests {
    use super::mentions;
    use quote::quote;

    #[test]
    fn phantom_data_is_left_out_and_nothing_else() {
        assert!(mentions(quote!(Vec<T>), "T"));
        assert!(mentions(quote!((u8, [T; 4])), "T"));
        assert!(mentions(quote!(Option<<T as Tr>::Item>), "T"));
        assert!(!mentions(quote!(Vec<U>), "T"));
        assert!(!mentions(quote!(PhantomData<T>), "T"));
        assert!(!mentions(quote!(core::marker::PhantomData<Vec<T>>), "T"));
        assert!(!mentions(quote!(PhantomData<fn() -> T>), "T"));
        assert!(!mentions(quote!(PhantomData::<fn(T) -> Vec<T>>), "T"));
        assert!(mentions(quote!((PhantomData<fn() -> T>, T)), "T"));
        assert!(mentions(quote!((PhantomData<U>, Box<T>)), "T"));
    }
}
