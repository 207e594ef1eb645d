//! Random struct definitions whose fate is known by construction: the generator tracks every
//! mistake it puts in, so the fuzz test can assert that the derive rejects exactly those inputs
//! and accepts all the others.

use super::pools::{self, Entry, Key};
use super::rng::Rng;
use super::types::{random_type, Scope};

/// One generated input and what the derive must do with it.
pub(super) struct Case {
    pub(super) source: String,
    /// Why the input is wrong; empty when the derive must accept it.
    pub(super) mistakes: Vec<String>,
    /// At least this many errors must be reported (all mistakes at once, not the first only).
    pub(super) min_errors: usize,
    /// The handle type the output must define, also on error (when the model knows its name).
    pub(super) handle: Option<String>,
    /// `crate = path` moved the runtime: the output must not name `sharecell` at all.
    pub(super) no_sharecell: bool,
    /// For a valid input: the weak handle type and the accessors the output must define.
    pub(super) weak: Option<String>,
    pub(super) accessors: Vec<String>,
}

/// `#[shared(...)]` attributes drawn from the pools, and what they add up to.
#[derive(Default)]
struct Attrs {
    text: String,
    /// The well-formed keys, in order.
    keys: Vec<Key>,
    /// Some attribute has a mistake, so later keys in it may be unread: `keys` is uncertain.
    malformed: bool,
    /// Errors this must produce at least: one per mistake the parser can read past.
    min_errors: usize,
}

fn shared_attrs(rng: &mut Rng, pools: (&[Entry], &[Entry]), bad_percent: u64) -> Attrs {
    let mut out = Attrs::default();
    for _ in 0..rng.pick(&[0, 0, 0, 1, 1, 1, 2]) {
        if rng.chance(bad_percent / 3) {
            out.text += rng.pick(pools::FORM_MISTAKES);
            out.text += "\n";
            out.malformed = true;
            out.min_errors += 1;
        } else {
            shared_list(rng, pools, bad_percent, &mut out);
        }
    }
    out
}

/// One `#[shared(a, b, ...)]`. A mistake is often followed by another, to check that the
/// parser reads on after the first.
fn shared_list(
    rng: &mut Rng,
    (good, bad): (&[Entry], &[Entry]),
    bad_percent: u64,
    out: &mut Attrs,
) {
    let mut parts = Vec::new();
    let mut readable = true;
    let mut after_bad = false;
    for _ in 0..rng.pick(&[1, 1, 1, 2, 3]) {
        let entry = if rng.chance(if after_bad { 40 } else { bad_percent }) {
            rng.pick(bad)
        } else {
            rng.pick(good)
        };
        parts.push(entry.0);
        after_bad = matches!(entry.1, Key::Bad { .. });
        match entry.1 {
            Key::Bad { recoverable } => {
                out.malformed = true;
                out.min_errors += usize::from(readable);
                readable &= recoverable;
            }
            key => out.keys.push(key),
        }
    }
    let comma = if rng.chance(10) { "," } else { "" };
    out.text += &format!("#[shared({}{comma})]\n", parts.join(", "));
}

/// Generic parameters, and which type parameters are bounded by `Flavor`.
#[derive(Default)]
struct Generics {
    params: Vec<String>,
    /// Parameters with a default, which must come last.
    defaulted: Vec<String>,
    /// `where` predicates, and whether the case needs them kept.
    preds: Vec<(String, bool)>,
    scope: Scope,
    flavor_bounded: Vec<(&'static str, bool)>,
}

impl Generics {
    fn random(rng: &mut Rng) -> Self {
        let mut g = Generics::default();
        if rng.chance(30) {
            g.lifetimes(rng);
        }
        if rng.chance(35) {
            g.type_param(rng);
        }
        if rng.chance(15) {
            g.param("U", "U: Default = u8", true);
            g.preds.push(("Vec<U>: Default".into(), false));
        }
        if rng.chance(35) {
            g.flavor_param(rng);
        }
        if rng.chance(3) {
            // The name a careless derive would give the flavour parameter it adds.
            g.param("__F", "__F", false);
        }
        if rng.chance(20) {
            g.scope.consts.push("N");
            g.params.push("const N: usize".into());
        }
        if rng.chance(10) {
            g.scope.consts.push("M");
            g.defaulted.push("const M: u8 = 4".into());
        }
        g
    }

    fn lifetimes(&mut self, rng: &mut Rng) {
        self.scope.lifetimes.push("'a");
        self.params.push("'a".into());
        if rng.chance(40) {
            self.scope.lifetimes.push("'b");
            self.params.push("'b: 'a".into());
            self.preds.push(("'b: 'a".into(), false));
        }
    }

    fn type_param(&mut self, rng: &mut Rng) {
        let (text, pred) = rng.pick(&[
            ("T", None),
            ("T: Clone", None),
            ("T: ::core::fmt::Debug + 'static", Some("T: Clone")),
            ("T", Some("for<'x> &'x T: IntoIterator")),
            ("T: for<'x> Fn(&'x u8)", None),
        ]);
        self.param("T", text, false);
        self.preds.extend(pred.map(|p| (p.to_owned(), false)));
    }

    /// A parameter named `F`, bounded by `Flavor` or not, inline or in the `where` clause.
    fn flavor_param(&mut self, rng: &mut Rng) {
        let (text, bounded, default) = rng.pick(&[
            ("F", false, false),
            ("F: Clone", false, false),
            ("F: sharecell::Flavor", true, false),
            ("F: Flavor + Clone", true, false),
            (
                "F: ::sharecell::Flavor = ::sharecell::DefaultFlavor",
                true,
                true,
            ),
            ("F", true, false),
        ]);
        if text == "F" && bounded {
            self.preds
                .insert(0, ("F: ::sharecell::Flavor".into(), true));
        }
        self.param("F", text, default);
        self.flavor_bounded.push(("F", bounded));
    }

    fn param(&mut self, name: &'static str, text: &str, default: bool) {
        if default {
            &mut self.defaulted
        } else {
            &mut self.params
        }
        .push(text.to_owned());
        self.scope.types.push(name);
        if name != "F" {
            self.flavor_bounded.push((name, false));
        }
    }

    /// `(<params>, where clause)` as source text.
    fn render(&self, rng: &mut Rng) -> (String, String) {
        let all: Vec<&str> = self
            .params
            .iter()
            .chain(&self.defaulted)
            .map(String::as_str)
            .collect();
        let params = if all.is_empty() {
            String::new()
        } else {
            format!("<{}>", all.join(", "))
        };
        let kept: Vec<&str> = self
            .preds
            .iter()
            .filter(|(_, needed)| *needed || rng.chance(50))
            .map(|(p, _)| p.as_str())
            .collect();
        let mut where_clause = String::new();
        if !kept.is_empty() || rng.chance(3) {
            let comma = if !kept.is_empty() && rng.chance(50) {
                ","
            } else {
                ""
            };
            where_clause = format!("where {}{comma}", kept.join(", "));
        }
        (params, where_clause)
    }

    /// Whether `flavor = name` is accepted: it names a type parameter. Its bound is the
    /// handle's to add, not the derive's to check (a user's trait may have `Flavor` as a
    /// supertrait).
    fn flavor_ok(&self, name: &str) -> bool {
        self.flavor_bounded.iter().any(|&(n, _)| n == name)
    }
}

/// The mistakes found so far, and how many errors they must produce at least.
#[derive(Default)]
struct Model {
    mistakes: Vec<String>,
    min_errors: usize,
    accessors: Vec<String>,
}

impl Model {
    fn mistake(&mut self, what: String, errors: usize) {
        self.mistakes.push(what);
        self.min_errors += errors;
    }

    fn attrs(&mut self, attrs: &Attrs, place: &str) {
        if attrs.malformed {
            self.mistake(
                format!("a malformed #[shared] on {place}"),
                attrs.min_errors,
            );
        }
    }

    /// Each key of `kind` after the first is an error.
    fn once(&mut self, keys: &[Key], kind: &str, is: impl Fn(&Key) -> bool, place: &str) {
        let count = keys.iter().filter(|k| is(k)).count();
        if count > 1 {
            self.mistake(
                format!("`{kind}` given {count} times on {place}"),
                count - 1,
            );
        }
    }
}

/// What the container attribute chooses (read from its well-formed keys, first one wins).
struct Names {
    handle: String,
    weak: String,
    flavor: Option<&'static str>,
    moved_crate: bool,
}

fn container_names(ident: &str, keys: &[Key]) -> Names {
    let first = |f: fn(&Key) -> Option<&'static str>| keys.iter().find_map(f);
    let handle = first(|k| match k {
        Key::Handle(h) => Some(h),
        _ => None,
    })
    .map_or_else(|| format!("{ident}Handle"), str::to_owned);
    let weak = first(|k| match k {
        Key::Weak(w) => Some(w),
        _ => None,
    })
    .map_or_else(|| format!("Weak{handle}"), str::to_owned);
    let flavor = first(|k| match k {
        Key::Flavor(f) => Some(f),
        _ => None,
    });
    let moved_crate = keys.iter().find_map(|k| match k {
        Key::Crate(m) => Some(*m),
        _ => None,
    }) == Some(true);
    Names {
        handle,
        weak,
        flavor,
        moved_crate,
    }
}

/// Whole-input checks on the container names (only run for structs with named fields).
fn check_names(model: &mut Model, ident: &str, names: &Names, generics: &Generics) {
    if names.handle == ident {
        model.mistake(format!("the handle is named like the struct `{ident}`"), 1);
    }
    if names.weak == ident || names.weak == names.handle {
        model.mistake(format!("the weak handle `{}` collides", names.weak), 1);
    }
    if let Some(f) = names.flavor {
        if !generics.flavor_ok(f) {
            model.mistake(format!("`flavor = {f}` is not a type parameter"), 1);
        }
    }
}

fn check_container_keys(model: &mut Model, keys: &[Key]) {
    let place = "the struct";
    model.once(keys, "handle", |k| matches!(k, Key::Handle(_)), place);
    model.once(keys, "weak", |k| matches!(k, Key::Weak(_)), place);
    model.once(keys, "crate", |k| matches!(k, Key::Crate(_)), place);
    model.once(keys, "flavor", |k| matches!(k, Key::Flavor(_)), place);
    model.once(keys, "padded", |k| matches!(k, Key::Padded), place);
}

/// Named fields: their source text, with their mistakes added to `model`.
fn named_fields(rng: &mut Rng, scope: &Scope, model: &mut Model) -> String {
    let mut seen: Vec<String> = Vec::new();
    let mut names: Vec<&'static str> = Vec::new();
    let mut out = String::new();
    for _ in 0..rng.pick(&[0, 1, 1, 2, 2, 3, 3, 4, 5, 6]) {
        let name = field_name(rng, &names);
        names.push(name);
        let attrs = if rng.chance(35) {
            shared_attrs(rng, (pools::FIELD_GOOD, pools::FIELD_BAD), 8)
        } else {
            Attrs::default()
        };
        field_model(model, &attrs, name, &mut seen);
        let other: String = (0..rng.below(3))
            .map(|_| format!("{}\n", rng.pick(pools::OTHER_ATTRS)))
            .collect();
        let vis = rng.pick(pools::VISIBILITIES);
        let ty = random_type(rng, scope, 3);
        if mentions_self(&ty) {
            model.mistake(format!("field `{name}` has `Self` in its type"), 1);
        }
        out += &format!("{other}{}{vis}{name}: {ty},\n", attrs.text);
    }
    out
}

/// Whether a type's text names `Self` as a whole word (the derive rejects it).
fn mentions_self(ty: &str) -> bool {
    ty.split(|c: char| !c.is_alphanumeric() && c != '_')
        .any(|w| w == "Self")
}

/// Mostly a name not used yet; sometimes a reserved or a repeated one.
fn field_name(rng: &mut Rng, used: &[&'static str]) -> &'static str {
    if rng.chance(3) {
        return rng.pick(pools::RESERVED_FIELD_NAMES);
    }
    if rng.chance(3) && !used.is_empty() {
        return rng.pick(used);
    }
    let fresh: Vec<&'static str> = pools::FIELD_NAMES
        .iter()
        .copied()
        .filter(|n| !used.contains(n))
        .collect();
    rng.pick(&fresh)
}

fn field_model(model: &mut Model, attrs: &Attrs, name: &str, seen: &mut Vec<String>) {
    let place = format!("field `{name}`");
    model.attrs(attrs, &place);
    if attrs.malformed {
        return; // which keys were read is unknown, and the case is invalid anyway
    }
    let keys = &attrs.keys;
    model.once(keys, "storage", |k| matches!(k, Key::Storage), &place);
    model.once(keys, "rename", |k| matches!(k, Key::Rename(_)), &place);
    model.once(keys, "padded/unpadded", |k| matches!(k, Key::Pad), &place);
    let renamed = keys.iter().find_map(|k| match k {
        Key::Rename(r) => Some(*r),
        _ => None,
    });
    let accessor = renamed
        .unwrap_or_else(|| name.trim_start_matches("r#"))
        .to_owned();
    if pools::RESERVED.contains(&accessor.as_str()) {
        model.mistake(format!("accessor `{accessor}` is reserved"), 1);
    }
    if seen.contains(&accessor) {
        model.mistake(format!("two accessors named `{accessor}`"), 1);
    } else {
        seen.push(accessor.clone());
    }
    model.accessors.push(accessor);
}

/// A random token sequence that starts with a token no item syntax allows where it is put.
fn garbage(rng: &mut Rng) -> String {
    let mut out = rng.pick(&["@", "~", "$"]).to_owned();
    for _ in 0..rng.below(4) {
        out += " ";
        out += rng.pick(pools::GARBAGE);
    }
    out
}

/// Where a case breaks the item grammar, if it does.
#[derive(PartialEq, Eq, Clone, Copy)]
enum Break {
    None,
    Before,
    After,
    Generics,
    FieldType,
}

/// Mostly `Break::None`; a field type can only break in a struct with named fields.
fn choose_break(rng: &mut Rng, named: bool) -> Break {
    if !rng.chance(6) {
        return Break::None;
    }
    let places = [
        Break::Before,
        Break::After,
        Break::Generics,
        Break::FieldType,
    ];
    rng.pick(&places[..if named { 4 } else { 3 }])
}

/// One random struct (or enum, union, tuple struct, ...) and what the derive must do with it.
pub(super) fn struct_case(rng: &mut Rng) -> Case {
    let ident = rng.pick(pools::STRUCT_NAMES);
    let generics = Generics::random(rng);
    let named = rng.chance(90);
    let brk = choose_break(rng, named);
    let container = shared_attrs(rng, (pools::CONTAINER_GOOD, pools::CONTAINER_BAD), 6);
    let mut model = Model::default();
    model.attrs(&container, "the struct");
    let names = container_names(ident, &container.keys);
    let (params, where_clause) = generics.render(rng);
    let item = if named {
        if !container.malformed {
            check_container_keys(&mut model, &container.keys);
            check_names(&mut model, ident, &names, &generics);
        }
        let mut fields = named_fields(rng, &generics.scope, &mut model);
        if brk == Break::FieldType {
            fields += &format!("broken: {},\n", garbage(rng));
        }
        format!("struct {ident}{params} {where_clause} {{\n{fields}}}")
    } else {
        let (item, what) = other_shape(rng, ident, &params, &where_clause, &generics.scope);
        model.mistake(format!("{what} is not a struct with named fields"), 1);
        item
    };
    let item = if brk == Break::Generics {
        item.replacen(ident, &format!("{ident}<@ T>"), 1)
    } else {
        item
    };
    let other: String = (0..rng.below(2))
        .map(|_| format!("{}\n", rng.pick(pools::OTHER_ATTRS)))
        .collect();
    let vis = rng.pick(pools::VISIBILITIES);
    let mut source = format!("{other}{}{vis}{item}", container.text);
    match brk {
        Break::Before => source = format!("{} {source}", garbage(rng)),
        Break::After => source = format!("{source} {}", garbage(rng)),
        _ => {}
    }
    finish(source, ident, model, &container, &names, brk != Break::None)
}

fn finish(
    source: String,
    ident: &'static str,
    mut model: Model,
    container: &Attrs,
    names: &Names,
    broken: bool,
) -> Case {
    if broken {
        // The item does not parse: exactly one error, and nothing to build a handle from.
        model = Model::default();
        model.mistake("the item does not parse".into(), 1);
    }
    let known = !broken && !container.malformed;
    let valid = model.mistakes.is_empty();
    Case {
        handle: (known && names.handle != ident).then(|| names.handle.clone()),
        weak: valid.then(|| names.weak.clone()),
        accessors: model.accessors,
        no_sharecell: known && names.moved_crate && !source.contains("sharecell"),
        source,
        mistakes: model.mistakes,
        min_errors: model.min_errors,
    }
}

/// A tuple struct, unit struct, enum or union: all rejected.
fn other_shape(
    rng: &mut Rng,
    ident: &str,
    params: &str,
    where_clause: &str,
    scope: &Scope,
) -> (String, &'static str) {
    let ty = random_type(rng, scope, 2);
    match rng.below(4) {
        0 => (
            format!("struct {ident}{params}(pub {ty}, u8) {where_clause};"),
            "a tuple struct",
        ),
        1 => (
            format!("struct {ident}{params} {where_clause};"),
            "a unit struct",
        ),
        2 => (
            format!("enum {ident}{params} {where_clause} {{ A, B({ty}), C {{ x: u8 }} }}"),
            "an enum",
        ),
        _ => (
            format!("union {ident}{params} {where_clause} {{ a: u32, b: {ty} }}"),
            "a union",
        ),
    }
}
