//! `#[shared(no_new)]`: the derive writes no `new`, `new_local` or `new_sync`, so a handle can
//! have constructors of its own under those names (as a port of `Rc<RefCell>` code keeps its
//! `Node::new(data)`); `From<Data>` stays. Each constructor below would be E0592 without it.

use std::thread;

use sharecell::{Flavor, Handle, LocalFlavor, Shared, SyncFlavor};

/// Made from two numbers, in the default flavour.
#[derive(Shared)]
#[shared(no_new)]
struct Point {
    x: u32,
    y: u32,
}

impl PointHandle {
    fn new(x: u32, y: u32) -> Self {
        Self::from(Point { x, y })
    }
}

/// Constructors of its own for every flavour, named like the derive's.
#[derive(Shared)]
#[shared(no_new)]
struct Pair {
    left: u32,
    right: String,
}

impl<F: Flavor> PairHandle<F> {
    fn new(left: u32, right: &str) -> Self {
        Self::from(Pair {
            left,
            right: right.to_owned(),
        })
    }
}

impl PairHandle<LocalFlavor> {
    fn new_local(left: u32) -> Self {
        Self::new(left, "local")
    }
}

impl PairHandle<SyncFlavor> {
    fn new_sync(left: u32) -> Self {
        Self::new(left, "sync")
    }
}

/// Without the derive's constructors, their names are free for accessors.
#[derive(Shared)]
#[shared(no_new)]
struct Versions {
    new_local: u32,
    new_sync: String,
}

#[test]
fn own_new_in_the_default_flavour() {
    let p = PointHandle::new(1, 2);
    p.x().set(3);
    let copy = p.clone();
    assert_eq!((copy.x().get(), copy.y().get()), (3, 2));
    assert_eq!(
        <<PointHandle as Handle>::Flavor as Flavor>::NAME,
        <sharecell::DefaultFlavor as Flavor>::NAME
    );
    let from = PointHandle::<LocalFlavor>::from(Point { x: 5, y: 6 });
    assert_eq!(from.x().get() + from.y().get(), 11);
}

#[test]
fn own_constructors_in_both_flavours() {
    let local = PairHandle::new_local(1);
    local.left().fetch_add(1);
    assert_eq!(local.left().get(), 2);
    assert_eq!(local.right().get_cloned(), "local");

    let shared = PairHandle::new_sync(10);
    let clone = shared.clone();
    thread::spawn(move || clone.right().write().push('!'))
        .join()
        .expect("no panic");
    assert_eq!(shared.right().get_cloned(), "sync!");

    let generic = PairHandle::<SyncFlavor>::new(7, "seven");
    assert_eq!(PairHandle::into_inner(generic).map(|p| p.left), Some(7));
}

#[test]
fn constructor_names_are_free_for_accessors() {
    let v = VersionsHandle::<SyncFlavor>::from(Versions {
        new_local: 1,
        new_sync: "1.0".to_owned(),
    });
    v.new_local().fetch_add(1);
    v.new_sync().set("2.0".to_owned());
    assert_eq!(
        (v.new_local().get(), v.new_sync().get_cloned()),
        (2, "2.0".to_owned())
    );
}
