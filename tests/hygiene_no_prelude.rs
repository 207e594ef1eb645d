//! Generated code names everything by absolute path: it compiles without the prelude.
#![no_implicit_prelude]
// Needed to name the crate at all without the prelude; rustc's `unused_extern_crates` disagrees.
#[allow(unused_extern_crates)]
extern crate sharecell;
extern crate std;

use sharecell::Shared;
use std::string::String;
use std::vec::Vec;

#[derive(Shared)]
pub struct Account<T: 'static> {
    pub id: u64,
    pub owner: String,
    #[shared(mutex)]
    pub log: Vec<String>,
    #[shared(readonly)]
    pub opened: u64,
    pub extra: std::option::Option<T>,
}

#[derive(Shared)]
#[shared(handle = Node, flavor = F)]
pub struct NodeData<F: sharecell::Flavor> {
    pub value: i32,
    pub adjacent: Vec<Node<F>>,
}

#[test]
fn works_without_the_prelude() {
    let a = AccountHandle::<u8, sharecell::LocalFlavor>::new_local(Account {
        id: 1,
        owner: String::new(),
        log: Vec::new(),
        opened: 2,
        extra: std::option::Option::None,
    });
    a.id().set(5);
    std::assert_eq!(AccountHandle::snapshot(&a).id, 5);
    let n = Node::new_sync(NodeData {
        value: 1,
        adjacent: Vec::new(),
    });
    std::assert_eq!(n.value().get(), 1);
}
