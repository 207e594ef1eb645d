//! The derive's own view of the input: the struct, its fields and their storage, with the
//! user's tokens kept for spans.

use proc_macro2::{Span, TokenStream, TokenTree};
use quote::{format_ident, quote, ToTokens};
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::{Attribute, Data, DeriveInput, Fields, Generics, Ident, Type, Visibility};

use crate::attr::{ContainerAttrs, FieldAttrs, Storage};
use crate::errors::Errors;

/// A struct that `#[derive(Shared)]` can work with.
pub(crate) struct Input<'a> {
    pub(crate) ident: &'a Ident,
    pub(crate) vis: &'a Visibility,
    pub(crate) generics: &'a Generics,
    pub(crate) attrs: ContainerAttrs,
    pub(crate) fields: Vec<Field<'a>>,
    /// The handle's name: `#[shared(handle = ..)]` or `{Name}Handle`.
    pub(crate) handle: Ident,
    /// The weak alias's name: `#[shared(weak = ..)]` or `Weak{Handle}`.
    pub(crate) weak: Ident,
    /// The path to the sharecell crate: `#[shared(crate = ..)]` or `::sharecell`.
    pub(crate) krate: TokenStream,
    /// Whether `use #krate as __sc;` means the same in every edition: the path starts with `::`,
    /// `crate`, `self` or `super`. (A relative `a::b` is crate-relative in a 2015 `use`.)
    pub(crate) krate_aliased: bool,
    /// The flavour parameter: the struct's own (`#[shared(flavor = F)]`) or one the derive adds.
    pub(crate) flavor: Ident,
    /// The name of the hidden struct that holds the fields' cells (inside a `const _` block, so
    /// it is no name in the user's scope; fresh, so no field type of the user's can mean it).
    pub(crate) storage: Ident,
    /// The lifetime of the deferred bounds, `for<'__sharecell> T: Trait`: fresh, so a struct's
    /// own lifetime of that name cannot shadow it (E0496).
    pub(crate) bound_lifetime: syn::Lifetime,
    /// `#[deprecated]` on the struct: the handle and the weak alias carry it.
    pub(crate) deprecated: Option<&'a Attribute>,
}

/// One named field.
pub(crate) struct Field<'a> {
    pub(crate) member: &'a Ident,
    /// The accessor's name: `#[shared(rename = ..)]` or the field's name.
    pub(crate) accessor: Ident,
    pub(crate) vis: &'a Visibility,
    pub(crate) ty: &'a Type,
    pub(crate) docs: Vec<&'a Attribute>,
    /// `#[deprecated]` on the field: the accessor carries it.
    pub(crate) deprecated: Option<&'a Attribute>,
    pub(crate) storage: Storage,
    /// `once` fields: `T` of the field's `Option<T>`, what the cell holds.
    pub(crate) once_inner: Option<&'a Type>,
    pub(crate) padded: bool,
    /// `#[serde(skip)]` or `#[serde(skip_serializing)]` on the field: a save leaves it alone.
    pub(crate) serde_skipped: bool,
    pub(crate) attrs: FieldAttrs,
}

impl<'a> Input<'a> {
    /// Reads `input`; `None` when it is not a struct with named fields (the error is recorded).
    pub(crate) fn from_syn(input: &'a DeriveInput, errors: &mut Errors) -> Option<Self> {
        let attrs = ContainerAttrs::parse(&input.attrs, errors);
        let named = named_fields(input, errors)?;
        let container_padded = attrs.padded.is_some();
        let fields = named
            .iter()
            .filter_map(|f| Field::from_syn(f, container_padded, errors))
            .collect();
        let handle = attrs.handle.as_ref().map_or_else(
            // On the struct's name, so a clash of generated names points at the struct.
            || format_ident!("{}Handle", input.ident, span = input.ident.span()),
            Clone::clone,
        );
        let weak = attrs.weak.as_ref().map_or_else(
            || format_ident!("Weak{}", handle, span = handle.span()),
            Clone::clone,
        );
        let krate = match &attrs.krate {
            Some(path) => quote!(#path),
            None => quote!(::sharecell),
        };
        let krate_aliased = attrs.krate.as_ref().is_none_or(|path| {
            path.leading_colon.is_some()
                || path
                    .segments
                    .first()
                    .is_some_and(|s| s.ident == "crate" || s.ident == "self" || s.ident == "super")
        });
        let flavor = match &attrs.flavor {
            // The parameter as the struct spells it (`F` and `r#F` are one name to rustc).
            Some(f) => input
                .generics
                .type_params()
                .map(|p| &p.ident)
                .find(|p| p.unraw() == f.unraw())
                .unwrap_or(f)
                .clone(),
            None => fresh_ident("F", input),
        };
        Some(Input {
            ident: &input.ident,
            vis: &input.vis,
            generics: &input.generics,
            attrs,
            fields,
            handle,
            weak,
            krate,
            krate_aliased,
            flavor,
            storage: fresh_ident(&format!("{}Fields", input.ident.unraw()), input),
            bound_lifetime: syn::Lifetime {
                apostrophe: Span::call_site(),
                ident: fresh_ident("__sharecell", input),
            },
            deprecated: deprecation(&input.attrs),
        })
    }

    /// Whether the flavour is the struct's own type parameter (`#[shared(flavor = F)]`).
    pub(crate) fn own_flavor(&self) -> bool {
        self.attrs.flavor.is_some()
    }
}

/// The named fields, or an error that says what is supported.
fn named_fields<'a>(
    input: &'a DeriveInput,
    errors: &mut Errors,
) -> Option<&'a syn::punctuated::Punctuated<syn::Field, syn::Token![,]>> {
    const SUPPORTED: &str =
        "`#[derive(Shared)]` supports structs with named fields, like `struct Account { id: u64 }`";
    let (what, span) = match &input.data {
        Data::Struct(data) => match &data.fields {
            Fields::Named(named) => return Some(&named.named),
            Fields::Unnamed(fields) => ("a tuple struct", fields.span()),
            Fields::Unit => ("a unit struct", input.ident.span()),
        },
        Data::Enum(data) => ("an enum", data.enum_token.span),
        Data::Union(data) => ("a union", data.union_token.span),
    };
    errors.push(syn::Error::new(
        span,
        format!("{SUPPORTED}; this is {what}"),
    ));
    None
}

/// `base`, or `__base`, `__base1`, ... : the first that no identifier in `input` uses, so a
/// generic parameter the derive adds can never capture a name of the user's.
pub(crate) fn fresh_ident(base: &str, input: &DeriveInput) -> Ident {
    let mut used = Vec::new();
    collect_idents(quote!(#input), &mut used);
    let mut candidate = base.to_owned();
    let mut n = 0;
    while used.contains(&candidate) {
        candidate = if n == 0 {
            format!("__{base}")
        } else {
            format!("__{base}{n}")
        };
        n += 1;
    }
    Ident::new(&candidate, Span::call_site())
}

fn collect_idents(tokens: TokenStream, out: &mut Vec<String>) {
    for tt in tokens {
        match tt {
            TokenTree::Ident(i) => out.push(i.to_string()),
            TokenTree::Group(g) => collect_idents(g.stream(), out),
            _ => {}
        }
    }
}

impl<'a> Field<'a> {
    /// The type the field's value is, inside its storage: `T` of a `once` field's `Option<T>`,
    /// else the field's type. What the derive's bounds name.
    pub(crate) fn value_ty(&self) -> &'a Type {
        self.once_inner.unwrap_or(self.ty)
    }

    fn from_syn(
        field: &'a syn::Field,
        container_padded: bool,
        errors: &mut Errors,
    ) -> Option<Self> {
        let member = field.ident.as_ref()?;
        let attrs = FieldAttrs::parse(&field.attrs, errors);
        let mut storage = match &attrs.storage {
            Some(s) => *s,
            None if is_scalar(&field.ty) => Storage::Atomic,
            None => Storage::RwLock,
        };
        let once_inner = if storage == Storage::Once {
            let inner = option_inner(&field.ty);
            if inner.is_none() {
                errors.push(syn::Error::new(
                    field.ty.span(),
                    format!(
                        "`once` goes on a field of type `Option<T>` (unset while `None`), but this \
                         field is `{}`; write `Option<{}>`, or pick another storage",
                        field.ty.to_token_stream(),
                        field.ty.to_token_stream()
                    ),
                ));
                // Stored as a lock meanwhile, so that the one error is all the user sees.
                storage = Storage::RwLock;
            }
            inner
        } else {
            None
        };
        let padded = attrs.padded.unwrap_or(container_padded);
        let accessor = attrs
            .rename
            .as_ref()
            .map_or_else(|| member.clone(), Clone::clone);
        let docs = field
            .attrs
            .iter()
            .filter(|a| a.path().is_ident("doc"))
            .collect();
        Some(Field {
            member,
            accessor,
            vis: &field.vis,
            ty: &field.ty,
            docs,
            deprecated: deprecation(&field.attrs),
            storage,
            once_inner,
            padded,
            serde_skipped: serde_skipped(&field.attrs),
            attrs,
        })
    }
}

/// Whether serde's derive never reads the field when it serializes: a `#[serde(..)]` list
/// names `skip` or `skip_serializing` (not `skip_serializing_if`, which reads it). Only the
/// words are looked at: serde's own derive reports what is wrong in the list.
fn serde_skipped(attrs: &[Attribute]) -> bool {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("serde"))
        .filter_map(|a| a.meta.require_list().ok())
        .any(|list| {
            let mut depth_zero = list.tokens.clone().into_iter().peekable();
            let mut skipped = false;
            while let Some(token) = depth_zero.next() {
                let TokenTree::Ident(ident) = token else {
                    continue;
                };
                let is_key = !matches!(
                    depth_zero.peek(),
                    Some(TokenTree::Punct(p)) if p.as_char() == '='
                );
                skipped |= is_key && (ident == "skip" || ident == "skip_serializing");
            }
            skipped
        })
}

/// `T` of a type written `Option<T>` (also `core::option::Option<T>`, ...).
fn option_inner(ty: &Type) -> Option<&Type> {
    let Type::Path(path) = ty else { return None };
    let last = path.path.segments.last()?;
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match (last.ident == "Option", args.args.len(), args.args.first()) {
        (true, 1, Some(syn::GenericArgument::Type(inner))) => Some(inner),
        _ => None,
    }
}

/// The `#[deprecated]` attribute among `attrs`, if any.
fn deprecation(attrs: &[Attribute]) -> Option<&Attribute> {
    attrs.iter().find(|a| a.path().is_ident("deprecated"))
}

/// The scalars that get an `Atom` by default, decided from the type as written.
const SCALARS: &[&str] = &[
    "bool", "char", "i8", "i16", "i32", "i64", "isize", "u8", "u16", "u32", "u64", "usize", "f32",
    "f64",
];

/// `u64`, `core::primitive::u64`, `::std::primitive::u64`, ...; not aliases (they need
/// `#[shared(atomic)]`, which is documented).
pub(crate) fn is_scalar(ty: &Type) -> bool {
    let Type::Path(tp) = ty else {
        return matches!(ty, Type::Group(g) if is_scalar(&g.elem))
            || matches!(ty, Type::Paren(p) if is_scalar(&p.elem));
    };
    if tp.qself.is_some() || tp.path.segments.iter().any(|s| !s.arguments.is_empty()) {
        return false;
    }
    let names: Vec<String> = tp
        .path
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect();
    let last_is_scalar = names.last().is_some_and(|n| SCALARS.contains(&n.as_str()));
    match names.as_slice() {
        [_] => last_is_scalar && tp.path.leading_colon.is_none(),
        [krate, module, _] => {
            last_is_scalar && (krate == "core" || krate == "std") && module == "primitive"
        }
        _ => false,
    }
}
