//! What the derive infers for the handle's impls is decided from the fields' types, never from a
//! type's name: a field type called `...Handle` is a type like any other. `#[shared(bound =
//! "...")]` replaces the inferred bounds. The `Rc`-style functions come from the `Shared` trait,
//! so fields may be named like them.

use std::fmt;

use sharecell::{Flavor, LocalFlavor, Shared, SyncFlavor};

/// A user's own handle type that is not `Debug` (and not `Clone`).
struct ConnHandle {
    fd: i32,
}

#[derive(Shared)]
struct Pool {
    size: u32,
    conn: ConnHandle,
}

#[test]
fn a_field_type_named_like_a_handle_that_is_not_debug_derives() {
    let pool = PoolHandle::<LocalFlavor>::new_local(Pool {
        size: 2,
        conn: ConnHandle { fd: 7 },
    });
    pool.size().set(3);
    assert_eq!(pool.conn().read().fd, 7);
    pool.conn().write().fd = 8;
    // The handle still prints; the field that cannot says so.
    assert_eq!(
        format!("{pool:?}"),
        "PoolHandle { size: 3, conn: <not Debug> }"
    );
    let data = PoolHandle::into_inner(pool).expect("the only handle");
    assert_eq!((data.size, data.conn.fd), (3, 8));
}

/// A user's own `Debug` type named like a handle.
#[derive(Debug, Clone, Copy, PartialEq)]
struct FileHandle(u32);

#[derive(Shared)]
struct Open {
    file: FileHandle,
}

#[test]
fn a_debug_field_type_named_like_a_handle_prints_as_itself() {
    let open = OpenHandle::new_sync(Open {
        file: FileHandle(9),
    });
    assert_eq!(format!("{open:?}"), "OpenHandle { file: FileHandle(9) }");
    assert_eq!(OpenHandle::snapshot(&open).file, FileHandle(9));
}

/// Not `Debug`: `bound` says the handle's `Debug` needs nothing of `T`.
struct Opaque(u8);

#[derive(Shared)]
#[shared(bound = "")]
struct Boxed<T: 'static> {
    label: String,
    value: T,
}

/// `bound` replaces the inferred `T: Debug` (and `Clone`) with the user's.
#[derive(Shared)]
#[shared(bound = "T: Clone + fmt::Display")]
struct Shown<T: 'static> {
    value: T,
}

#[test]
fn bound_replaces_the_inferred_bounds() {
    // With no bounds at all, `Debug` exists for any `T` and prints what it cannot as such.
    let b = BoxedHandle::<Opaque, LocalFlavor>::new_local(Boxed {
        label: "x".into(),
        value: Opaque(1),
    });
    assert_eq!(
        format!("{b:?}"),
        r#"BoxedHandle { label: "x", value: <not Debug> }"#
    );
    assert_eq!(b.value().read().0, 1);

    // `T: Clone + Display` instead of `T: Debug`: `Debug` and `snapshot` for a `T` that is
    // `Display` but not `Debug`.
    struct Celsius(i32);
    impl Clone for Celsius {
        fn clone(&self) -> Self {
            Celsius(self.0)
        }
    }
    impl fmt::Display for Celsius {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "{} °C", self.0)
        }
    }
    let s = ShownHandle::new_sync(Shown { value: Celsius(21) });
    assert_eq!(format!("{s:?}"), "ShownHandle { value: <not Debug> }");
    assert_eq!(ShownHandle::snapshot(&s).value.to_string(), "21 °C");
}

/// Without `bound`: `T: Debug` for the handle's `Debug`, by serde's rule (the parameters the
/// fields mention), so a `T` that is `Debug` prints.
#[derive(Shared)]
struct Cell<T: 'static> {
    value: T,
    count: u32,
}

fn debug_of<T: fmt::Debug>(t: &T) -> String {
    format!("{t:?}")
}

/// `T` only in a `PhantomData` (of a function type, the usual variance marker): no `T: Debug`.
#[derive(Shared)]
struct Typed<T: 'static> {
    id: u32,
    #[shared(readonly)]
    marker: std::marker::PhantomData<fn() -> T>,
}

#[test]
fn a_parameter_only_in_phantom_data_needs_no_debug() {
    let t = TypedHandle::<Opaque, LocalFlavor>::new_local(Typed {
        id: 4,
        marker: std::marker::PhantomData,
    });
    assert_eq!(
        debug_of(&t),
        "TypedHandle { id: 4, marker: PhantomData<fn() -> bounds::Opaque> }"
    );
}

#[test]
fn a_generic_field_is_bounded_by_its_parameter() {
    let c = CellHandle::new_local(Cell {
        value: vec![1, 2],
        count: 1,
    });
    assert_eq!(debug_of(&c), "CellHandle { value: [1, 2], count: 1 }");
}

// ---- the recursive cases: a handle inside its own fields, directly or through another ----

/// Not `Debug`.
struct Label(&'static str);

#[derive(Shared)]
struct Tagged {
    id: u32,
    edges: Vec<(TaggedHandle, Label)>,
}

#[derive(Shared)]
struct Block {
    stmts: Vec<StmtHandle>,
}

#[derive(Shared)]
struct Stmt {
    text: String,
    nested: Option<BlockHandle>,
}

#[derive(Shared)]
#[shared(handle = Tree, flavor = F)]
struct TreeData<T: 'static, F: Flavor> {
    value: T,
    children: Vec<Tree<T, F>>,
    parent: Option<sharecell::WeakHandle<Tree<T, F>>>,
}

#[test]
fn recursive_handles_derive_and_print() {
    // The default flavour throughout: the fields name `TaggedHandle`, `StmtHandle` and
    // `BlockHandle` without one.
    let leaf = TaggedHandle::new(Tagged {
        id: 2,
        edges: vec![],
    });
    let t = TaggedHandle::new(Tagged {
        id: 1,
        edges: vec![(leaf, Label("to"))],
    });
    assert_eq!(t.edges().read()[0].1 .0, "to");
    assert_eq!(
        format!("{t:?}"),
        "TaggedHandle { id: 1, edges: <not Debug> }",
        "a `Label` is not `Debug`, so neither is the tuple"
    );

    let inner = BlockHandle::new(Block { stmts: vec![] });
    let stmt = StmtHandle::new(Stmt {
        text: "if".into(),
        nested: Some(inner),
    });
    let block = BlockHandle::new(Block { stmts: vec![stmt] });
    assert_eq!(
        format!("{block:?}"),
        r#"BlockHandle { stmts: [StmtHandle { text: "if", nested: Some(BlockHandle { stmts: [] }) }] }"#
    );
    assert_eq!(BlockHandle::snapshot(&block).stmts.len(), 1);

    let root = Tree::<u8, SyncFlavor>::new_sync(TreeData {
        value: 1,
        children: vec![],
        parent: None,
    });
    let child = Tree::<u8, SyncFlavor>::new_sync(TreeData {
        value: 2,
        children: vec![],
        parent: Some(Tree::downgrade(&root)),
    });
    root.children().write().push(child);
    assert_eq!(
        format!("{root:?}"),
        "Tree { value: 1, children: [Tree { value: 2, children: [], parent: Some((Weak)) }], parent: None }"
    );
}

// ---- the `Rc`-style functions come from the trait; fields may be named like them ----

#[derive(Shared)]
struct Backup {
    #[shared(mutex)]
    snapshot: Vec<u8>,
    downgrade: bool,
    into_inner: u8,
    strong_count: u32,
}

#[test]
fn fields_named_like_the_trait_functions_shadow_them() {
    let b = BackupHandle::new(Backup {
        snapshot: vec![1],
        downgrade: false,
        into_inner: 3,
        strong_count: 4,
    });
    // The accessors...
    b.snapshot().lock().push(2);
    b.downgrade().set(true);
    assert_eq!(b.into_inner().get(), 3);
    assert_eq!(
        BackupHandle::strong_count(&b).get(),
        4,
        "the accessor, as a path"
    );
    // ...and the trait's functions, through the trait.
    assert_eq!(<BackupHandle as Shared>::strong_count(&b), 1);
    let weak = Shared::downgrade(&b);
    let copy = Shared::snapshot(&b);
    assert_eq!((copy.snapshot, copy.downgrade), (vec![1, 2], true));
    assert!(weak.upgrade().is_some());
    let data = Shared::into_inner(b).expect("the only handle");
    assert_eq!(data.strong_count, 4);
}

// ---- the flavour parameter may be bounded by a trait of the user's ----

/// A user's trait over flavours, with `Flavor` as a supertrait.
trait Backend: Flavor {
    const LABEL: &'static str;
}
impl Backend for LocalFlavor {
    const LABEL: &'static str = "local";
}
// The constructors are written for both flavours (`new_local`, `new_sync`), so both implement
// the struct's bound.
impl Backend for SyncFlavor {
    const LABEL: &'static str = "sync";
}

#[derive(Shared)]
#[shared(handle = Job, flavor = B)]
struct JobData<B: Backend> {
    id: u32,
    next: Option<Job<B>>,
}

fn label<B: Backend>(_: &Job<B>) -> &'static str {
    B::LABEL
}

#[test]
fn a_flavour_bounded_by_a_subtrait_of_flavor() {
    let job = Job::<LocalFlavor>::new_local(JobData { id: 1, next: None });
    assert_eq!(label(&job), "local");
    assert_eq!(format!("{job:?}"), "Job { id: 1, next: None }");
}
