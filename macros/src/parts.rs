//! `Parts`: what every generated item is written from (names, generics, the fields' cell
//! types, the shared bounds), computed once per expansion.

use proc_macro2::{Ident, TokenStream};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{parse_quote, Generics};

use crate::ast::{Field, Input};
use crate::attr::Storage;
use crate::bound::{atomic_bounds, field_bounds};
use crate::tokens::respan;

/// What every generated item needs: names, generics and storage types, computed once.
pub(crate) struct Parts<'a> {
    pub(crate) input: &'a Input<'a>,
    pub(crate) krate: &'a TokenStream,
    /// `__sc`: the runtime crate's name inside the `const _` block, where `expand::alias`
    /// imports it (shorter output, quicker to compile).
    pub(crate) inner: TokenStream,
    pub(crate) flavor: &'a Ident,
    /// The handle's generics: the struct's, plus the flavour parameter unless it is the struct's.
    pub(crate) generics: Generics,
    /// The struct's type with its generic arguments.
    pub(crate) data: TokenStream,
    /// The type of the handle's shared storage, written so that it can be named outside the
    /// `const _` block that defines it: `<Data as Stored<F>>::Storage`.
    pub(crate) storage: TokenStream,
    /// The storage of each field, in declaration order.
    pub(crate) cells: Vec<TokenStream>,
    /// `#[allow(deprecated)]` for every generated item, when the struct or a field is
    /// deprecated: the user's own uses warn, the expansion's do not.
    pub(crate) allow_deprecated: Option<TokenStream>,
    /// Whether the storage struct needs a `PhantomData` of the flavour, after the cells: when
    /// every field is `readonly`, no cell names the flavour.
    pub(crate) marker: bool,
    /// The deferred `Clone` bounds of `Snapshot` and `Serialize` (see [`field_bounds`]),
    /// written once.
    pub(crate) clone_bounds: Vec<TokenStream>,
}

impl<'a> Parts<'a> {
    pub(crate) fn new(input: &'a Input<'a>) -> Self {
        let krate = &input.krate;
        let flavor = &input.flavor;
        let (_, data_args, _) = input.generics.split_for_impl();
        let ident = input.ident;
        let data = quote!(#ident #data_args);
        let inner = if input.krate_aliased {
            quote!(__sc)
        } else {
            krate.clone()
        };
        let cells = input
            .fields
            .iter()
            .map(|f| storage_type(f, &inner, flavor))
            .collect();
        let storage = quote!(<#data as #krate::__private::Stored<#flavor>>::Storage);
        Parts {
            input,
            krate,
            inner,
            flavor,
            generics: handle_generics(input),
            data,
            storage,
            cells,
            marker: input.fields.iter().all(|f| f.storage == Storage::ReadOnly),
            clone_bounds: field_bounds(input, &quote!(#krate::__private::core::clone::Clone)),
            allow_deprecated: (input.deprecated.is_some()
                || input.fields.iter().any(|f| f.deprecated.is_some()))
            .then(|| quote!(#[allow(deprecated)])),
        }
    }
}

/// The struct's generics, plus `F: Flavor = DefaultFlavor` unless the flavour is the struct's,
/// plus the `AtomicValue` bounds of [`atomic_bounds`].
fn handle_generics(input: &Input<'_>) -> Generics {
    let (krate, flavor) = (&input.krate, &input.flavor);
    let mut generics = input.generics.clone();
    let mut predicates = atomic_bounds(input);
    if input.own_flavor() {
        // Whatever the struct bounds it by (`Flavor`, or a trait of the user's that has
        // `Flavor` as a supertrait), the handle needs `Flavor` itself.
        predicates.insert(0, parse_quote!(#flavor: #krate::Flavor));
    } else {
        generics
            .params
            .push(parse_quote!(#flavor: #krate::Flavor = #krate::DefaultFlavor));
    }
    if !predicates.is_empty() {
        generics.make_where_clause().predicates.extend(predicates);
    }
    generics
}

/// The storage of one field: its cell, padded if the field asks for it.
fn storage_type(field: &Field<'_>, krate: &TokenStream, flavor: &Ident) -> TokenStream {
    let cell = cell_type(field, krate, flavor);
    if field.padded {
        let span = field.ty.span();
        let krate = respan(krate.clone(), span);
        quote_spanned!(span=> #krate::__private::Padded<#cell>)
    } else {
        cell
    }
}

/// The runtime type that holds one field's value (`Atom<T, F>`, `RwLock<T, F>`, ...,
/// `__private::ReadOnly<T>`; see [`Storage::runtime_type`]), every token spanned on the field's
/// type, so a missing `AtomicValue` (or `Send`) is reported there and not on `#[derive(Shared)]`.
pub(crate) fn cell_type(field: &Field<'_>, krate: &TokenStream, flavor: &Ident) -> TokenStream {
    let ty = field.value_ty();
    let span = field.ty.span();
    let krate = respan(krate.clone(), span);
    let (path, flavored) = field.storage.runtime_type();
    let path = path.iter().map(|segment| Ident::new(segment, span));
    let flavor = flavored.then(|| {
        // A clone, not `Ident::new(&flavor.to_string())`: that panics on a raw `r#F`.
        let mut flavor = flavor.clone();
        flavor.set_span(span);
        quote_spanned!(span=> , #flavor)
    });
    quote_spanned!(span=> #krate #(::#path)* <#ty #flavor>)
}
