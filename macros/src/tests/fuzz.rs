//! The derive never panics, whatever tokens it is given; it rejects exactly the inputs with a
//! mistake (with `compile_error!`, every mistake at once, not only the first) and accepts all
//! others; and what it emits always parses as items, defines the handle even on error, and never
//! reuses a name.
//!
//! The cases come from a seeded generator, so a failure reproduces on every machine. Set
//! `SHARECELL_FUZZ_SEED` and `SHARECELL_FUZZ_CASES` to explore further.

use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};

use proc_macro2::{TokenStream, TokenTree};
use syn::{GenericParam, Generics, Item};

use super::rng::Rng;
use super::structs::{struct_case, Case};
use super::tokens;

fn cases() -> usize {
    let default = if cfg!(miri) { 30 } else { 5_000 };
    env_number("SHARECELL_FUZZ_CASES").map_or(default, |n| n as usize)
}

fn seed() -> u64 {
    env_number("SHARECELL_FUZZ_SEED").unwrap_or(0x5EED_CE11)
}

fn env_number(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.parse().ok())
}

/// Runs the derive, turning a panic into an error that says where it came from.
fn derive(input: TokenStream) -> Result<TokenStream, String> {
    catch_unwind(AssertUnwindSafe(|| crate::derive(input))).map_err(|payload| {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        format!("the derive panicked: {message}")
    })
}

/// The messages of every `compile_error!` in `tokens`, at any depth.
fn error_messages(tokens: &TokenStream) -> Vec<String> {
    let trees: Vec<TokenTree> = tokens.clone().into_iter().collect();
    let mut out = Vec::new();
    for (i, tree) in trees.iter().enumerate() {
        match (tree, trees.get(i + 1), trees.get(i + 2)) {
            (TokenTree::Ident(id), Some(TokenTree::Punct(p)), Some(TokenTree::Group(g)))
                if id == "compile_error" && p.as_char() == '!' =>
            {
                out.push(g.stream().to_string());
            }
            (TokenTree::Group(g), ..) => out.extend(error_messages(&g.stream())),
            _ => {}
        }
    }
    out
}

fn mentions(tokens: &TokenStream, name: &str) -> bool {
    tokens.clone().into_iter().any(|tree| match tree {
        TokenTree::Ident(id) => id == name,
        TokenTree::Group(g) => mentions(&g.stream(), name),
        _ => false,
    })
}

/// The output as items, with the checks every output must pass: no generated item takes the
/// input's name or another generated item's, and none repeats a generic parameter (unless the
/// input itself does).
fn parse_output(output: &TokenStream, input: &TokenStream) -> Result<syn::File, String> {
    let file: syn::File = syn::parse2(output.clone())
        .map_err(|e| format!("the output does not parse as items: {e}"))?;
    let input = syn::parse2::<syn::DeriveInput>(input.clone()).ok();
    let mut names: Vec<String> = input.iter().map(|i| i.ident.to_string()).collect();
    let check_params = input
        .as_ref()
        .is_none_or(|i| unique_params(&i.generics).is_ok());
    for item in &file.items {
        let generics = match (name_and_generics(item), item) {
            (Some((name, _)), _) if names.contains(&name) => {
                return Err(format!("the output defines `{name}` a second time"));
            }
            (Some((name, generics)), _) => {
                names.push(name);
                generics
            }
            (None, Item::Impl(imp)) => &imp.generics,
            (None, _) => continue,
        };
        if check_params {
            unique_params(generics)?;
        }
    }
    Ok(file)
}

fn name_and_generics(item: &Item) -> Option<(String, &Generics)> {
    match item {
        Item::Struct(s) => Some((s.ident.to_string(), &s.generics)),
        Item::Type(t) => Some((t.ident.to_string(), &t.generics)),
        Item::Enum(e) => Some((e.ident.to_string(), &e.generics)),
        Item::Union(u) => Some((u.ident.to_string(), &u.generics)),
        Item::Trait(t) => Some((t.ident.to_string(), &t.generics)),
        _ => None,
    }
}

/// A generic parameter the derive adds must not take a name the user's struct already uses.
fn unique_params(generics: &Generics) -> Result<(), String> {
    let mut seen = Vec::new();
    for param in &generics.params {
        let name = match param {
            GenericParam::Lifetime(l) => l.lifetime.to_string(),
            GenericParam::Type(t) => t.ident.to_string(),
            GenericParam::Const(c) => c.ident.to_string(),
        };
        if seen.contains(&name) {
            return Err(format!(
                "a generated item has the generic parameter `{name}` twice"
            ));
        }
        seen.push(name);
    }
    Ok(())
}

fn defines_struct(file: &syn::File, name: &str) -> bool {
    file.items
        .iter()
        .any(|item| matches!(item, Item::Struct(s) if s.ident == name))
}

fn defines_type(file: &syn::File, name: &str) -> bool {
    file.items
        .iter()
        .any(|item| matches!(item, Item::Type(t) if t.ident == name))
        || defines_struct(file, name)
}

/// Whether an inherent impl has a method `name` (compared without `r#`).
fn defines_fn(file: &syn::File, name: &str) -> bool {
    let impls = file.items.iter().filter_map(|item| match item {
        Item::Impl(imp) if imp.trait_.is_none() => Some(imp),
        _ => None,
    });
    impls.flat_map(|imp| &imp.items).any(|item| {
        matches!(item, syn::ImplItem::Fn(f)
            if f.sig.ident.to_string().trim_start_matches("r#") == name)
    })
}

/// Everything the derive must do with one generated case.
fn check_case(case: &Case) -> Result<(), String> {
    let input: TokenStream = case
        .source
        .parse()
        .map_err(|e| format!("generator bug: {e}"))?;
    let output = derive(input.clone())?;
    check_verdict(case, &error_messages(&output))?;
    let file = parse_output(&output, &input)?;
    check_items(case, &file)?;
    if case.no_sharecell && mentions(&output, "sharecell") {
        return Err("`crate = path` is set, but the output still names `sharecell`".into());
    }
    Ok(())
}

/// Rejected exactly when the case has a mistake, with an error for each mistake.
fn check_verdict(case: &Case, errors: &[String]) -> Result<(), String> {
    if errors.len() < case.min_errors {
        return Err(format!(
            "not every mistake was reported: {} errors expected at least, {} reported; {:?}",
            case.min_errors,
            errors.len(),
            case.mistakes
        ));
    }
    match (case.mistakes.is_empty(), errors.is_empty()) {
        (true, false) => Err(format!("a valid input was rejected: {errors:?}")),
        (false, true) => Err(format!(
            "an invalid input was accepted: {:?}",
            case.mistakes
        )),
        _ => Ok(()),
    }
}

/// The handle is there (also on error), and for a valid input the weak handle and accessors.
fn check_items(case: &Case, file: &syn::File) -> Result<(), String> {
    if let Some(handle) = case.handle.as_ref().filter(|h| !defines_struct(file, h)) {
        return Err(format!("the output does not define the handle `{handle}`"));
    }
    if let Some(weak) = case.weak.as_ref().filter(|w| !defines_type(file, w)) {
        return Err(format!(
            "the output does not define the weak handle `{weak}`"
        ));
    }
    let valid = case.mistakes.is_empty();
    if let Some(missing) = case
        .accessors
        .iter()
        .find(|a| valid && !defines_fn(file, a))
    {
        return Err(format!(
            "the output does not define the accessor `{missing}`"
        ));
    }
    Ok(())
}

/// Runs `check` on `count` generated inputs; returns them and the failures (asserted by the
/// caller after it has printed what the inputs were like).
fn run_all<T>(
    count: usize,
    mut make: impl FnMut(&mut Rng) -> T,
    check: impl Fn(&T) -> Result<(), String>,
    show: impl Fn(&T) -> String,
) -> (Vec<T>, Failures) {
    let mut rng = Rng::new(seed());
    let mut failures = Failures::default();
    let made: Vec<T> = (0..count)
        .map(|index| {
            let case = make(&mut rng);
            if let Err(why) = check(&case) {
                failures.add(index, why, show(&case));
            }
            case
        })
        .collect();
    (made, failures)
}

/// Failures by kind (the message up to its first `:`): how many, and the smallest input.
#[derive(Default)]
struct Failures(BTreeMap<String, (usize, usize, String, String)>);

impl Failures {
    fn add(&mut self, index: usize, why: String, input: String) {
        let kind = why.split(':').next().unwrap_or_default().to_owned();
        let entry = self
            .0
            .entry(kind)
            .or_insert((0, index, why.clone(), input.clone()));
        entry.0 += 1;
        if input.len() < entry.3.len() {
            (entry.1, entry.2, entry.3) = (index, why, input);
        }
    }

    /// Fails showing the smallest failing input of each kind of failure.
    fn assert_none(&self, count: usize) {
        let report: Vec<String> = self
            .0
            .values()
            .map(|(n, index, why, input)| {
                format!("{n} x {why}\n  the smallest (case {index}):\n{input}\n")
            })
            .collect();
        assert!(
            report.is_empty(),
            "cases failed (seed {:#x}, {count} cases):\n\n{}",
            seed(),
            report.join("\n")
        );
    }
}

fn percent(part: usize, all: usize) -> String {
    format!("{part} ({}%)", part * 100 / all.max(1))
}

/// Fails when `part` is not between `min` and `max` percent of `all`: the generator has drifted
/// and tests little. Skipped for small runs (Miri), where the share is not stable.
fn assert_share(part: usize, all: usize, (min, max): (usize, usize), what: &str) {
    if all >= 1_000 {
        let share = part * 100 / all;
        assert!(
            (min..=max).contains(&share),
            "{share}% {what}; expected {min}% to {max}%"
        );
    }
}

#[test]
fn generated_structs_are_accepted_or_rejected_as_they_should_be() {
    let (made, failures) = run_all(cases(), struct_case, check_case, |c| c.source.clone());
    let valid = made.iter().filter(|c| c.mistakes.is_empty()).count();
    let several = made.iter().filter(|c| c.min_errors > 1).count();
    let n = made.len();
    println!(
        "{n} generated structs: {} valid, {} invalid, {} with several mistakes",
        percent(valid, n),
        percent(n - valid, n),
        percent(several, n)
    );
    assert_share(valid, n, (25, 75), "of the generated structs are valid");
    assert_share(
        several,
        n,
        (5, 100),
        "of the generated structs have several mistakes",
    );
    failures.assert_none(n);
}

/// For raw tokens the model cannot say what is valid; the derive must still not panic, must
/// reject what is not even an item, and must emit items.
fn check_tokens(input: &TokenStream) -> Result<(), String> {
    let output = derive(input.clone())?;
    let errors = error_messages(&output);
    let parses = syn::parse2::<syn::DeriveInput>(input.clone()).is_ok();
    if !parses && errors.is_empty() {
        return Err("input that is no item was accepted".into());
    }
    parse_output(&output, input).map(drop)
}

#[test]
fn random_tokens_never_panic() {
    let (made, failures) = run_all(
        cases(),
        |rng| {
            if rng.chance(50) {
                tokens::random_stream(rng, 3)
            } else {
                tokens::in_skeleton(rng)
            }
        },
        check_tokens,
        ToString::to_string,
    );
    let items = count_items(&made);
    println!(
        "{} random token streams, {} of them items",
        made.len(),
        percent(items, made.len())
    );
    assert_share(
        items,
        made.len(),
        (10, 90),
        "of the random token streams are items",
    );
    failures.assert_none(made.len());
}

#[test]
fn mutated_structs_never_panic() {
    let (made, failures) = run_all(
        cases(),
        |rng| {
            let source = struct_case(rng).source;
            let tokens = source.parse().unwrap_or_default();
            (0..=rng.below(3)).fold(tokens, |t, _| tokens::mutate(rng, t))
        },
        check_tokens,
        ToString::to_string,
    );
    let items = count_items(&made);
    println!(
        "{} mutated structs, {} of them still items",
        made.len(),
        percent(items, made.len())
    );
    assert_share(
        items,
        made.len(),
        (20, 100),
        "of the mutated structs are still items",
    );
    failures.assert_none(made.len());
}

fn count_items(streams: &[TokenStream]) -> usize {
    streams
        .iter()
        .filter(|t| syn::parse2::<syn::DeriveInput>((*t).clone()).is_ok())
        .count()
}

/// Raw identifiers, keywords, lifetimes, literals and paths where a name is expected.
const ODD_TOKENS: &[&str] = &[
    "r#F",
    "r#fn",
    "r#type",
    "r#match",
    "r#async",
    "fn",
    "self",
    "Self",
    "crate",
    "super",
    "_",
    "async",
    "union",
    "'a",
    "'static",
    "'__sharecell",
    "1",
    "\"r#F\"",
    "\"fn\"",
    "\"\"",
    "::F",
    "F::G",
    "<F>",
    "&F",
    "dyn F",
    "r#F::r#G",
];

/// Every place of the input where a user writes a name, with `{}` for it.
const ODD_PLACES: &[&str] = &[
    "#[shared(handle = {})] struct S { a: u8 }",
    "#[shared(weak = {})] struct S { a: u8 }",
    "#[shared(crate = {})] struct S { a: u8 }",
    "#[shared(flavor = {})] struct S<F: sharecell::Flavor> { a: u8 }",
    "#[shared(flavor = {})] struct S<r#F: sharecell::Flavor> { a: u8 }",
    "#[shared(flavor = F)] struct S<{}: sharecell::Flavor> { a: u8 }",
    "#[shared({})] struct S { a: u8 }",
    "#[shared({} = Node)] struct S { a: u8 }",
    "#[shared(padded = {})] struct S { a: u8 }",
    "#[shared(no_debug({}))] struct S { a: u8 }",
    "struct S { #[shared(rename = {})] a: u8 }",
    "struct S { #[shared({})] a: u8 }",
    "struct S { #[shared({} = 1)] a: u8 }",
    "struct S { #[shared(mutex = {})] a: u8 }",
    "struct {} { a: u8 }",
    "struct S<{}> { a: u8 }",
    "struct S<'{}> { a: &'{} u8 }",
    "struct S { {}: u8 }",
    "struct S { a: {} }",
    "struct S { #[shared(atomic)] a: {} }",
];

/// Whatever odd token stands where a name should, the derive does not panic and emits items.
#[test]
fn odd_tokens_in_every_attribute_position_never_panic() {
    let mut checked = 0;
    for place in ODD_PLACES {
        for token in ODD_TOKENS {
            let source = place.replace("'{}", &format!("'{}", token.trim_start_matches('\'')));
            let source = source.replace("{}", token);
            // Some combinations do not even lex (`r#self`): no derive ever sees them.
            let Ok(input) = source.parse::<TokenStream>() else {
                continue;
            };
            let output = derive(input.clone()).unwrap_or_else(|e| panic!("{source}: {e}"));
            // The output must be items whenever rustc could hand the input to a derive at all
            // (syn is laxer than rustc about `_` as a name).
            if syn::parse_str::<syn::File>(&source).is_ok() && *token != "_" {
                parse_output(&output, &input).unwrap_or_else(|e| panic!("{source}: {e}"));
            }
            checked += 1;
        }
    }
    assert!(
        checked > ODD_PLACES.len() * ODD_TOKENS.len() / 2,
        "{checked} cases lexed"
    );
}
