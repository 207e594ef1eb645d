//! Generated code is not fooled by user items that shadow prelude and std names, nor by local
//! modules called `std`, `core`, `alloc` or `sharecell`.
#![allow(dead_code, non_camel_case_types, clippy::all)]

struct Option;
struct Some;
struct None;
struct Result;
struct Ok;
struct Err;
struct Box;
struct Vec;
struct String;
struct Rc;
struct Arc;
struct Weak;
struct Cell;
struct RefCell;
struct Mutex;
struct RwLock;
trait Clone {}
trait Default {}
trait Debug {}
trait Send {}
trait Sync {}
trait Copy {}
trait Fn {}
trait FnMut {}
trait FnOnce {}
trait From {}
trait Into {}
trait Drop {}
trait Sized {}
trait Handle {}
trait Flavor {}
trait Field {}
struct Atom;
struct Local;
struct DefaultFlavor;
struct WeakHandle;
/// A method every type has, through a trait in scope: the generated `Debug` must not call it.
trait Field_ {
    fn field(self) -> u8;
    fn __field(&self) -> u8;
}
impl<T> Field_ for T {
    fn field(self) -> u8 {
        0
    }
    fn __field(&self) -> u8 {
        0
    }
}
mod std {}
mod core {}
mod alloc {}
mod sharecell {}

#[derive(::sharecell::Shared)]
pub struct Account {
    pub id: u64,
    pub owner: ::std::string::String,
    #[shared(mutex)]
    pub log: ::std::vec::Vec<::std::string::String>,
    #[shared(readonly)]
    pub opened: u64,
}

#[derive(::sharecell::Shared)]
#[shared(handle = Node, flavor = F)]
pub struct NodeData<T: 'static, F: ::sharecell::Flavor = ::sharecell::DefaultFlavor> {
    pub value: T,
    pub adjacent: ::std::vec::Vec<Node<T, F>>,
}

#[test]
fn shadowed_names_do_not_leak_into_generated_code() {
    let a = AccountHandle::new_sync(Account {
        id: 1,
        owner: "ada".into(),
        log: ::std::vec::Vec::new(),
        opened: 2,
    });
    let b = ::std::clone::Clone::clone(&a);
    b.log().lock().push("x".into());
    assert_eq!(::sharecell::Shared::snapshot(&a).log.len(), 1);
    assert_eq!(
        ::std::format!("{a:?}"),
        r#"AccountHandle { id: 1, owner: "ada", log: ["x"], opened: 2 }"#
    );
    let n = Node::<u8, ::sharecell::LocalFlavor>::new_local(NodeData {
        value: 3,
        adjacent: ::std::vec::Vec::new(),
    });
    assert_eq!(n.value().get_cloned(), 3);
}
