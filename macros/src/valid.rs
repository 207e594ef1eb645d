//! Checks that need the whole input: names that collide, and the `flavor = F` parameter.

use std::collections::BTreeMap;

use quote::ToTokens;
use syn::ext::IdentExt;
use syn::Ident;

use crate::ast::Input;
use crate::errors::Errors;
use crate::names;

/// What can still be generated when the input has mistakes (see `fallback`).
pub(crate) struct Plan {
    /// Fields whose accessor can be generated without a second error.
    pub(crate) accessors: Vec<usize>,
    /// The handle's name is usable.
    pub(crate) handle: bool,
    /// The weak alias's name is usable.
    pub(crate) weak: bool,
    /// The flavour parameter is usable and no field type says `Self`: the storage types can
    /// be written.
    pub(crate) types: bool,
}

pub(crate) fn check(input: &Input<'_>, errors: &mut Errors) -> Plan {
    let (handle, weak) = check_type_names(input, errors);
    Plan {
        accessors: check_accessors(input, errors),
        handle,
        weak,
        types: check_no_self(input, errors)
            & input
                .attrs
                .flavor
                .as_ref()
                .is_none_or(|f| check_flavor_param(input, f, errors)),
    }
}

/// Returns the fields whose accessor is fine.
fn check_accessors(input: &Input<'_>, errors: &mut Errors) -> Vec<usize> {
    let mut seen: BTreeMap<String, &Ident> = BTreeMap::new();
    let mut ok = Vec::new();
    for (i, field) in input.fields.iter().enumerate() {
        let name = field.accessor.to_string();
        let name = name.strip_prefix("r#").unwrap_or(&name);
        let span = field
            .attrs
            .rename
            .as_ref()
            .map_or(field.member.span(), Ident::span);
        let reserved = names::reserved(name, input.attrs.no_new.is_none());
        if let Some(through) = reserved {
            errors.push(syn::Error::new(
                span,
                format!(
                    "the accessor `{name}` would collide with `{}::{name}`, which every handle \
                     has{}; rename the accessor with `#[shared(rename = {name}_)]` (or any other \
                     name) on field `{}`",
                    input.handle,
                    through.map_or_else(String::new, |t| format!(" through `{t}`")),
                    field.member
                ),
            ));
        }
        if let Some(first) = seen.get(name) {
            errors.push(syn::Error::new(
                span,
                format!(
                    "two fields would get the accessor `{name}`: `{first}` and `{}`; give one of \
                     them another name with `#[shared(rename = ...)]`",
                    field.member
                ),
            ));
        } else {
            seen.insert(name.to_owned(), field.member);
            if reserved.is_none() {
                ok.push(i);
            }
        }
    }
    ok
}

/// Returns whether the handle's and the weak alias's names are usable.
fn check_type_names(input: &Input<'_>, errors: &mut Errors) -> (bool, bool) {
    let handle_span = input
        .attrs
        .handle
        .as_ref()
        .map_or(input.ident.span(), Ident::span);
    let weak_span = input.attrs.weak.as_ref().map_or(handle_span, Ident::span);
    let handle_ok = input.handle != *input.ident;
    let weak_ok = input.weak != *input.ident && input.weak != input.handle;
    if !handle_ok {
        errors.push(syn::Error::new(
            handle_span,
            format!(
                "the handle type would be named `{}`, like the struct itself; choose another \
                 name, for example `#[shared(handle = {}Handle)]`",
                input.handle, input.ident
            ),
        ));
    }
    if !weak_ok {
        let other = if input.weak == *input.ident {
            "struct"
        } else {
            "handle type"
        };
        errors.push(syn::Error::new(
            weak_span,
            format!(
                "the weak handle type would be named `{}`, like the {other}; choose another \
                 name, for example `#[shared(weak = Weak{})]`",
                input.weak, input.handle
            ),
        ));
    }
    (handle_ok, weak_ok)
}

/// `Self` in a field type would mean the handle inside the generated code, not the struct.
fn check_no_self(input: &Input<'_>, errors: &mut Errors) -> bool {
    let mut ok = true;
    for field in &input.fields {
        if let Some(span) = find_self(field.ty.to_token_stream()) {
            ok = false;
            errors.push(syn::Error::new(
                span,
                format!(
                    "`Self` cannot be used in the type of field `{}`: the derive copies field types \
                     into the handle, where `Self` would mean the handle; write the struct's name, \
                     `{}`, instead",
                    field.member, input.ident
                ),
            ));
        }
    }
    ok
}

fn find_self(tokens: proc_macro2::TokenStream) -> Option<proc_macro2::Span> {
    tokens.into_iter().find_map(|tt| match tt {
        proc_macro2::TokenTree::Ident(i) if i == "Self" => Some(i.span()),
        proc_macro2::TokenTree::Group(g) => find_self(g.stream()),
        _ => None,
    })
}

/// Returns whether `flavor` names a type parameter of the struct. Its bound is not checked
/// here (a trait of the user's may have `Flavor` as a supertrait): the handle adds
/// `Flavor` itself, and a struct that needs it and lacks it is reported by the compiler.
fn check_flavor_param(input: &Input<'_>, flavor: &Ident, errors: &mut Errors) -> bool {
    let found = input
        .generics
        .type_params()
        .any(|p| p.ident.unraw() == flavor.unraw());
    if !found {
        let params: Vec<String> = input
            .generics
            .type_params()
            .map(|p| format!("`{}`", p.ident))
            .collect();
        let have = if params.is_empty() {
            format!("`{}` has no type parameters", input.ident)
        } else {
            format!(
                "the type parameters of `{}` are {}",
                input.ident,
                params.join(", ")
            )
        };
        let mut example: Vec<String> = input
            .generics
            .params
            .iter()
            .map(|p| quote::quote!(#p).to_string())
            .collect();
        example.push(format!(
            "{flavor}: sharecell::Flavor = sharecell::DefaultFlavor"
        ));
        errors.push(syn::Error::new(
            flavor.span(),
            format!(
                "`flavor = {flavor}` must name a type parameter of the struct, but {have}; add \
                 it, for example `struct {}<{}>`, or remove `flavor = {flavor}` to let the \
                 derive add the parameter",
                input.ident,
                example.join(", ")
            ),
        ));
        return false;
    }
    true
}
