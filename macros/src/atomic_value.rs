//! `#[derive(AtomicValue)]`: a fieldless enum, stored as its discriminant, or a newtype, stored
//! as its one field, becomes a value an `Atom` can hold (the runtime's `AtomicValue`).
//!
//! The conversion back never makes a value out of a number: an enum's `from_repr` compares the
//! number with each variant's discriminant and returns `None` for anything else, and a
//! newtype's asks its field's. Both round-trip by construction.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned, ToTokens};
use syn::spanned::Spanned;
use syn::{
    parse_quote, parse_quote_spanned, Attribute, Data, DataEnum, DeriveInput, Expr, ExprLit,
    ExprUnary, Fields, Ident, Lit, Path, UnOp, WherePredicate,
};

use crate::errors::Errors;

/// The whole derive, from the type's tokens to the impl (or `compile_error!`s).
pub(crate) fn derive(tokens: TokenStream) -> TokenStream {
    let input: DeriveInput = match syn::parse2(tokens) {
        Ok(input) => input,
        Err(err) => return err.to_compile_error(),
    };
    let mut errors = Errors::default();
    let krate = crate_path(&input.attrs, &mut errors);
    let body = match &input.data {
        Data::Enum(data) => enum_items(&input, data, &krate, &mut errors),
        Data::Struct(data) => newtype_items(&input, &data.fields, &krate, &mut errors),
        Data::Union(data) => {
            errors.push(syn::Error::new(
                data.union_token.span,
                "`derive(AtomicValue)` takes a fieldless enum or a newtype (a struct with one \
                 field), not a union; keep a union behind a lock: `#[shared(rwlock)]` or \
                 `#[shared(mutex)]`",
            ));
            None
        }
    };
    match (errors.into_error(), body) {
        (None, Some(items)) => {
            let Items {
                span,
                repr,
                where_clause,
                into,
                from,
            } = items;
            let ident = &input.ident;
            let (impl_generics, args, _) = input.generics.split_for_impl();
            let option = quote!(#krate::__private::core::option::Option);
            let items = quote_spanned! {span=>
                type Repr = #repr;
                #[inline]
                fn into_repr(self) -> #repr {
                    #into
                }
                #[inline]
                fn from_repr(repr: #repr) -> #option<Self> {
                    #from
                }
            };
            quote! {
                #[automatically_derived]
                impl #impl_generics #krate::AtomicValue for #ident #args #where_clause {
                    #items
                }
            }
        }
        (Some(err), _) => err.to_compile_error(),
        // Every `None` above records an error.
        (None, None) => TokenStream::new(),
    }
}

/// What differs between the impls: where an error about them belongs (a newtype's field), the
/// `Repr` type, the where clause and the bodies of `into_repr` and `from_repr(repr)`.
struct Items {
    span: Span,
    repr: TokenStream,
    where_clause: TokenStream,
    into: TokenStream,
    from: TokenStream,
}

/// `#[shared(crate = path)]`, as `#[derive(Shared)]` spells it, or `::sharecell`.
fn crate_path(attrs: &[Attribute], errors: &mut Errors) -> TokenStream {
    let mut krate = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident("shared")) {
        let result = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("crate") && krate.is_none() {
                krate = Some(meta.value()?.parse::<Path>()?);
                Ok(())
            } else if meta.path.is_ident("crate") {
                Err(meta.error("`crate` is given twice"))
            } else {
                Err(meta.error(
                    "`derive(AtomicValue)` takes one key in `#[shared(...)]`: `crate = path` (the \
                     path of the sharecell crate when it is re-exported)",
                ))
            }
        });
        if let Err(err) = result {
            errors.push(err);
        }
    }
    krate.map_or_else(|| quote!(::sharecell), |path| path.into_token_stream())
}

/// A fieldless enum: stored as its discriminant, in the integer of its `#[repr]`, or else in
/// the smallest integer that holds every discriminant written as a literal (`isize`, the
/// discriminant type of an enum without a `repr`, when one is not a literal).
fn enum_items(
    input: &DeriveInput,
    data: &DataEnum,
    krate: &TokenStream,
    errors: &mut Errors,
) -> Option<Items> {
    let mut fieldless = true;
    for variant in &data.variants {
        if !matches!(variant.fields, Fields::Unit) {
            fieldless = false;
            errors.push(syn::Error::new_spanned(
                &variant.fields,
                format!(
                    "`derive(AtomicValue)` takes a fieldless enum: variant `{}` holds data, which \
                     an atomic cannot store; keep this type behind a lock with \
                     `#[shared(rwlock)]` or `#[shared(mutex)]` on the field",
                    variant.ident
                ),
            ));
        }
    }
    let repr = repr_int(&input.attrs, errors).unwrap_or_else(|| smallest_int(data));
    if !fieldless {
        return None;
    }
    let ident = &input.ident;
    let variants: Vec<&Ident> = data.variants.iter().map(|v| &v.ident).collect();
    let core = quote!(#krate::__private::core);
    let into = if variants.is_empty() {
        quote!(match self {})
    } else {
        quote!(self as #repr)
    };
    let from = quote! {
        #(
            if repr == #ident::#variants as #repr {
                return #core::option::Option::Some(#ident::#variants);
            }
        )*
        #core::option::Option::None
    };
    Some(Items {
        span: Span::call_site(),
        repr,
        where_clause: input.generics.where_clause.to_token_stream(),
        into,
        from,
    })
}

/// The integer of `#[repr(u8)]` (or `#[repr(C, u8)]`, ...), if there is one; an error for a
/// 128-bit one, which no atomic holds.
fn repr_int(attrs: &[Attribute], errors: &mut Errors) -> Option<TokenStream> {
    let mut found = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident("repr")) {
        // Other `repr` arguments (`C`, `align(..)`) are the compiler's to check.
        let _ = attr.parse_nested_meta(|meta| {
            if let Some(ident) = meta.path.get_ident() {
                match ident.to_string().as_str() {
                    "u8" | "u16" | "u32" | "u64" | "usize" | "i8" | "i16" | "i32" | "i64"
                    | "isize" => found = Some(ident.to_token_stream()),
                    "u128" | "i128" => errors.push(syn::Error::new(
                        ident.span(),
                        "no atomic holds a 128-bit discriminant: use `#[repr(u64)]` or smaller \
                         for `derive(AtomicValue)`",
                    )),
                    _ => {}
                }
            }
            if meta.input.peek(syn::token::Paren) {
                let content;
                syn::parenthesized!(content in meta.input);
                content.parse::<TokenStream>()?;
            }
            Ok(())
        });
    }
    found
}

/// The smallest integer that holds every discriminant (implicit ones count up from the last
/// literal, as the compiler counts), or `isize` when a discriminant is not an integer literal.
fn smallest_int(data: &DataEnum) -> TokenStream {
    let (mut next, mut min, mut max) = (0i128, 0i128, 0i128);
    for variant in &data.variants {
        let value = match &variant.discriminant {
            None => next,
            Some((_, expr)) => match literal(expr) {
                Some(value) => value,
                None => return quote!(isize),
            },
        };
        min = min.min(value);
        max = max.max(value);
        next = value.saturating_add(1);
    }
    let fits = |lo: i128, hi: i128| min >= lo && max <= hi;
    let ty = if fits(0, u8::MAX.into()) {
        "u8"
    } else if fits(i8::MIN.into(), i8::MAX.into()) {
        "i8"
    } else if fits(0, u16::MAX.into()) {
        "u16"
    } else if fits(i16::MIN.into(), i16::MAX.into()) {
        "i16"
    } else if fits(0, u32::MAX.into()) {
        "u32"
    } else if fits(i32::MIN.into(), i32::MAX.into()) {
        "i32"
    } else {
        "isize"
    };
    Ident::new(ty, Span::call_site()).into_token_stream()
}

/// The value of an integer literal discriminant (`3`, `-1`, `0x10u8`).
fn literal(expr: &Expr) -> Option<i128> {
    match expr {
        Expr::Lit(ExprLit {
            lit: Lit::Int(int), ..
        }) => int.base10_parse().ok(),
        Expr::Unary(ExprUnary {
            op: UnOp::Neg(_),
            expr,
            ..
        }) => literal(expr).map(|v| -v),
        Expr::Group(group) => literal(&group.expr),
        Expr::Paren(paren) => literal(&paren.expr),
        _ => None,
    }
}

/// A newtype: stored as its one field's representation.
fn newtype_items(
    input: &DeriveInput,
    fields: &Fields,
    krate: &TokenStream,
    errors: &mut Errors,
) -> Option<Items> {
    let mut iter = fields.iter();
    let Some(field) = iter.next() else {
        let at = match fields {
            Fields::Unit => input.ident.to_token_stream(),
            _ => fields.to_token_stream(),
        };
        errors.push(syn::Error::new_spanned(
            at,
            "`derive(AtomicValue)` takes a newtype, a struct with exactly one field, and this \
             struct has none: a type with a single value needs no atom",
        ));
        return None;
    };
    if let Some(second) = iter.next() {
        errors.push(syn::Error::new_spanned(
            second,
            format!(
                "`derive(AtomicValue)` takes a newtype, a struct with exactly one field, and this \
                 struct has {}: an atomic holds one scalar; keep this type behind a lock with \
                 `#[shared(rwlock)]` or `#[shared(mutex)]` on the field",
                fields.len()
            ),
        ));
        return None;
    }
    let ty = &field.ty;
    let member = field.ident.as_ref().map_or_else(
        || syn::Index::from(0).into_token_stream(),
        ToTokens::to_token_stream,
    );
    // Every mention of the field's type is spanned on it: a field type that is no
    // `AtomicValue` is reported there, once (the mentions make one identical error).
    let span = ty.span();
    let field_trait = quote_spanned!(span=> <#ty as #krate::AtomicValue>);
    let mut where_clause = input.generics.where_clause.clone();
    if !input.generics.params.is_empty() {
        // A generic field type (`Id<T>(T)`): the impl holds where the field's type is one.
        let tr = quote_spanned!(span=> #krate::AtomicValue);
        let predicate: WherePredicate = parse_quote_spanned!(span=> #ty: #tr);
        where_clause
            .get_or_insert_with(|| parse_quote!(where))
            .predicates
            .push(predicate);
    }
    let repr = quote_spanned!(span=> #field_trait::Repr);
    let into = quote_spanned!(span=> #field_trait::into_repr(self.#member));
    // Spanned on the user's field, this code is linted as the user's: written as they would.
    let wrap = match &field.ident {
        None => quote_spanned!(span=> Self),
        Some(name) => quote_spanned!(span=> |field| Self { #name: field }),
    };
    let from = quote_spanned!(span=> #field_trait::from_repr(repr).map(#wrap));
    Some(Items {
        span,
        repr,
        where_clause: where_clause.into_token_stream(),
        into,
        from,
    })
}
