//! Token-stream utilities of the generators: respanning, substituting an identifier, nesting
//! tuples.

use proc_macro2::{Group, Ident, Span, TokenStream, TokenTree};
use quote::quote;

/// `tokens` with every span set to `span`.
pub(crate) fn respan(tokens: TokenStream, span: Span) -> TokenStream {
    tokens
        .into_iter()
        .map(|mut tt| {
            if let TokenTree::Group(g) = &tt {
                let mut group = Group::new(g.delimiter(), respan(g.stream(), span));
                group.set_span(span);
                tt = TokenTree::Group(group);
            }
            tt.set_span(span);
            tt
        })
        .collect()
}

/// Replaces every identifier `from` in `tokens` with `to`: turns the generic flavour into a
/// concrete one, also inside the user's own bounds when the flavour is the struct's parameter.
pub(crate) fn substitute(tokens: TokenStream, from: &Ident, to: &TokenStream) -> TokenStream {
    tokens
        .into_iter()
        .flat_map(|tt| match tt {
            TokenTree::Ident(i) if i == *from => to.clone(),
            TokenTree::Group(g) => {
                let mut group = Group::new(g.delimiter(), substitute(g.stream(), from, to));
                group.set_span(g.span());
                TokenTree::Group(group).into()
            }
            other => other.into(),
        })
        .collect()
}

/// `items` as a tuple, or tuples of at most 12 (the runtime's `Cells` impls) nested as deep as
/// needed: `(a, b)`, or `((a, .., l), (m, ..))` for more than 12.
pub(crate) fn nest(mut items: Vec<TokenStream>) -> TokenStream {
    const MAX: usize = 12;
    while items.len() > MAX {
        items = items
            .chunks(MAX)
            .map(|chunk| quote!((#(#chunk,)*)))
            .collect();
    }
    quote!((#(#items,)*))
}
