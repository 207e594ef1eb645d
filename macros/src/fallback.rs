//! What to emit when the input has mistakes: the errors, plus as much of the handle as can be
//! built without a second error, so the user sees the real mistake and not a cascade of
//! "cannot find type `AccountHandle`" after it.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::{DeriveInput, GenericParam};

use crate::ast::{fresh_ident, Input};
use crate::attr::ContainerAttrs;
use crate::errors::Errors;
use crate::expand;
use crate::parts::Parts;
use crate::valid::Plan;

/// The input is not a struct with named fields: the error and an empty handle type.
pub(crate) fn stub(input: &DeriveInput, errors: Errors) -> TokenStream {
    let mut ignored = Errors::default();
    let attrs = ContainerAttrs::parse(&input.attrs, &mut ignored);
    let handle = attrs
        .handle
        .unwrap_or_else(|| format_ident!("{}Handle", input.ident));
    let krate = attrs
        .krate
        .map_or_else(|| quote!(::sharecell), |path| quote!(#path));
    let error = errors.into_error().map(|e| e.to_compile_error());
    // A handle named like the input would be a second error about the user's own item.
    let stub = (handle != input.ident).then(|| stub_struct(input, &handle, &krate));
    quote!(#error #stub)
}

/// A handle type with the struct's generics (plus the flavour) and no fields.
fn stub_struct(input: &DeriveInput, handle: &syn::Ident, krate: &TokenStream) -> TokenStream {
    let vis = &input.vis;
    let params = &input.generics.params;
    let used = params.iter().map(|p| match p {
        GenericParam::Lifetime(l) => {
            let lt = &l.lifetime;
            quote!(&#lt ())
        }
        GenericParam::Type(t) => {
            let ident = &t.ident;
            quote!(#ident)
        }
        GenericParam::Const(_) => quote!(()),
    });
    let where_clause = &input.generics.where_clause;
    let comma = (!params.is_empty() && !params.trailing_punct()).then(|| quote!(,));
    let flavor = fresh_ident("F", input);
    quote! {
        #vis struct #handle<#params #comma #flavor = #krate::DefaultFlavor>(
            #krate::__private::core::marker::PhantomData<(#(#used,)* #flavor,)>
        ) #where_clause;
    }
}

/// The input is a struct but has mistakes: the errors, and what `plan` says still works.
pub(crate) fn partial(
    ast: &Input<'_>,
    input: &DeriveInput,
    plan: Plan,
    error: syn::Error,
) -> TokenStream {
    let error = error.to_compile_error();
    if !plan.handle {
        return error;
    }
    if !plan.types {
        let stub = stub_struct(input, &ast.handle, &ast.krate);
        return quote!(#error #stub);
    }
    let parts = Parts::new(ast);
    let weak = plan.weak.then(|| expand::weak_alias(&parts));
    let handle = expand::handle_struct(&parts);
    let alias = expand::alias(&parts);
    let storage = expand::storage_struct(&parts);
    let accessors = expand::accessors(&parts, &plan.accessors);
    quote! {
        #error
        #handle
        #weak
        #accessors
        #[allow(unused_qualifications)]
        const _: () = {
            #alias
            #storage
        };
    }
}
