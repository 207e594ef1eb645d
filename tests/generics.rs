//! Every generics shape a struct can have: type parameters with bounds and defaults, lifetimes,
//! const parameters, `where` clauses, a parameter the user named `F`, `PhantomData`, and the
//! struct's own flavour parameter (`#[shared(flavor = F)]`).

#[macro_use]
mod common;

use std::fmt::Debug;
use std::marker::PhantomData;
use std::rc::Rc;
use std::thread;

use sharecell::{
    Atom, AtomicValue, DefaultFlavor, Flavor, Handle, LocalFlavor, RwLock, Shared, SyncFlavor,
};

fn assert_send_sync<T: Send + std::marker::Sync>() {}

/// Type parameters with bounds, in a `where` clause, and with a default.
#[derive(Shared, Clone, Debug, PartialEq)]
struct Tagged<T: Clone + Debug, U = String>
where
    T: PartialEq,
{
    tag: T,
    note: U,
    hits: u32,
}

fn type_params<F: Flavor>() {
    let h = TaggedHandle::<u8, String, F>::from(Tagged {
        tag: 1,
        note: "n".to_owned(),
        hits: 0,
    });
    h.tag().set(2);
    h.note().write().push('!');
    h.hits().fetch_add(1);
    let expected = Tagged {
        tag: 2,
        note: "n!".to_owned(),
        hits: 1,
    };
    assert_eq!(TaggedHandle::snapshot(&h), expected);
    assert_eq!(
        format!("{h:?}"),
        format!("{expected:?}").replacen("Tagged", "TaggedHandle", 1)
    );
}

#[test]
fn type_param_defaults() {
    // `U` defaults to `String` and the flavour to `DefaultFlavor`.
    let h: TaggedHandle<Vec<u8>> = TaggedHandle::new(Tagged {
        tag: vec![1],
        note: String::new(),
        hits: 0,
    });
    let _: &RwLock<String, DefaultFlavor> = h.note();
    let local: TaggedHandle<u8, u64, LocalFlavor> = TaggedHandle::new_local(Tagged {
        tag: 0,
        note: 5,
        hits: 0,
    });
    // A type parameter is never an `Atom` by default, even when it is a scalar.
    let _: &RwLock<u64, LocalFlavor> = local.note();
}

/// A generic scalar: `#[shared(atomic)]` with an `AtomicValue` bound.
#[derive(Shared)]
struct Gauge<T: AtomicValue> {
    #[shared(atomic)]
    level: T,
}

fn generic_atom<F: Flavor>() {
    let h = GaugeHandle::<f32, F>::from(Gauge { level: 1.5 });
    let level: &Atom<f32, F> = h.level();
    level.fetch_add(1.0);
    assert_eq!(GaugeHandle::into_inner(h).map(|g| g.level), Some(2.5));
    let h = GaugeHandle::<char, F>::from(Gauge { level: 'a' });
    h.level().set('b');
    assert_eq!(h.level().get(), 'b');
}

/// A lifetime: a borrowed `&str` both read-only and behind a lock.
#[derive(Shared)]
struct Borrowed<'a> {
    #[shared(readonly)]
    name: &'a str,
    current: &'a str,
}

fn lifetimes<F: Flavor>() {
    let words = String::from("alpha beta");
    let (first, second) = words.split_at(5);
    let h = BorrowedHandle::<'_, F>::from(Borrowed {
        name: first,
        current: first,
    });
    let name: &&str = h.name();
    assert_eq!(*name, "alpha");
    h.current().set(second.trim());
    assert_eq!(h.current().get_cloned(), "beta");
    let back = BorrowedHandle::into_inner(h).expect("the only handle");
    assert_eq!((back.name, back.current), ("alpha", "beta"));
}

/// A `SyncFlavor` handle that borrows local data goes to scoped threads.
#[test]
fn lifetimes_across_scoped_threads() {
    let text = String::from("one two");
    let h = BorrowedHandle::new_sync(Borrowed {
        name: &text,
        current: &text[..3],
    });
    thread::scope(|s| {
        s.spawn(|| h.current().set(&text[4..]));
    });
    assert_eq!(h.current().get_cloned(), "two");
    assert_eq!(*h.name(), "one two");
}

/// Const parameters, one with a default, mixed with a lifetime and a type parameter.
#[derive(Shared)]
struct Buffer<'a, T: Copy, const N: usize, const M: usize = 2> {
    bytes: [u8; N],
    pairs: [T; M],
    #[shared(readonly)]
    label: &'a str,
    len: usize,
}

fn const_params<F: Flavor>() {
    let h = BufferHandle::<'_, char, 4, 2, F>::from(Buffer {
        bytes: [0; 4],
        pairs: ['a', 'b'],
        label: "buf",
        len: 0,
    });
    h.bytes().with_mut(|b| b[1] = 9);
    h.pairs().write()[0] = 'z';
    h.len().set(1);
    let data = BufferHandle::into_inner(h).expect("the only handle");
    assert_eq!(data.bytes, [0, 9, 0, 0]);
    assert_eq!(data.pairs, ['z', 'b']);
    assert_eq!((data.label, data.len), ("buf", 1));
}

#[test]
fn const_param_default() {
    let h: BufferHandle<'static, u8, 3> = BufferHandle::new(Buffer {
        bytes: [1, 2, 3],
        pairs: [4, 5],
        label: "",
        len: 3,
    });
    assert_eq!(h.pairs().get_cloned(), [4, 5]);
}

/// Bounds only in a `where` clause, on a type that is not `Clone` unless `T` is.
#[derive(Shared)]
struct Ranked<T>
where
    T: Ord,
{
    best: T,
    #[shared(mutex)]
    all: Vec<T>,
}

fn where_clause<F: Flavor>() {
    let h = RankedHandle::<String, F>::from(Ranked {
        best: String::new(),
        all: Vec::new(),
    });
    for word in ["pear", "apple", "quince"] {
        h.all().lock().push(word.to_owned());
        h.best().with_mut(|best| {
            if best.as_str() < word {
                *best = word.to_owned();
            }
        });
    }
    assert_eq!(h.best().get_cloned(), "quince");
    assert_eq!(h.all().lock().len(), 3);
    // Clone of the handle needs no `T: Clone`.
    let c = h.clone();
    assert!(RankedHandle::ptr_eq(&h, &c));
}

/// The user's own parameter is called `F`; the derive picks another name for the flavour.
#[derive(Shared)]
struct Applied<F: Fn(u32) -> u32> {
    #[shared(readonly)]
    f: F,
    last: u32,
}

fn param_named_f<Fl: Flavor>() {
    let h = AppliedHandle::<_, Fl>::from(Applied {
        f: |x| x * 2,
        last: 0,
    });
    let value = (h.f())(21);
    h.last().set(value);
    assert_eq!(h.last().get(), 42);
    assert_eq!(
        <<AppliedHandle<fn(u32) -> u32, Fl> as Handle>::Flavor as Flavor>::NAME,
        Fl::NAME
    );
}

#[test]
fn param_named_f_with_default_flavour() {
    let h: AppliedHandle<fn(u32) -> u32> = AppliedHandle::new(Applied {
        f: |x| x + 1,
        last: 1,
    });
    assert_eq!((h.f())(h.last().get()), 2);
}

/// Both names the derive would try first are taken.
#[derive(Shared)]
struct Crowded<F, __F> {
    first: F,
    second: __F,
}

fn params_named_like_the_flavour<Fl: Flavor>() {
    let h = CrowdedHandle::<u8, String, Fl>::from(Crowded {
        first: 1,
        second: "two".to_owned(),
    });
    let first: &RwLock<u8, Fl> = h.first();
    assert_eq!(first.get_cloned(), 1);
    assert_eq!(h.second().get_cloned(), "two");
}

/// `PhantomData` fields, with a marker type that is neither `Send` nor `Sync`.
#[derive(Shared)]
struct Typed<T> {
    id: u64,
    #[shared(readonly)]
    marker: PhantomData<fn() -> T>,
}

fn phantom_data<F: Flavor>() {
    let h = TypedHandle::<Rc<u8>, F>::from(Typed {
        id: 7,
        marker: PhantomData,
    });
    let _: &PhantomData<fn() -> Rc<u8>> = h.marker();
    assert_eq!(h.id().fetch_add(1), 7);
}

#[test]
fn phantom_data_keeps_sync_handle_thread_safe() {
    assert_send_sync::<TypedHandle<Rc<u8>, SyncFlavor>>();
    let h = TypedHandle::<Rc<u8>, SyncFlavor>::new_sync(Typed {
        id: 0,
        marker: PhantomData,
    });
    thread::scope(|s| {
        s.spawn(|| h.id().fetch_add(1));
    });
    assert_eq!(h.id().get(), 1);
}

/// The struct's own flavour parameter, with its bound in a `where` clause; the struct names
/// its own handle (a tree with weak parent links).
#[derive(Shared)]
#[shared(handle = Tree, flavor = Fl)]
struct TreeData<T, Fl = DefaultFlavor>
where
    Fl: Flavor,
{
    value: T,
    parent: WeakTree<T, Fl>,
    children: Vec<Tree<T, Fl>>,
}

fn own_flavor_param<F: Flavor>() {
    let root = Tree::<&str, F>::from(TreeData {
        value: "root",
        parent: WeakTree::new(),
        children: Vec::new(),
    });
    let leaf = Tree::from(TreeData {
        value: "leaf",
        parent: Tree::downgrade(&root),
        children: Vec::new(),
    });
    root.children().write().push(leaf.clone());
    let parent = leaf.parent().read().upgrade().expect("the root is alive");
    assert!(Tree::ptr_eq(&parent, &root));
    assert_eq!(parent.value().get_cloned(), "root");
    assert_eq!(Tree::weak_count(&root), 1);
    assert_eq!(Tree::strong_count(&leaf), 2);
    drop((parent, root));
    assert!(leaf.parent().read().upgrade().is_none());
    assert_eq!(Tree::strong_count(&leaf), 1);
}

#[test]
fn own_flavor_param_constructors() {
    let local: Tree<u8, LocalFlavor> = Tree::new_local(TreeData {
        value: 1,
        parent: WeakTree::new(),
        children: Vec::new(),
    });
    let sync: Tree<u8, SyncFlavor> = Tree::new_sync(TreeData {
        value: 1,
        parent: WeakTree::new(),
        children: Vec::new(),
    });
    let default: Tree<u8> = Tree::new(TreeData {
        value: 1,
        parent: WeakTree::new(),
        children: Vec::new(),
    });
    assert_eq!(
        local.value().get_cloned() + sync.value().get_cloned() + default.value().get_cloned(),
        3
    );
    assert_send_sync::<Tree<u8, SyncFlavor>>();
}

for_both_flavors!(
    type_params,
    generic_atom,
    lifetimes,
    const_params,
    where_clause,
    param_named_f,
    params_named_like_the_flavour,
    phantom_data,
    own_flavor_param,
);
