//! The `#[shared(...)]` attribute model: what each key means, parsed with its span kept so every
//! mistake is reported on the token that caused it.

use proc_macro2::Span;
use quote::ToTokens;
use syn::meta::ParseNestedMeta;
use syn::parse::Parse;
use syn::punctuated::Punctuated;
use syn::{Attribute, Ident, LitStr, Meta, Path, WherePredicate};

use crate::errors::Errors;

/// Where a key of `#[shared(...)]` goes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Level {
    Struct,
    Field,
    Both,
}

impl Level {
    fn allows(self, place: Place) -> bool {
        match self {
            Level::Both => true,
            Level::Struct => place == Place::Struct,
            Level::Field => place == Place::Field,
        }
    }
}

/// Where an attribute being parsed sits.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    Struct,
    Field,
}

impl Place {
    /// As messages say it: "on a struct".
    fn noun(self) -> &'static str {
        match self {
            Place::Struct => "a struct",
            Place::Field => "a field",
        }
    }

    /// The example in "needs keys" messages.
    fn example(self) -> &'static str {
        match self {
            Place::Struct => "handle = Name",
            Place::Field => "mutex",
        }
    }
}

/// One key of `#[shared(...)]`.
struct Key {
    name: &'static str,
    level: Level,
    /// As the list of valid keys shows it: `handle = Name`.
    shown: &'static str,
    /// The storage the key selects, for the storage keys.
    storage: Option<Storage>,
}

const fn key(name: &'static str, level: Level, shown: &'static str) -> Key {
    Key {
        name,
        level,
        shown,
        storage: None,
    }
}

const fn storage_key(name: &'static str, storage: Storage) -> Key {
    Key {
        name,
        level: Level::Field,
        shown: name,
        storage: Some(storage),
    }
}

/// Every key, in the order messages list them. Parsing, the lists of valid keys, the "did you
/// mean" hints and the "goes on a field, not on the struct" hints all read this table.
const KEYS: &[Key] = &[
    key("handle", Level::Struct, "handle = Name"),
    key("weak", Level::Struct, "weak = Name"),
    key("crate", Level::Struct, "crate = path"),
    key("flavor", Level::Struct, "flavor = F"),
    key("bound", Level::Struct, "bound = \"T: Trait\""),
    storage_key("atomic", Storage::Atomic),
    storage_key("rwlock", Storage::RwLock),
    storage_key("mutex", Storage::Mutex),
    storage_key("readonly", Storage::ReadOnly),
    storage_key("swap", Storage::Swap),
    storage_key("once", Storage::Once),
    key("rename", Level::Field, "rename = name"),
    key("padded", Level::Both, "padded"),
    key("unpadded", Level::Field, "unpadded"),
    key("no_new", Level::Struct, "no_new"),
    key("no_debug", Level::Struct, "no_debug"),
    key("no_default", Level::Struct, "no_default"),
    key("no_serde", Level::Struct, "no_serde"),
];

/// "`a`, `b = x`, ...": the keys `keep` selects, as shown in messages.
fn listed(keep: impl Fn(&Key) -> bool) -> String {
    KEYS.iter()
        .filter(|k| keep(k))
        .map(|k| format!("`{}`", k.shown))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The keys valid at `place`, as shown in messages.
fn valid_keys(place: Place) -> String {
    listed(|k| k.level.allows(place))
}

/// `#[shared(...)]` on the struct.
#[derive(Default)]
pub(crate) struct ContainerAttrs {
    pub(crate) handle: Option<Ident>,
    pub(crate) weak: Option<Ident>,
    pub(crate) krate: Option<Path>,
    pub(crate) flavor: Option<Ident>,
    /// `bound = "..."`: where-clause predicates for every generated trait impl (`Debug`,
    /// `Default`, `Snapshot`, serde's), in place of the bounds inferred on the type parameters
    /// (`T: Debug`), as serde's `bound`.
    pub(crate) bound: Option<Vec<WherePredicate>>,
    pub(crate) padded: Option<Span>,
    /// `no_new`: no constructors `new`, `new_local`, `new_sync`; the user writes their own.
    pub(crate) no_new: Option<Span>,
    /// `no_debug`: the user writes the handle's `Debug` impl.
    pub(crate) no_debug: Option<Span>,
    /// `no_default`: the user writes the handle's `Default` impl.
    pub(crate) no_default: Option<Span>,
    /// `no_serde`: no `Serialize` / `Deserialize` for the handle, even with the feature `serde`.
    pub(crate) no_serde: Option<Span>,
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
    /// The key that selects this storage.
    fn key(self) -> &'static str {
        KEYS.iter()
            .find(|k| k.storage == Some(self))
            .map_or("?", |k| k.name)
    }

    /// The runtime type that holds a field of this storage: its path below the runtime crate,
    /// and whether it takes the flavour after the value type (`Atom<T, F>`; `readonly` is the
    /// flavourless `__private::ReadOnly<T>`).
    pub(crate) fn runtime_type(self) -> (&'static [&'static str], bool) {
        match self {
            Storage::Atomic => (&["Atom"], true),
            Storage::RwLock => (&["RwLock"], true),
            Storage::Mutex => (&["Mutex"], true),
            Storage::ReadOnly => (&["__private", "ReadOnly"], false),
            Storage::Swap => (&["Swap"], true),
            Storage::Once => (&["Once"], true),
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

/// The error of a key given twice, on its second occurrence.
fn given_twice(key: &Ident) -> syn::Error {
    syn::Error::new(key.span(), format!("`{key}` is given more than once"))
}

/// Stores `value` in `slot`, or reports a repeated key.
fn set_once<T>(slot: &mut Option<T>, value: T, key: &Ident, errors: &mut Errors) {
    if slot.is_some() {
        errors.push(given_twice(key));
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

/// Parses `= "T: Trait, U: Other"` for `bound`: where-clause predicates in a string, as serde's
/// `bound` takes them; `bound = ""` for none.
fn bound_value(meta: &ParseNestedMeta<'_>, key: &Ident) -> syn::Result<Vec<WherePredicate>> {
    let wrong = |span: Span| {
        syn::Error::new(
            span,
            format!(
                "`{key}` takes where-clause predicates in a string, for example \
                 `{key} = \"T: Clone + std::fmt::Debug\"`, or `{key} = \"\"` for none"
            ),
        )
    };
    if !meta.input.peek(syn::Token![=]) {
        return Err(wrong(key.span()));
    }
    let value = meta.value()?;
    let lit: LitStr = value.parse().map_err(|e| wrong(e.span()))?;
    let predicates = lit
        .parse_with(Punctuated::<WherePredicate, syn::Token![,]>::parse_terminated)
        .map_err(|e| {
            syn::Error::new(
                lit.span(),
                format!("`{key} = {:?}`: {e}; write predicates as in a where clause, for example `T: Clone + std::fmt::Debug`", lit.value()),
            )
        })?;
    Ok(predicates.into_iter().collect())
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

/// Reports a key not valid at `place`: one that belongs at the other level is told where it
/// goes; any other gets the valid keys and the closest of them.
fn unknown(meta: &ParseNestedMeta<'_>, place: Place) -> syn::Error {
    let valid = valid_keys(place);
    let name = meta.path.to_token_stream().to_string().replace(' ', "");
    if KEYS.iter().any(|k| k.name == name) {
        let there = match place {
            Place::Struct => "on a field, not on the struct",
            Place::Field => "on the struct, not on a field",
        };
        return meta.error(format!(
            "`{name}` goes {there}; valid keys here are {valid}"
        ));
    }
    let hint = closest(&name, place).map_or_else(String::new, |k| format!("did you mean `{k}`? "));
    meta.error(format!(
        "unknown key `{name}` in `#[shared(...)]` on {}; {hint}valid keys are {valid}",
        place.noun()
    ))
}

/// The key valid at `place` within two edits of `name`, if any.
fn closest(name: &str, place: Place) -> Option<&'static str> {
    KEYS.iter()
        .filter(|k| k.level.allows(place))
        .map(|k| (edit_distance(name, k.name), k.name))
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

/// Runs `parse_key` on each key of each `#[shared(...)]` that is valid at `place`, collecting
/// every mistake.
fn each_key(
    attrs: &[Attribute],
    errors: &mut Errors,
    place: Place,
    mut parse_key: impl FnMut(&ParseNestedMeta<'_>, &Ident, &mut Errors) -> syn::Result<()>,
) {
    for attr in attrs.iter().filter(|a| ours(a)) {
        if !check_form(attr, errors, place.example()) {
            continue;
        }
        let result = attr.parse_nested_meta(|meta| {
            let known = meta
                .path
                .get_ident()
                .filter(|key| KEYS.iter().any(|k| k.level.allows(place) && key == &k.name));
            let Some(key) = known.cloned() else {
                errors.push(unknown(&meta, place));
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
        each_key(attrs, errors, Place::Struct, |meta, key, errors| {
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
                "crate" => {
                    let path =
                        key_value::<Path>(meta, key, ("a path", "::my_framework::sharecell"))?;
                    // The expansion imports it (`use <path> as __sc;`), which `Self` cannot be.
                    if path.segments.first().is_some_and(|s| s.ident == "Self") {
                        return Err(syn::Error::new_spanned(
                            path,
                            "`crate` takes the path of the sharecell crate or of a module that \
                             re-exports it, for example `crate = ::my_framework::sharecell`; \
                             `Self` is not one",
                        ));
                    }
                    set_once(&mut out.krate, path, key, errors);
                }
                "flavor" => set_once(
                    &mut out.flavor,
                    key_value::<Ident>(meta, key, ("a type parameter", "F"))?,
                    key,
                    errors,
                ),
                "bound" => set_once(&mut out.bound, bound_value(meta, key)?, key, errors),
                "padded" => set_flag(&mut out.padded, meta, key, errors)?,
                "no_new" => set_flag(&mut out.no_new, meta, key, errors)?,
                "no_debug" => set_flag(&mut out.no_debug, meta, key, errors)?,
                "no_default" => set_flag(&mut out.no_default, meta, key, errors)?,
                // `no_serde`: `each_key` passes only the keys of the table.
                _ => set_flag(&mut out.no_serde, meta, key, errors)?,
            }
            Ok(())
        });
        out
    }
}

impl FieldAttrs {
    pub(crate) fn parse(attrs: &[Attribute], errors: &mut Errors) -> Self {
        let mut out = FieldAttrs::default();
        each_key(attrs, errors, Place::Field, |meta, key, errors| {
            match key.to_string().as_str() {
                "rename" => {
                    let name = key_value::<Ident>(meta, key, ("a name", "new_name"))?;
                    set_once(&mut out.rename, name, key, errors);
                }
                "padded" | "unpadded" => {
                    no_value(meta, key)?;
                    out.set_padded(key, errors);
                }
                name => {
                    no_value(meta, key)?;
                    if let Some(storage) =
                        KEYS.iter().find(|k| k.name == name).and_then(|k| k.storage)
                    {
                        out.set_storage(storage, key, errors);
                    }
                }
            }
            Ok(())
        });
        out
    }

    fn set_storage(&mut self, storage: Storage, key: &Ident, errors: &mut Errors) {
        match &self.storage {
            Some(old) if *old == storage => errors.push(given_twice(key)),
            Some(old) => errors.push(syn::Error::new(
                key.span(),
                format!(
                    "`{key}` conflicts with `{}`: a field has exactly one storage, pick one of {}",
                    old.key(),
                    listed(|k| k.storage.is_some())
                ),
            )),
            None => self.storage = Some(storage),
        }
    }

    fn set_padded(&mut self, key: &Ident, errors: &mut Errors) {
        let value = key == "padded";
        match &self.padded {
            Some(old) if *old == value => errors.push(given_twice(key)),
            Some(_) => errors.push(syn::Error::new(
                key.span(),
                "`padded` and `unpadded` contradict each other; keep one",
            )),
            None => self.padded = Some(value),
        }
    }
}
