//! The handle's trait impls, one function each: `Clone`, `From`, `Shared`, `Snapshot`,
//! `Debug`, `Default`, and with the feature `serde`, `Serialize` and `Deserialize`. All are
//! emitted inside the expansion's `const _` block, where `__sc` names the runtime.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{quote, quote_spanned, ToTokens};
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::{parse_quote, WherePredicate};

use crate::ast::{Field, Input};
use crate::attr::Storage;
use crate::bound::{atomic_fields, param_bounds};
use crate::parts::{cell_type, Parts};
use crate::tokens::{nest, respan};

/// Every trait impl, in the order the expansion writes them; `serde`: with `Serialize` and
/// `Deserialize`.
pub(crate) fn trait_impls(parts: &Parts<'_>, serde: bool) -> TokenStream {
    let attrs = &parts.input.attrs;
    let debug = attrs.no_debug.is_none().then(|| debug_impl(parts));
    let default = attrs.no_default.is_none().then(|| default_impl(parts));
    let serde = (serde && attrs.no_serde.is_none())
        .then(|| [serialize_impl(parts), deserialize_impl(parts)])
        .into_iter()
        .flatten();
    let impls = [
        atomic_check(parts),
        clone_impl(parts),
        from_impl(parts),
        handle_impl(parts),
        snapshot_impl(parts),
    ];
    quote!(#(#impls)* #debug #default #(#serde)*)
}

/// `<runtime>::__private::core`, as the impls name it.
fn core(parts: &Parts<'_>) -> TokenStream {
    let krate = &parts.inner;
    quote!(#krate::__private::core)
}

/// The predicates of the struct's where clause, for impls that add their own.
/// With the user's `#[shared(bound = "...")]`, which every generated trait impl carries.
fn predicates<'p>(parts: &'p Parts<'_>) -> Vec<&'p WherePredicate> {
    let where_clause = &parts.generics.where_clause;
    let user = parts.input.attrs.bound.iter().flatten();
    where_clause
        .iter()
        .flat_map(|w| &w.predicates)
        .chain(user)
        .collect()
}

/// As std's derive prints them: `type`, not `r#type`.
fn field_names(input: &Input<'_>) -> Vec<String> {
    input
        .fields
        .iter()
        .map(|f| f.member.unraw().to_string())
        .collect()
}

/// The fields' storage, for the runtime's `snapshot` (`__private::Cells`), each spanned on its
/// field's type so that a field type that is not `Clone` is reported there. The fields that
/// serde skips are marked, so that a save leaves them alone (`__private::SkipInSave`).
fn snapshot_cells(input: &Input<'_>, krate: &TokenStream) -> TokenStream {
    cells(input, |f, cell| {
        if f.serde_skipped {
            quote_spanned!(f.ty.span()=> #krate::__private::SkipInSave(#cell))
        } else {
            cell
        }
    })
}

/// The fields' storage, `&__storage.<i>` each passed through `wrap`, as nested tuples.
fn cells(input: &Input<'_>, wrap: impl Fn(&Field<'_>, TokenStream) -> TokenStream) -> TokenStream {
    nest(
        input
            .fields
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let index = syn::Index::from(i);
                wrap(f, quote_spanned!(f.ty.span()=> &__storage.#index))
            })
            .collect(),
    )
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

/// The one check of each `atomic` field whose type may not be an `AtomicValue` (see
/// [`atomic_fields`]), which the other items leave to their users: a function that takes its
/// `Atom`, spanned on the field's type, where the compiler checks the `Atom`'s bound.
fn atomic_check(parts: &Parts<'_>) -> TokenStream {
    let (krate, flavor) = (&parts.inner, parts.flavor);
    let atoms: Vec<TokenStream> = atomic_fields(parts.input)
        .map(|f| cell_type(f, krate, flavor))
        .collect();
    if atoms.is_empty() {
        return TokenStream::new();
    }
    quote! {
        fn __atomic_fields<#flavor: #krate::Flavor>(#(_: &#atoms),*) {}
    }
}

fn clone_impl(parts: &Parts<'_>) -> TokenStream {
    let core = core(parts);
    let handle = &parts.input.handle;
    let (impl_generics, args, where_clause) = parts.generics.split_for_impl();
    quote! {
        #[automatically_derived]
        impl #impl_generics #core::clone::Clone for #handle #args #where_clause {
            #[inline]
            fn clone(&self) -> Self {
                Self(#core::clone::Clone::clone(&self.0))
            }
        }
    }
}

fn from_impl(parts: &Parts<'_>) -> TokenStream {
    let (input, krate, data) = (parts.input, &parts.inner, &parts.data);
    let core = core(parts);
    let (handle, storage_name) = (&input.handle, &input.storage);
    let (impl_generics, args, where_clause) = parts.generics.split_for_impl();
    let marker = parts.marker.then(|| quote!(#core::marker::PhantomData));
    let from_values = field_calls(input, krate, "from_value", |f, _| {
        let member = f.member;
        quote!(__data.#member)
    });
    quote! {
        #[automatically_derived]
        impl #impl_generics #core::convert::From<#data> for #handle #args #where_clause {
            #[inline]
            fn from(__data: #data) -> Self {
                Self(#krate::__private::PtrKind::new(#storage_name(#(#from_values,)* #marker)))
            }
        }
    }
}

fn handle_impl(parts: &Parts<'_>) -> TokenStream {
    let (input, krate, flavor, data) = (parts.input, &parts.inner, parts.flavor, &parts.data);
    let (handle, data_ident, storage_name) = (&input.handle, input.ident, &input.storage);
    let (impl_generics, args, where_clause) = parts.generics.split_for_impl();
    // Inside the block the storage struct is in scope: named directly, not through `Stored`.
    let storage = quote!(#storage_name #args);
    let members = input.fields.iter().map(|f| f.member);
    let into_values = field_calls(input, krate, "into_value", |_, i| {
        let index = syn::Index::from(i);
        quote!(__storage.#index)
    });
    quote! {
        #[automatically_derived]
        impl #impl_generics #krate::Shared for #handle #args #where_clause {
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
        }
    }
}

fn snapshot_impl(parts: &Parts<'_>) -> TokenStream {
    let (input, krate, data) = (parts.input, &parts.inner, &parts.data);
    let (core, preds, clone_bounds) = (core(parts), predicates(parts), &parts.clone_bounds);
    let (handle, data_ident) = (&input.handle, input.ident);
    let (impl_generics, args, _) = parts.generics.split_for_impl();
    let (names, cells) = (field_names(input), snapshot_cells(input, krate));
    let members = input.fields.iter().map(|f| f.member);
    let values: Vec<_> = (0..input.fields.len())
        .map(|i| Ident::new(&format!("__value{i}"), Span::mixed_site()))
        .collect();
    let pattern = nest(values.iter().map(ToTokens::to_token_stream).collect());
    quote! {
        #[automatically_derived]
        #[allow(unused_lifetimes)] // `for<'__sharecell>`: see `field_bounds`
        impl #impl_generics #krate::Snapshot for #handle #args
        where
            #(#preds,)*
            #(#clone_bounds,)*
        {
            #[track_caller]
            fn __snapshot<'__sharecell_t>(
                __this: &'__sharecell_t Self,
                __mode: #krate::__private::Mode<'_, '__sharecell_t>,
            ) -> #core::result::Result<#data, #krate::__private::Stop> {
                // Re-bound without naming the lifetime, so that a compiler error about the
                // field access reads as the other impls' do (and is reported once).
                let __this: &Self = __this;
                let __storage = &*__this.0;
                // Every lock is taken there, in the crate's one lock order (the order of
                // `lock_all`), before anything is cloned.
                let #pattern = #krate::__private::snapshot(#cells, &[#(#names),*], __mode)?;
                #core::result::Result::Ok(#data_ident { #(#members: #values,)* })
            }
        }
    }
}

fn debug_impl(parts: &Parts<'_>) -> TokenStream {
    let (input, krate) = (parts.input, &parts.inner);
    let (core, preds) = (core(parts), predicates(parts));
    let handle = &input.handle;
    let (impl_generics, args, _) = parts.generics.split_for_impl();
    // The one bound inferred on the type parameters, which the user's `bound` replaces.
    let debug_bounds = match input.attrs.bound {
        Some(_) => Vec::new(),
        None => param_bounds(input, &quote!(#core::fmt::Debug)),
    };
    let handle_name = handle.unraw().to_string();
    let names = field_names(input);
    // An atom is always `Debug`; any other cell is when its value type is, which the probe
    // decides here (see `__private::DebugField`).
    let fields = input.fields.iter().enumerate().map(|(i, f)| {
        let index = syn::Index::from(i);
        if f.storage == Storage::Atomic {
            quote!(&__storage.#index)
        } else {
            quote!(#krate::__private::DebugField(&__storage.#index).__sharecell_field())
        }
    });
    quote! {
        /// Never blocks (a locked field prints as `<locked>`) and never recurses forever (a
        /// handle met again inside itself prints as `Name { .. }`).
        #[automatically_derived]
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
                    &[#(#fields),*],
                    __f,
                )
            }
        }
    }
}

fn default_impl(parts: &Parts<'_>) -> TokenStream {
    let (input, data) = (parts.input, &parts.data);
    let (core, preds) = (core(parts), predicates(parts));
    let (handle, bound_lifetime) = (&input.handle, &input.bound_lifetime);
    let (impl_generics, args, _) = parts.generics.split_for_impl();
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
}

/// `Serialize` (the feature `serde`): the handle is written as its data struct, whose own serde
/// impl (and attributes) decide the format; the runtime's `serialize_handle` takes the snapshot
/// and refuses cycles.
fn serialize_impl(parts: &Parts<'_>) -> TokenStream {
    let (input, krate, data) = (parts.input, &parts.inner, &parts.data);
    let (core, preds, clone_bounds) = (core(parts), predicates(parts), &parts.clone_bounds);
    let serde = quote!(#krate::__private::serde);
    let (handle, bound_lifetime) = (&input.handle, &input.bound_lifetime);
    let (impl_generics, args, _) = parts.generics.split_for_impl();
    let handle_name = handle.unraw().to_string();
    // The bounds of `Snapshot`, not `Self: Snapshot`: that where clause would hide the `Shared`
    // impl, and with it what `Shared::Data` is.
    quote! {
        #[automatically_derived]
        #[allow(unused_lifetimes)] // `for<'__sharecell>`: see `field_bounds`
        impl #impl_generics #serde::Serialize for #handle #args
        where
            #(#preds,)*
            #(#clone_bounds,)*
            for<#bound_lifetime> #data: #serde::Serialize,
            // A save keeps the nested handles it meets (clones) until it has read them all.
            Self: 'static,
        {
            fn serialize<__S: #serde::Serializer>(
                &self,
                __serializer: __S,
            ) -> #core::result::Result<__S::Ok, __S::Error> {
                #krate::__private::serialize_handle(self, #handle_name, __serializer)
            }
        }
    }
}

/// `Deserialize` (the feature `serde`): the handle is read as its data struct.
fn deserialize_impl(parts: &Parts<'_>) -> TokenStream {
    let (input, krate, data) = (parts.input, &parts.inner, &parts.data);
    let (core, preds) = (core(parts), predicates(parts));
    let serde = quote!(#krate::__private::serde);
    let handle = &input.handle;
    let de = syn::Lifetime::new(&format!("{}_de", input.bound_lifetime), Span::call_site());
    let mut de_generics = parts.generics.clone();
    de_generics.params.insert(0, parse_quote!(#de));
    let (de_impl_generics, _, _) = de_generics.split_for_impl();
    let (_, args, _) = parts.generics.split_for_impl();
    quote! {
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
