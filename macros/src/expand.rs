//! Code generation: the handle, its accessors and constructors, the weak alias and the trait
//! impls. Every rich operation lives in the runtime; what is written here per field is one
//! storage type and one one-line accessor.

use proc_macro2::{Ident, Span, TokenStream, TokenTree};
use quote::{quote, quote_spanned, ToTokens};
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::{parse_quote, DeriveInput, GenericArgument, GenericParam, Generics, PathArguments, Type};

use crate::ast::{Field, Input};
use crate::attr::Storage;
use crate::errors::Errors;
use crate::{fallback, valid};

/// The whole derive, from the struct's tokens to the generated items (or `compile_error!`s);
/// with `Serialize` and `Deserialize` impls when the feature `serde` is on.
pub(crate) fn derive(tokens: TokenStream) -> TokenStream {
    derive_with(tokens, cfg!(feature = "serde"))
}

/// [`derive`], with or without the serde impls.
pub(crate) fn derive_with(tokens: TokenStream, serde: bool) -> TokenStream {
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
        None => expand(&ast, serde),
        Some(err) => fallback::partial(&ast, &input, plan, err),
    }
}

/// What every generated item needs: names, generics and storage types, computed once.
pub(crate) struct Parts<'a> {
    pub(crate) input: &'a Input<'a>,
    krate: &'a TokenStream,
    /// `__sc`: the runtime crate's name inside the `const _` block, where [`alias`] imports it
    /// (shorter output, quicker to compile).
    inner: TokenStream,
    flavor: &'a Ident,
    /// The handle's generics: the struct's, plus the flavour parameter unless it is the struct's.
    pub(crate) generics: Generics,
    /// The struct's type with its generic arguments.
    data: TokenStream,
    /// The type of the handle's shared storage, written so that it can be named outside the
    /// `const _` block that defines it: `<Data as Stored<F>>::Storage`.
    storage: TokenStream,
    /// The storage of each field, in declaration order.
    cells: Vec<TokenStream>,
    /// `#[allow(deprecated)]` for every generated item, when the struct or a field is
    /// deprecated: the user's own uses warn, the expansion's do not.
    allow_deprecated: Option<TokenStream>,
    /// Whether the storage struct needs a `PhantomData` of the flavour, after the cells: when
    /// every field is `readonly`, no cell names the flavour.
    marker: bool,
    /// The deferred `Clone` bounds of `snapshot`, `Snapshot` and `Serialize` (see
    /// [`field_bounds`]), written once.
    clone_bounds: Vec<TokenStream>,
}

impl<'a> Parts<'a> {
    pub(crate) fn new(input: &'a Input<'a>) -> Self {
        let krate = &input.krate;
        let flavor = &input.flavor;
        let mut generics = input.generics.clone();
        if !input.own_flavor() {
            generics
                .params
                .push(parse_quote!(#flavor: #krate::Flavor = #krate::DefaultFlavor));
        }
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
            generics,
            data,
            storage,
            cells,
            marker: input.fields.iter().all(|f| f.storage == Storage::ReadOnly),
            clone_bounds: field_bounds(
                input,
                &quote!(#krate::__private::core::clone::Clone),
                Bound::Whole,
            ),
            allow_deprecated: (input.deprecated.is_some()
                || input.fields.iter().any(|f| f.deprecated.is_some()))
            .then(|| quote!(#[allow(deprecated)])),
        }
    }
}

/// `use <crate> as __sc;`: the first item of the `const _` block, so that everything inside
/// names the runtime in one token (as serde's and pin-project's output do). Not for a relative
/// `crate = a::b`, which a `use` would read from the crate root in edition 2015: the block then
/// spells the path out.
pub(crate) fn alias(parts: &Parts<'_>) -> TokenStream {
    if !parts.input.krate_aliased {
        return TokenStream::new();
    }
    let krate = parts.krate;
    quote!(use #krate as __sc;)
}

/// The storage of one field, every token spanned on the field's type, so a missing
/// `AtomicValue` (or `Send`) is reported there and not on `#[derive(Shared)]`.
fn storage_type(field: &Field<'_>, krate: &TokenStream, flavor: &Ident) -> TokenStream {
    let ty = field.ty;
    let span = ty.span();
    let krate = respan(krate.clone(), span);
    // A clone, not `Ident::new(&flavor.to_string())`: that panics on a raw `r#F`.
    let mut flavor = flavor.clone();
    flavor.set_span(span);
    let cell = match field.storage {
        Storage::Atomic => quote_spanned!(span=> #krate::Atom<#ty, #flavor>),
        Storage::RwLock => quote_spanned!(span=> #krate::RwLock<#ty, #flavor>),
        Storage::Mutex => quote_spanned!(span=> #krate::Mutex<#ty, #flavor>),
        Storage::ReadOnly => quote_spanned!(span=> #krate::__private::ReadOnly<#ty>),
        Storage::Swap => quote_spanned!(span=> #krate::Swap<#ty, #flavor>),
        Storage::Once => {
            let inner = field.value_ty();
            quote_spanned!(span=> #krate::Once<#inner, #flavor>)
        }
    };
    if field.padded {
        quote_spanned!(span=> #krate::__private::Padded<#cell>)
    } else {
        cell
    }
}

/// `tokens` with every span set to `span`.
fn respan(tokens: TokenStream, span: Span) -> TokenStream {
    tokens
        .into_iter()
        .map(|mut tt| {
            if let TokenTree::Group(g) = &tt {
                let mut group = proc_macro2::Group::new(g.delimiter(), respan(g.stream(), span));
                group.set_span(span);
                tt = TokenTree::Group(group);
            }
            tt.set_span(span);
            tt
        })
        .collect()
}

/// The type an accessor hands out: the storage without the padding, or `T` for `readonly`;
/// spanned on the field's type like [`storage_type`].
fn accessor_type(field: &Field<'_>, krate: &TokenStream, flavor: &Ident) -> TokenStream {
    let ty = field.ty;
    let span = ty.span();
    let krate = respan(krate.clone(), span);
    // A clone, not `Ident::new(&flavor.to_string())`: that panics on a raw `r#F`.
    let mut flavor = flavor.clone();
    flavor.set_span(span);
    match field.storage {
        Storage::Atomic => quote_spanned!(span=> #krate::Atom<#ty, #flavor>),
        Storage::RwLock => quote_spanned!(span=> #krate::RwLock<#ty, #flavor>),
        Storage::Mutex => quote_spanned!(span=> #krate::Mutex<#ty, #flavor>),
        Storage::ReadOnly => quote!(#ty),
        Storage::Swap => quote_spanned!(span=> #krate::Swap<#ty, #flavor>),
        Storage::Once => {
            let inner = field.value_ty();
            quote_spanned!(span=> #krate::Once<#inner, #flavor>)
        }
    }
}

/// `__private::Field::<method>(<arg>)` for every field, spanned on the field's type so that a
/// storage that cannot work (`#[shared(atomic)]` on a `String`) is reported on the field.
fn field_calls(
    input: &Input<'_>,
    krate: &TokenStream,
    method: &str,
    arg: impl Fn(&Field<'_>, usize) -> TokenStream,
) -> Vec<TokenStream> {
    let method = Ident::new(method, Span::call_site());
    input
        .fields
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let span = f.ty.span();
            let krate = respan(krate.clone(), span);
            let arg = arg(f, i);
            quote_spanned!(span=> #krate::__private::Field::#method(#arg))
        })
        .collect()
}

pub(crate) fn expand(input: &Input<'_>, serde: bool) -> TokenStream {
    let parts = Parts::new(input);
    let all = (0..input.fields.len()).collect::<Vec<_>>();
    // Inherent impls stay outside the `const _` block, where the compiler's messages name
    // them `AccountHandle::<F>::snapshot` and not `_::<impl AccountHandle<F>>::snapshot`.
    let items = [
        handle_struct(&parts),
        weak_alias(&parts),
        accessors(&parts, &all),
        handle_functions(&parts),
        constructors(&parts),
    ];
    let alias = alias(&parts);
    let storage = storage_struct(&parts);
    let impls = trait_impls(&parts);
    let serde = (serde && input.attrs.no_serde.is_none()).then(|| serde_impls(&parts));
    let allow = &parts.allow_deprecated;
    quote! {
        #(#items)*
        #allow
        // `__sc::Atom` where the user's own `use sharecell::Atom` would do: not the user's code.
        #[allow(unused_qualifications)]
        const _: () = {
            #alias
            #storage
            #impls
            #serde
        };
    }
}

/// The struct that holds the fields' cells, and the `Stored` impl through which the handle
/// names it. A struct and not a tuple: its fields are private, so a field type less visible
/// than the handle (a private `Backoff` in a `pub(crate)` struct) stays out of every public
/// signature. Emitted inside the caller's `const _` block.
pub(crate) fn storage_struct(parts: &Parts<'_>) -> TokenStream {
    let Parts {
        input,
        inner: krate,
        flavor,
        data,
        cells,
        ..
    } = parts;
    let name = &input.storage;
    let mut generics = parts.generics.clone();
    for param in &mut generics.params {
        match param {
            GenericParam::Type(t) => {
                t.eq_token = None;
                t.default = None;
            }
            GenericParam::Const(c) => {
                c.eq_token = None;
                c.default = None;
            }
            GenericParam::Lifetime(_) => {}
        }
    }
    let (impl_generics, args, where_clause) = generics.split_for_impl();
    let params = &generics.params;
    let marker = parts
        .marker
        .then(|| quote!(#krate::__private::core::marker::PhantomData<#flavor>));
    quote! {
        pub struct #name<#params>(#(#cells,)* #marker) #where_clause;

        #[automatically_derived]
        impl #impl_generics #krate::__private::Stored<#flavor> for #data #where_clause {
            type Storage = #name #args;
        }
    }
}

pub(crate) fn handle_struct(parts: &Parts<'_>) -> TokenStream {
    let Parts {
        input,
        krate,
        flavor,
        storage,
        ..
    } = parts;
    let (vis, name, data) = (input.vis, &input.handle, input.ident);
    let (_, _, where_clause) = parts.generics.split_for_impl();
    let params = &parts.generics.params;
    let doc = format!(
        " A shared handle to one [`{data}`] value: cloning it is a pointer copy, and each field has an \
         accessor.\n\n Generated by `#[derive(Shared)]`. The flavour `{flavor}` decides what it \
         is made of: `Rc` with `Cell`/`RefCell` (`LocalFlavor`) or `Arc` with atomics and locks \
         (`SyncFlavor`)."
    );
    let (deprecated, allow) = (input.deprecated, &parts.allow_deprecated);
    quote! {
        #[doc = #doc]
        #deprecated
        #allow
        #vis struct #name<#params>(<#flavor as #krate::Flavor>::Ptr<#storage>) #where_clause;
    }
}

pub(crate) fn weak_alias(parts: &Parts<'_>) -> TokenStream {
    let Parts { input, krate, .. } = parts;
    let (vis, weak, handle) = (input.vis, &input.weak, &input.handle);
    // Bounds are not enforced on type aliases (and warn), so the alias keeps names and defaults.
    let params = parts.generics.params.iter().map(|p| match p {
        GenericParam::Lifetime(l) => l.lifetime.to_token_stream(),
        GenericParam::Type(t) => {
            let (ident, eq, default) = (&t.ident, &t.eq_token, &t.default);
            quote!(#ident #eq #default)
        }
        GenericParam::Const(c) => {
            let (ident, ty, eq, default) = (&c.ident, &c.ty, &c.eq_token, &c.default);
            quote!(const #ident: #ty #eq #default)
        }
    });
    let (_, args, _) = parts.generics.split_for_impl();
    let doc = format!(
        " A weak handle to one [`{}`] value: see [`{handle}`] and its `downgrade`.",
        input.ident
    );
    let (deprecated, allow) = (input.deprecated, &parts.allow_deprecated);
    quote! {
        #[doc = #doc]
        #deprecated
        #allow
        #vis type #weak<#(#params),*> = #krate::WeakHandle<#handle #args>;
    }
}

/// One accessor per field in `which`, with the field's visibility and docs.
pub(crate) fn accessors(parts: &Parts<'_>, which: &[usize]) -> TokenStream {
    let Parts {
        input,
        krate,
        flavor,
        ..
    } = parts;
    let methods = which.iter().map(|&i| {
        let field = &input.fields[i];
        let (vis, name, docs) = (field.vis, &field.accessor, &field.docs);
        let ty = accessor_type(field, krate, flavor);
        let index = syn::Index::from(i);
        let padding = field.padded.then(|| quote!(.0));
        let readonly = (field.storage == Storage::ReadOnly).then(|| quote!(.0));
        let default_doc = docs.is_empty().then(|| {
            let doc = format!(" The `{}` field.", field.member);
            quote!(#[doc = #doc])
        });
        let deprecated = field.deprecated;
        // Spanned on the field, so that a clash with a method of the user's (E0592) points
        // at the field that makes the accessor.
        quote_spanned! {field.member.span()=>
            #(#docs)*
            #default_doc
            #deprecated
            #[inline]
            #[must_use]
            #vis fn #name(&self) -> &#ty {
                &(*self.0).#index #padding #readonly
            }
        }
    });
    let handle = &input.handle;
    let (impl_generics, args, where_clause) = parts.generics.split_for_impl();
    let allow = &parts.allow_deprecated;
    quote! {
        #allow
        // Accessors carry their field's span (for E0592), which would make the compiler blame
        // the user for each accessor they never call.
        #[allow(dead_code)]
        impl #impl_generics #handle #args #where_clause {
            #(#methods)*
        }
    }
}

/// What the handle's associated functions are written from.
pub(crate) struct FnParts<'p> {
    vis: &'p syn::Visibility,
    krate: &'p TokenStream,
    core: TokenStream,
    data: &'p TokenStream,
    clone_bounds: &'p [TokenStream],
}

/// Writes one associated function of the handle.
type WriteFn = fn(&FnParts<'_>) -> TokenStream;

/// The handle's `Rc`-style associated functions, each forwarding to `Handle`: their names (which
/// no accessor may take, see `valid.rs`) and how each is written.
pub(crate) const HANDLE_FUNCTIONS: &[(&str, WriteFn)] = &[
    ("downgrade", |p| {
        let FnParts { vis, krate, .. } = p;
        quote! {
            /// A weak handle to the same value (like `Rc::downgrade`).
            #[inline]
            #[must_use]
            #vis fn downgrade(this: &Self) -> #krate::WeakHandle<Self> {
                <Self as #krate::Handle>::downgrade(this)
            }
        }
    }),
    ("ptr_eq", |p| {
        let FnParts { vis, krate, .. } = p;
        quote! {
            /// Whether both handles point to the same value (like `Rc::ptr_eq`).
            #[inline]
            #[must_use]
            #vis fn ptr_eq(this: &Self, other: &Self) -> bool {
                <Self as #krate::Handle>::ptr_eq(this, other)
            }
        }
    }),
    ("as_ptr", |p| {
        let FnParts { vis, krate, .. } = p;
        quote! {
            /// The address of the shared value (like `Rc::as_ptr`): the handle's identity. See
            /// also `sharecell::ById`.
            #[inline]
            #[must_use]
            #vis fn as_ptr(this: &Self) -> *const () {
                <Self as #krate::Handle>::as_ptr(this)
            }
        }
    }),
    ("strong_count", |p| {
        let FnParts { vis, krate, .. } = p;
        quote! {
            /// How many handles point to this value (like `Rc::strong_count`).
            #[inline]
            #[must_use]
            #vis fn strong_count(this: &Self) -> usize {
                <Self as #krate::Handle>::strong_count(this)
            }
        }
    }),
    ("weak_count", |p| {
        let FnParts { vis, krate, .. } = p;
        quote! {
            /// How many weak handles point to this value (like `Rc::weak_count`).
            #[inline]
            #[must_use]
            #vis fn weak_count(this: &Self) -> usize {
                <Self as #krate::Handle>::weak_count(this)
            }
        }
    }),
    ("try_unwrap", |p| {
        let FnParts {
            vis,
            krate,
            core,
            data,
            ..
        } = p;
        quote! {
            /// The data back if this is the only handle (like `Rc::try_unwrap`).
            ///
            /// # Errors
            /// When other handles exist, returns this handle unchanged.
            #[inline]
            #vis fn try_unwrap(this: Self) -> #core::result::Result<#data, Self> {
                <Self as #krate::Handle>::try_unwrap(this)
            }
        }
    }),
    ("into_inner", |p| {
        let FnParts {
            vis,
            krate,
            core,
            data,
            ..
        } = p;
        quote! {
            /// The data back if this is the last handle, `None` otherwise (like `Rc::into_inner`).
            #[inline]
            #vis fn into_inner(this: Self) -> #core::option::Option<#data> {
                <Self as #krate::Handle>::into_inner(this)
            }
        }
    }),
    ("snapshot", |p| {
        let FnParts {
            vis,
            krate,
            data,
            clone_bounds,
            ..
        } = p;
        quote! {
            /// A copy of the data, made while every lock field is held (taken in the lock order
            /// of `lock_all`). Available when every field type is `Clone`.
            #[inline]
            #[must_use]
            #[track_caller]
            #[allow(unused_lifetimes)] // `for<'__sharecell>`: see `field_bounds`
            #vis fn snapshot(this: &Self) -> #data
            where
                #(#clone_bounds,)*
            {
                <Self as #krate::Handle>::snapshot(this)
            }
        }
    }),
];

/// The associated functions of [`HANDLE_FUNCTIONS`], in one inherent impl.
fn handle_functions(parts: &Parts<'_>) -> TokenStream {
    let Parts {
        input, krate, data, ..
    } = parts;
    let core = quote!(#krate::__private::core);
    let handle = &input.handle;
    let (impl_generics, args, where_clause) = parts.generics.split_for_impl();
    let fn_parts = FnParts {
        vis: input.vis,
        krate,
        clone_bounds: &parts.clone_bounds,
        core,
        data,
    };
    let functions = HANDLE_FUNCTIONS.iter().map(|(_, write)| write(&fn_parts));
    let allow = &parts.allow_deprecated;
    quote! {
        #allow
        impl #impl_generics #handle #args #where_clause {
            #(#functions)*
        }
    }
}

/// `for<'__sharecell> Type: Trait` for the types of the fields, spanned on the field's type:
/// checked where the impl or method is used, not where it is defined (a bound that names no
/// generic parameter would otherwise be a hard error for a struct whose field lacks the trait).
///
/// A field type that contains handles is bounded by its other parts only (see
/// [`bounded_parts`]). `Atom` fields need no bound (an `AtomicValue` is `Copy` and `Debug`), and
/// each type is bounded once: every bound costs type-checking time in every crate that derives.
fn field_bounds(input: &Input<'_>, tr: &TokenStream, bound: Bound) -> Vec<TokenStream> {
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
enum Bound {
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

/// The handle's constructors: name, the flavour it makes (a type of the runtime), and the
/// doc's words for it. One inherent impl each, for that concrete flavour.
pub(crate) const CONSTRUCTORS: [(&str, &str, &str); 3] = [
    (
        "new",
        "DefaultFlavor",
        "the default flavour (`LocalFlavor`, or `SyncFlavor` with the feature `sync`)",
    ),
    (
        "new_local",
        "LocalFlavor",
        "the `LocalFlavor` (`Rc`, `Cell`, `RefCell`)",
    ),
    (
        "new_sync",
        "SyncFlavor",
        "the `SyncFlavor` (`Arc`, atomics, locks)",
    ),
];

fn constructors(parts: &Parts<'_>) -> TokenStream {
    let krate = parts.krate;
    CONSTRUCTORS
        .iter()
        .map(|(name, flavor, what)| {
            let flavor = Ident::new(flavor, Span::call_site());
            constructor(parts, name, &quote!(#krate::#flavor), what)
        })
        .collect()
}

fn constructor(parts: &Parts<'_>, name: &str, flavor: &TokenStream, what: &str) -> TokenStream {
    let Parts {
        input, krate, data, ..
    } = parts;
    let core = quote!(#krate::__private::core);
    let (vis, handle) = (input.vis, &input.handle);
    let name = Ident::new(name, Span::call_site());
    let mut generics = parts.generics.clone();
    generics.params = generics
        .params
        .into_iter()
        .filter(|p| !matches!(p, GenericParam::Type(t) if t.ident == *parts.flavor))
        .collect();
    let (impl_generics, _, where_clause) = generics.split_for_impl();
    let (_, args, _) = parts.generics.split_for_impl();
    let doc = format!(" Moves `data` into a new handle of {what}.");
    let allow = &parts.allow_deprecated;
    let item = quote! {
        #allow
        impl #impl_generics #handle #args #where_clause {
            #[doc = #doc]
            #[inline]
            #[must_use]
            #vis fn #name(data: #data) -> Self {
                <Self as #core::convert::From<#data>>::from(data)
            }
        }
    };
    substitute(item, parts.flavor, flavor)
}

/// Replaces every identifier `from` in `tokens` with `to`: turns the generic flavour into a
/// concrete one, also inside the user's own bounds when the flavour is the struct's parameter.
fn substitute(tokens: TokenStream, from: &Ident, to: &TokenStream) -> TokenStream {
    tokens
        .into_iter()
        .flat_map(|tt| match tt {
            TokenTree::Ident(i) if i == *from => to.clone(),
            TokenTree::Group(g) => {
                let mut group =
                    proc_macro2::Group::new(g.delimiter(), substitute(g.stream(), from, to));
                group.set_span(g.span());
                TokenTree::Group(group).into()
            }
            other => other.into(),
        })
        .collect()
}

/// `Clone`, `From`, `Handle`, `Snapshot`, `Debug`, `Default`.
pub(crate) fn trait_impls(parts: &Parts<'_>) -> TokenStream {
    let Parts {
        input,
        inner: krate,
        flavor,
        data,
        ..
    } = parts;
    let core = quote!(#krate::__private::core);
    let handle = &input.handle;
    let (impl_generics, args, where_clause) = parts.generics.split_for_impl();
    let preds: Vec<_> = where_clause.iter().flat_map(|w| &w.predicates).collect();
    let (members, indices): (Vec<_>, Vec<_>) = input
        .fields
        .iter()
        .enumerate()
        .map(|(i, f)| (f.member, syn::Index::from(i)))
        .unzip();
    let data_ident = input.ident;
    let storage_name = &input.storage;
    // Inside the block the storage struct is in scope: named directly, not through `Stored`.
    let storage = quote!(#storage_name #args);
    let marker = parts.marker.then(|| quote!(#core::marker::PhantomData));
    let from_values = field_calls(input, krate, "from_value", |f, _| {
        let member = f.member;
        quote!(__data.#member)
    });
    let into_values = field_calls(input, krate, "into_value", |_, i| {
        let index = syn::Index::from(i);
        quote!(__storage.#index)
    });
    // As std's derive prints them: `type`, not `r#type`.
    let names: Vec<_> = input
        .fields
        .iter()
        .map(|f| f.member.unraw().to_string())
        .collect();
    // The fields' storage, for the runtime's `snapshot` and `debug_handle` (`__private::Cells`),
    // each spanned on its field's type so that a field type that is not `Clone` (or `Debug`)
    // is reported there.
    let cells = nest(
        input
            .fields
            .iter()
            .zip(&indices)
            .map(|(f, index)| quote_spanned!(f.ty.span()=> &__storage.#index))
            .collect(),
    );
    let values: Vec<_> = (0..input.fields.len())
        .map(|i| Ident::new(&format!("__value{i}"), Span::mixed_site()))
        .collect();
    let pattern = nest(values.iter().map(ToTokens::to_token_stream).collect());
    let clone_bounds = &parts.clone_bounds;
    let debug_bounds = field_bounds(input, &quote!(#core::fmt::Debug), Bound::HandlesLeftOut);
    let handle_name = handle.unraw().to_string();
    let debug_impl = input.attrs.no_debug.is_none().then(|| {
        quote! {
            /// Never blocks (a locked field prints as `<locked>`) and never recurses forever (a
            /// handle met again inside itself prints as `Name { .. }`).
            #[automatically_derived]
            #[allow(unused_lifetimes)] // `for<'__sharecell>`: see `field_bounds`
            impl #impl_generics #core::fmt::Debug for #handle #args
            where
                #(#preds,)*
                #(#debug_bounds,)*
            {
                fn fmt(&self, __f: &mut #core::fmt::Formatter<'_>) -> #core::fmt::Result {
                    let __storage = &*self.0;
                    #krate::__private::debug_handle(
                        __storage,
                        #handle_name,
                        &[#(#names),*],
                        #cells,
                        __f,
                    )
                }
            }
        }
    });
    let bound_lifetime = &input.bound_lifetime;
    let default_impl = input.attrs.no_default.is_none().then(|| {
        quote! {
            #[automatically_derived]
            #[allow(unused_lifetimes)] // `for<'__sharecell>`: see `field_bounds`
            impl #impl_generics #core::default::Default for #handle #args
            where
                #(#preds,)*
                for<#bound_lifetime> #data: #core::default::Default,
            {
                #[inline]
                fn default() -> Self {
                    <Self as #core::convert::From<#data>>::from(#core::default::Default::default())
                }
            }
        }
    });
    quote! {
        #[automatically_derived]
        impl #impl_generics #core::clone::Clone for #handle #args #where_clause {
            #[inline]
            fn clone(&self) -> Self {
                Self(#core::clone::Clone::clone(&self.0))
            }
        }

        #[automatically_derived]
        impl #impl_generics #core::convert::From<#data> for #handle #args #where_clause {
            #[inline]
            fn from(__data: #data) -> Self {
                Self(#krate::__private::PtrKind::new(#storage_name(#(#from_values,)* #marker)))
            }
        }

        #[automatically_derived]
        impl #impl_generics #krate::Handle for #handle #args #where_clause {
            type Data = #data;
            type Flavor = #flavor;
            type Weak = #krate::WeakHandle<Self>;
            type __Storage = #storage;
            #[inline]
            fn __ptr(__this: &Self) -> &<#flavor as #krate::Flavor>::Ptr<#storage> {
                &__this.0
            }
            #[inline]
            fn __from_ptr(__ptr: <#flavor as #krate::Flavor>::Ptr<#storage>) -> Self {
                Self(__ptr)
            }
            #[inline]
            fn __into_data(__storage: #storage) -> #data {
                #data_ident { #(#members: #into_values,)* }
            }
            #[inline]
            fn downgrade(__this: &Self) -> #krate::WeakHandle<Self> {
                #krate::WeakHandle::__new(__this)
            }
        }

        #[automatically_derived]
        #[allow(unused_lifetimes)] // `for<'__sharecell>`: see `field_bounds`
        impl #impl_generics #krate::Snapshot for #handle #args
        where
            #(#preds,)*
            #(#clone_bounds,)*
        {
            #[track_caller]
            fn __snapshot(
                __this: &Self,
                __checked: bool,
            ) -> #core::result::Result<#data, #krate::__private::Busy> {
                let __storage = &*__this.0;
                // Every lock is taken there, in the crate's one lock order (the order of
                // `lock_all`), before anything is cloned.
                let #pattern = #krate::__private::snapshot(#cells, &[#(#names),*], __checked)?;
                #core::result::Result::Ok(#data_ident { #(#members: #values,)* })
            }
        }

        #debug_impl
        #default_impl
    }
}

/// `items` as a tuple, or tuples of at most 12 (the runtime's `Cells` impls) nested as deep as
/// needed: `(a, b)`, or `((a, .., l), (m, ..))` for more than 12.
fn nest(mut items: Vec<TokenStream>) -> TokenStream {
    const MAX: usize = 12;
    while items.len() > MAX {
        items = items
            .chunks(MAX)
            .map(|chunk| quote!((#(#chunk,)*)))
            .collect();
    }
    quote!((#(#items,)*))
}

/// `Serialize` and `Deserialize` (the feature `serde`): the handle is written and read as its
/// data struct, whose own serde impls (and attributes) decide the format; the runtime's
/// `serialize_handle` takes the snapshot and refuses cycles.
fn serde_impls(parts: &Parts<'_>) -> TokenStream {
    let Parts {
        input,
        inner: krate,
        data,
        ..
    } = parts;
    let core = quote!(#krate::__private::core);
    let serde = quote!(#krate::__private::serde);
    let handle = &input.handle;
    let (impl_generics, args, where_clause) = parts.generics.split_for_impl();
    let preds: Vec<_> = where_clause.iter().flat_map(|w| &w.predicates).collect();
    let bound_lifetime = &input.bound_lifetime;
    let de = syn::Lifetime::new(&format!("{bound_lifetime}_de"), Span::call_site());
    let mut de_generics = parts.generics.clone();
    de_generics.params.insert(0, parse_quote!(#de));
    let (de_impl_generics, _, _) = de_generics.split_for_impl();
    let handle_name = handle.unraw().to_string();
    // The bounds of `Snapshot`, not `Self: Snapshot`: that where clause would hide the `Handle`
    // impl, and with it what `Handle::Data` is.
    let clone_bounds = &parts.clone_bounds;
    quote! {
        #[automatically_derived]
        #[allow(unused_lifetimes)] // `for<'__sharecell>`: see `field_bounds`
        impl #impl_generics #serde::Serialize for #handle #args
        where
            #(#preds,)*
            #(#clone_bounds,)*
            for<#bound_lifetime> #data: #serde::Serialize,
        {
            fn serialize<__S: #serde::Serializer>(
                &self,
                __serializer: __S,
            ) -> #core::result::Result<__S::Ok, __S::Error> {
                #krate::__private::serialize_handle(self, #handle_name, __serializer)
            }
        }

        #[automatically_derived]
        impl #de_impl_generics #serde::Deserialize<#de> for #handle #args
        where
            #(#preds,)*
            #data: #serde::Deserialize<#de>,
        {
            fn deserialize<__D: #serde::Deserializer<#de>>(
                __deserializer: __D,
            ) -> #core::result::Result<Self, __D::Error> {
                #krate::__private::deserialize_handle(__deserializer)
            }
        }
    }
}
