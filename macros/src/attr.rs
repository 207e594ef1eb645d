//! The `#[shared(...)]` attribute model: what each key means, parsed with its span kept so every
//! mistake is reported on the token that caused it.

use proc_macro2::Span;
use quote::ToTokens;
use syn::meta::ParseNestedMeta;
use syn::parse::Parse;
use syn::{Attribute, Ident, LitStr, Meta, Path};

use crate::errors::Errors;

/// Keys of the container attribute, for "unknown key" messages.
const CONTAINER_KEYS: &str = "`handle = Name`, `weak = Name`, `crate = path`, `flavor = F`, \
     `padded`, `no_debug`, `no_default`";
/// Keys of the field attribute.
const FIELD_KEYS: &str = "`atomic`, `rwlock`, `mutex`, `readonly`, `swap`, `once`, \
     `rename = name`, `padded`, `unpadded`";

/// `#[shared(...)]` on the struct.
#[derive(Default)]
pub(crate) struct ContainerAttrs {
    pub(crate) handle: Option<Ident>,
    pub(crate) weak: Option<Ident>,
    pub(crate) krate: Option<Path>,
    pub(crate) flavor: Option<Ident>,
    pub(crate) padded: Option<Span>,
    /// `no_debug`: the user writes the handle's `Debug` impl.
    pub(crate) no_debug: Option<Span>,
    /// `no_default`: the user writes the handle's `Default` impl.
    pub(crate) no_default: Option<Span>,
}

/// How a field is stored in the handle.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Storage {
    Atomic,
    RwLock,
    Mutex,
    ReadOnly,
    /// Read-mostly, replaced whole: `Swap<T, F>`.
    Swap,
    /// Set at most once, on an `Option<T>` field: `Once<T, F>`.
    Once,
}

impl Storage {
    fn key(self) -> &'static str {
        match self {
            Storage::Atomic => "atomic",
            Storage::RwLock => "rwlock",
            Storage::Mutex => "mutex",
            Storage::ReadOnly => "readonly",
            Storage::Swap => "swap",
            Storage::Once => "once",
        }
    }
}

/// `#[shared(...)]` on a field.
#[derive(Default)]
pub(crate) struct FieldAttrs {
    pub(crate) storage: Option<Storage>,
    pub(crate) rename: Option<Ident>,
    /// `Some(true)` for `padded`, `Some(false)` for `unpadded`.
    pub(crate) padded: Option<bool>,
}

/// Attributes that are ours: `#[shared ...]` in any form.
fn ours(attr: &Attribute) -> bool {
    attr.path().is_ident("shared")
}

/// Checks the outer form: only `#[shared(...)]` with at least one key is valid.
fn check_form(attr: &Attribute, errors: &mut Errors, example: &str) -> bool {
    match &attr.meta {
        Meta::List(list) if !list.tokens.is_empty() => true,
        Meta::List(list) => {
            errors.push(syn::Error::new_spanned(
                list,
                format!("`#[shared()]` needs at least one key, for example `#[shared({example})]`"),
            ));
            false
        }
        Meta::Path(path) => {
            errors.push(syn::Error::new_spanned(
                path,
                format!(
                    "`#[shared]` needs keys in parentheses, for example `#[shared({example})]`"
                ),
            ));
            false
        }
        Meta::NameValue(nv) => {
            errors.push(syn::Error::new_spanned(
                nv,
                format!("`#[shared = ...]` is not supported; write keys in parentheses, for example `#[shared({example})]`"),
            ));
            false
        }
    }
}

/// Stores `value` in `slot`, or reports a repeated key.
fn set_once<T>(slot: &mut Option<T>, value: T, key: &Ident, errors: &mut Errors) {
    if slot.is_some() {
        errors.push(syn::Error::new(
            key.span(),
            format!("`{key}` is given more than once"),
        ));
    } else {
        *slot = Some(value);
    }
}

/// Records a key that takes no value, or reports a value or a repeat.
fn set_flag(
    slot: &mut Option<Span>,
    meta: &ParseNestedMeta<'_>,
    key: &Ident,
    errors: &mut Errors,
) -> syn::Result<()> {
    no_value(meta, key)?;
    set_once(slot, key.span(), key, errors);
    Ok(())
}

/// Parses `= value` for a key whose value is a `T` (a name or a path), also accepted inside a
/// string literal. `what` and `example` word the error: "`handle` takes a name, for example
/// `handle = NodeHandle`".
fn key_value<T: Parse>(
    meta: &ParseNestedMeta<'_>,
    key: &Ident,
    (what, example): (&str, &str),
) -> syn::Result<T> {
    let wrong = |span: Span| {
        syn::Error::new(
            span,
            format!("`{key}` takes {what}, for example `{key} = {example}`"),
        )
    };
    if !meta.input.peek(syn::Token![=]) {
        return Err(wrong(key.span()));
    }
    let value = meta.value()?;
    if value.peek(LitStr) {
        let lit: LitStr = value.parse()?;
        return lit.parse::<T>().map_err(|_| {
            let text = lit.value();
            syn::Error::new(
                lit.span(),
                format!("`{text}` is not {what}; write `{key} = {example}`"),
            )
        });
    }
    // On error the caller skips the rest up to the next comma, so later keys are still checked.
    value.parse::<T>().map_err(|e| wrong(e.span()))
}

/// Reports a key that takes no value but got one (`atomic = true`).
fn no_value(meta: &ParseNestedMeta<'_>, key: &Ident) -> syn::Result<()> {
    if meta.input.peek(syn::Token![=]) || meta.input.peek(syn::token::Paren) {
        return Err(syn::Error::new(
            key.span(),
            format!("`{key}` takes no value: write `#[shared({key})]`"),
        ));
    }
    Ok(())
}

/// Reports an unknown key, listing the valid ones and suggesting the closest.
fn unknown(meta: &ParseNestedMeta<'_>, valid: &str, place: &str) -> syn::Error {
    let name = meta.path.to_token_stream().to_string().replace(' ', "");
    let hint = closest(&name, valid).map_or_else(String::new, |k| format!("did you mean `{k}`? "));
    meta.error(format!(
        "unknown key `{name}` in `#[shared(...)]` on {place}; {hint}valid keys are {valid}"
    ))
}

/// The valid key (from a list like "`a`, `b = x`") within two edits of `name`, if any.
fn closest<'v>(name: &str, valid: &'v str) -> Option<&'v str> {
    valid
        .split('`')
        .skip(1)
        .step_by(2)
        .map(|k| k.split(' ').next().unwrap_or(k))
        .map(|k| (edit_distance(name, k), k))
        .filter(|(d, _)| *d <= 2)
        .min()
        .map(|(_, k)| k)
}

/// Levenshtein distance, for "did you mean" hints.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = diagonal + usize::from(ca != *cb);
            diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(diagonal + 1);
        }
    }
    row[b.len()]
}

/// Skips whatever follows a bad key up to the next comma, so the other keys are still checked.
fn skip_value(meta: &ParseNestedMeta<'_>) {
    let _ = meta.input.step(|cursor| {
        let mut rest = *cursor;
        while let Some((tt, next)) = rest.token_tree() {
            if matches!(&tt, proc_macro2::TokenTree::Punct(p) if p.as_char() == ',') {
                break;
            }
            rest = next;
        }
        Ok(((), rest))
    });
}

/// Runs `parse_key` on each key of each `#[shared(...)]`, collecting every mistake.
fn each_key(
    attrs: &[Attribute],
    errors: &mut Errors,
    (example, valid, place): (&str, &str, &str),
    mut parse_key: impl FnMut(&ParseNestedMeta<'_>, &Ident, &mut Errors) -> syn::Result<()>,
) {
    for attr in attrs.iter().filter(|a| ours(a)) {
        if !check_form(attr, errors, example) {
            continue;
        }
        let result = attr.parse_nested_meta(|meta| {
            let Some(key) = meta.path.get_ident().cloned() else {
                errors.push(unknown(&meta, valid, place));
                skip_value(&meta);
                return Ok(());
            };
            if let Err(err) = parse_key(&meta, &key, errors) {
                errors.push(err);
                skip_value(&meta);
            }
            Ok(())
        });
        if let Err(err) = result {
            errors.push(err);
        }
    }
}

impl ContainerAttrs {
    pub(crate) fn parse(attrs: &[Attribute], errors: &mut Errors) -> Self {
        let mut out = ContainerAttrs::default();
        each_key(
            attrs,
            errors,
            ("handle = Name", CONTAINER_KEYS, "a struct"),
            |meta, key, errors| {
                match key.to_string().as_str() {
                    "handle" => set_once(
                        &mut out.handle,
                        key_value::<Ident>(meta, key, ("a name", "NodeHandle"))?,
                        key,
                        errors,
                    ),
                    "weak" => set_once(
                        &mut out.weak,
                        key_value::<Ident>(meta, key, ("a name", "WeakNode"))?,
                        key,
                        errors,
                    ),
                    "crate" => set_once(
                        &mut out.krate,
                        key_value::<Path>(meta, key, ("a path", "::my_framework::sharecell"))?,
                        key,
                        errors,
                    ),
                    "flavor" => set_once(
                        &mut out.flavor,
                        key_value::<Ident>(meta, key, ("a type parameter", "F"))?,
                        key,
                        errors,
                    ),
                    "padded" => set_flag(&mut out.padded, meta, key, errors)?,
                    "no_debug" => set_flag(&mut out.no_debug, meta, key, errors)?,
                    "no_default" => set_flag(&mut out.no_default, meta, key, errors)?,
                    _ => return Err(container_unknown(meta, key)),
                }
                Ok(())
            },
        );
        out
    }
}

/// An unknown container key; field-only keys get a hint about where they belong.
fn container_unknown(meta: &ParseNestedMeta<'_>, key: &Ident) -> syn::Error {
    let name = key.to_string();
    if [
        "atomic", "rwlock", "mutex", "readonly", "swap", "once", "rename", "unpadded",
    ]
    .contains(&name.as_str())
    {
        return syn::Error::new(
            key.span(),
            format!(
                "`{name}` goes on a field, not on the struct; valid keys here are {CONTAINER_KEYS}"
            ),
        );
    }
    unknown(meta, CONTAINER_KEYS, "a struct")
}

impl FieldAttrs {
    pub(crate) fn parse(attrs: &[Attribute], errors: &mut Errors) -> Self {
        let mut out = FieldAttrs::default();
        each_key(
            attrs,
            errors,
            ("mutex", FIELD_KEYS, "a field"),
            |meta, key, errors| {
                let storage = match key.to_string().as_str() {
                    "atomic" => Storage::Atomic,
                    "rwlock" => Storage::RwLock,
                    "mutex" => Storage::Mutex,
                    "readonly" => Storage::ReadOnly,
                    "swap" => Storage::Swap,
                    "once" => Storage::Once,
                    "rename" => {
                        let name = key_value::<Ident>(meta, key, ("a name", "new_name"))?;
                        set_once(&mut out.rename, name, key, errors);
                        return Ok(());
                    }
                    "padded" | "unpadded" => {
                        no_value(meta, key)?;
                        out.set_padded(key, errors);
                        return Ok(());
                    }
                    _ => return Err(field_unknown(meta, key)),
                };
                no_value(meta, key)?;
                out.set_storage(storage, key, errors);
                Ok(())
            },
        );
        out
    }

    fn set_storage(&mut self, storage: Storage, key: &Ident, errors: &mut Errors) {
        match &self.storage {
            Some(old) if *old == storage => {
                errors.push(syn::Error::new(
                    key.span(),
                    format!("`{key}` is given more than once"),
                ));
            }
            Some(old) => errors.push(syn::Error::new(
                key.span(),
                format!(
                    "`{key}` conflicts with `{}`: a field has exactly one storage, pick one of \
                     `atomic`, `rwlock`, `mutex`, `readonly`, `swap`, `once`",
                    old.key()
                ),
            )),
            None => self.storage = Some(storage),
        }
    }

    fn set_padded(&mut self, key: &Ident, errors: &mut Errors) {
        let value = key == "padded";
        match &self.padded {
            Some(old) if *old == value => {
                errors.push(syn::Error::new(
                    key.span(),
                    format!("`{key}` is given more than once"),
                ));
            }
            Some(_) => errors.push(syn::Error::new(
                key.span(),
                "`padded` and `unpadded` contradict each other; keep one",
            )),
            None => self.padded = Some(value),
        }
    }
}

/// An unknown field key; container-only keys get a hint about where they belong.
fn field_unknown(meta: &ParseNestedMeta<'_>, key: &Ident) -> syn::Error {
    let name = key.to_string();
    if [
        "handle",
        "weak",
        "crate",
        "flavor",
        "no_debug",
        "no_default",
    ]
    .contains(&name.as_str())
    {
        return syn::Error::new(
            key.span(),
            format!(
                "`{name}` goes on the struct, not on a field; valid keys here are {FIELD_KEYS}"
            ),
        );
    }
    unknown(meta, FIELD_KEYS, "a field")
}
