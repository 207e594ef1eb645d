//! Random field types: scalars in every spelling, std types, references, arrays, tuples, fn
//! pointers, trait objects, qualified paths, and the struct's own generic parameters.

use super::rng::Rng;

/// The generic parameters a field type may use.
#[derive(Default)]
pub(super) struct Scope {
    pub(super) lifetimes: Vec<&'static str>,
    pub(super) types: Vec<&'static str>,
    pub(super) consts: Vec<&'static str>,
}

const LEAVES: &[&str] = &[
    "u8",
    "u64",
    "i32",
    "isize",
    "bool",
    "char",
    "f32",
    "f64",
    "core::primitive::u64",
    "::core::primitive::usize",
    "std::primitive::bool",
    "::std::primitive::f64",
    "primitive::u64",
    "String",
    "::std::string::String",
    "()",
    "Account",
    "Self",
    "std::sync::Arc<str>",
    "::core::cell::Cell<u8>",
    "m!(u8)",
    "[u8; 2 * 4]",
];

/// A type no deeper than `depth` that only names parameters in `scope`.
pub(super) fn random_type(rng: &mut Rng, scope: &Scope, depth: u32) -> String {
    if depth == 0 || rng.chance(40) {
        return leaf(rng, scope);
    }
    let mut inner = || random_type(rng, scope, depth - 1);
    let (a, b) = (inner(), inner());
    let lifetime = scope.lifetimes.first().copied().unwrap_or("'static");
    let len = scope
        .consts
        .first()
        .map_or("3".to_owned(), |n| format!("{{ {n} }}"));
    match rng.below(15) {
        0 => format!("Vec<{a}>"),
        1 => format!("Option<{a}>"),
        2 => format!("&{lifetime} {a}"),
        3 => format!("&{lifetime} mut {a}"),
        4 => format!("[{a}; {len}]"),
        5 => format!("({a}, {b})"),
        6 => format!("({a},)"),
        7 => format!("fn({a}) -> {b}"),
        8 => format!("::std::collections::HashMap<{a}, {b}>"),
        9 => format!("Box<dyn Fn(&{a}) -> {b} + Send + '_>"),
        10 => format!("*const {a}"),
        11 => format!("<{a} as ::core::ops::Deref>::Target"),
        12 => format!("Node<{a}, F>"),
        13 => format!("unsafe extern \"C\" fn({a}, ...) -> {b}"),
        _ => format!("::core::marker::PhantomData<for<'x> fn(&'x {a})>"),
    }
}

fn leaf(rng: &mut Rng, scope: &Scope) -> String {
    match rng.below(5) {
        0 if !scope.types.is_empty() => rng.pick(&scope.types).to_owned(),
        1 if !scope.consts.is_empty() => format!("[u8; {}]", rng.pick(&scope.consts)),
        2 if !scope.lifetimes.is_empty() => format!("&{} str", rng.pick(&scope.lifetimes)),
        _ => rng.pick(LEAVES).to_owned(),
    }
}
