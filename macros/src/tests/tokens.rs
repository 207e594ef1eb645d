//! Random token streams, for inputs no struct generator would write: arbitrary idents,
//! punctuation, literals and groups (including the invisible groups `macro_rules!` makes),
//! alone, inside a struct skeleton, or spliced into a generated struct.

use proc_macro2::{Delimiter, Group, Ident, Literal, Punct, Spacing, Span, TokenStream, TokenTree};

use super::rng::Rng;

const IDENTS: &[&str] = &[
    "struct",
    "enum",
    "union",
    "pub",
    "crate",
    "super",
    "self",
    "Self",
    "where",
    "for",
    "dyn",
    "impl",
    "fn",
    "const",
    "shared",
    "handle",
    "weak",
    "flavor",
    "padded",
    "atomic",
    "mutex",
    "rename",
    "readonly",
    "doc",
    "derive",
    "F",
    "T",
    "N",
    "u64",
    "String",
    "Vec",
    "sharecell",
    "Flavor",
    "Account",
    "x",
    "_",
    "new",
    "snapshot",
];

const PUNCTS: &[char] = &[
    '#', '!', ',', ';', ':', '<', '>', '=', '&', '\'', '-', '+', '*', '?', '@', '.', '~', '$', '|',
    '^', '%', '/',
];

const STRINGS: &[&str] = &["", "F", "two words", "::sharecell", "r#type", "\0\""];

pub(super) fn random_stream(rng: &mut Rng, depth: u32) -> TokenStream {
    (0..rng.below(10))
        .map(|_| random_tree(rng, depth))
        .collect()
}

fn random_tree(rng: &mut Rng, depth: u32) -> TokenTree {
    match rng.below(10) {
        0..=3 => random_ident(rng).into(),
        4..=6 => {
            let spacing = if rng.chance(40) {
                Spacing::Joint
            } else {
                Spacing::Alone
            };
            Punct::new(rng.pick(PUNCTS), spacing).into()
        }
        7 => random_literal(rng).into(),
        _ if depth == 0 => random_ident(rng).into(),
        _ => {
            let delimiter = rng.pick(&[
                Delimiter::Parenthesis,
                Delimiter::Brace,
                Delimiter::Bracket,
                Delimiter::None,
            ]);
            Group::new(delimiter, random_stream(rng, depth - 1)).into()
        }
    }
}

fn random_ident(rng: &mut Rng) -> Ident {
    let name = rng.pick(IDENTS);
    let raw_ok = !["crate", "super", "self", "Self", "_"].contains(&name);
    if raw_ok && rng.chance(5) {
        Ident::new_raw(name, Span::call_site())
    } else {
        Ident::new(name, Span::call_site())
    }
}

fn random_literal(rng: &mut Rng) -> Literal {
    match rng.below(7) {
        0 => Literal::u64_suffixed(rng.next_u64()),
        1 => Literal::i32_unsuffixed(rng.below(100) as i32 - 50),
        2 => Literal::string(rng.pick(STRINGS)),
        3 => Literal::character(rng.pick(&['a', '\'', '\n'])),
        4 => Literal::f64_unsuffixed(1.5),
        5 => Literal::byte_string(b"bytes"),
        _ => Literal::usize_unsuffixed(rng.below(10)),
    }
}

/// Random tokens put where the derive looks hardest: in the attribute, the generics, a field.
pub(super) fn in_skeleton(rng: &mut Rng) -> TokenStream {
    let junk = random_stream(rng, 2).to_string();
    let text = match rng.below(5) {
        0 => format!("#[shared({junk})] struct S {{ a: u8 }}"),
        1 => format!("struct S<{junk}> {{ a: u8 }}"),
        2 => format!("struct S {{ a: {junk} }}"),
        3 => format!("struct S {{ #[shared({junk})] a: u8 }}"),
        _ => format!("struct S {{ {junk} }}"),
    };
    // Printing and re-lexing can fail (an unbalanced `'`); then the raw tokens are used alone.
    text.parse().unwrap_or_else(|_| random_stream(rng, 2))
}

/// `tokens` with one token tree, at any depth, replaced, removed, or wrapped in an invisible
/// group.
pub(super) fn mutate(rng: &mut Rng, tokens: TokenStream) -> TokenStream {
    let mut trees: Vec<TokenTree> = tokens.into_iter().collect();
    if trees.is_empty() {
        return random_stream(rng, 1);
    }
    let i = rng.below(trees.len());
    match (rng.below(4), &trees[i]) {
        (0, TokenTree::Group(g)) => {
            let mut inner = Group::new(g.delimiter(), mutate(rng, g.stream()));
            inner.set_span(g.span());
            trees[i] = inner.into();
        }
        (1, _) => trees[i] = random_tree(rng, 1),
        (2, _) => {
            let _ = trees.remove(i);
        }
        _ => {
            let tree = trees[i].clone();
            trees[i] = Group::new(Delimiter::None, tree.into()).into();
        }
    }
    trees.into_iter().collect()
}
