//! Generated code adds no warning under strict rustc and clippy lints (clippy runs in CI with
//! `--all-targets -D warnings`, so the clippy lints below are checked there).
#![deny(
    warnings,
    missing_docs,
    missing_debug_implementations,
    unreachable_pub,
    unused_qualifications,
    unused_results,
    rust_2018_idioms,
    single_use_lifetimes,
    trivial_casts,
    trivial_numeric_casts,
    unused_lifetimes,
    unused_import_braces,
    clippy::all,
    clippy::pedantic
)]

use sharecell::Shared;

/// A public account.
#[derive(Shared, Debug, Clone, Default)]
pub struct Account {
    /// Identifier.
    pub id: u64,
    /// Owner.
    pub owner: String,
    /// Audit log.
    #[shared(mutex)]
    pub log: Vec<String>,
    /// When the account was opened.
    #[shared(readonly)]
    pub opened: u64,
    #[shared(rename = secret_note)]
    note: String,
    /// A padded counter.
    #[shared(padded)]
    pub hits: u64,
}

/// A generic, borrowing record.
#[derive(Shared, Debug)]
pub struct Record<'a, T: 'static, const N: usize>
where
    T: Clone,
{
    /// Borrowed name.
    #[shared(readonly)]
    pub name: &'a str,
    /// Values.
    pub values: [T; N],
}

/// A graph node.
#[derive(Shared, Debug)]
#[shared(handle = Node, weak = WeakNode, flavor = F)]
pub struct NodeData<F: sharecell::Flavor = sharecell::DefaultFlavor> {
    /// Value.
    pub value: i64,
    /// Edges.
    pub adjacent: Vec<Node<F>>,
    /// Back edge.
    pub parent: Option<WeakNode<F>>,
}

#[test]
fn strict_lints_stay_quiet() {
    let a = AccountHandle::new_local(Account::default());
    let _ = a.id().fetch_add(1);
    assert_eq!(a.secret_note().get_cloned(), "");
    let r = RecordHandle::new_sync(Record {
        name: "r",
        values: [1_u8; 3],
    });
    assert_eq!(**r.name(), *"r");
    let n = Node::new_local(NodeData {
        value: 1,
        adjacent: Vec::new(),
        parent: None,
    });
    assert_eq!(n.value().get(), 1);
    assert_eq!(
        format!("{n:?}"),
        "Node { value: 1, adjacent: [], parent: None }"
    );
}
