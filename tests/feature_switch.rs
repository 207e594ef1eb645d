//! The `sync` feature switches `DefaultFlavor`. Code that names a flavour always through the
//! default, or always explicitly, compiles in both builds: this file is compiled and run by
//! `cargo test` with and without `--features sync`.

use std::any::TypeId;

use sharecell::{
    Atom, DefaultFlavor, Flavor, Handle, LocalFlavor, Mutex, RwLock, Shared, SyncFlavor,
};

#[derive(Shared)]
struct Counter {
    hits: u64,
    names: Vec<String>,
}

fn counter() -> Counter {
    Counter {
        hits: 0,
        names: Vec::new(),
    }
}

#[test]
fn default_flavour_follows_the_feature() {
    let expected = if cfg!(feature = "sync") {
        "Sync"
    } else {
        "Local"
    };
    assert_eq!(DefaultFlavor::NAME, expected);
    let is_sync = TypeId::of::<DefaultFlavor>() == TypeId::of::<SyncFlavor>();
    let is_local = TypeId::of::<DefaultFlavor>() == TypeId::of::<LocalFlavor>();
    assert_eq!(is_sync, cfg!(feature = "sync"));
    assert_eq!(is_local, !cfg!(feature = "sync"));
    assert_eq!(
        <<CounterHandle as Handle>::Flavor as Flavor>::NAME,
        expected
    );
}

/// Always through the default: the type and the constructor agree in every build.
fn through_default(h: &CounterHandle) -> u64 {
    h.names().write().push("default".to_owned());
    h.hits().fetch_add(1) + 1
}

#[test]
fn code_through_the_default_compiles_in_both_builds() {
    let h: CounterHandle = CounterHandle::new(counter());
    let h2: CounterHandle = counter().into();
    let weak: WeakCounterHandle = CounterHandle::downgrade(&h);
    let empty: WeakCounterHandle = WeakCounterHandle::new();
    assert_eq!(through_default(&h), 1);
    assert_eq!(through_default(&h2), 1);
    assert!(weak.upgrade().is_some() && empty.upgrade().is_none());
    let atom: Atom<u32> = Atom::new(1);
    let lock: RwLock<u32> = RwLock::new(2);
    let mutex: Mutex<u32> = Mutex::new(3);
    assert_eq!(atom.get() + lock.get_cloned() + mutex.get_cloned(), 6);
}

/// Always explicit: `LocalFlavor` stays `LocalFlavor` and `SyncFlavor` stays `SyncFlavor` whatever the feature.
#[test]
fn explicit_code_compiles_in_both_builds() {
    let local: CounterHandle<LocalFlavor> = CounterHandle::new_local(counter());
    let sync: CounterHandle<SyncFlavor> = CounterHandle::new_sync(counter());
    let weak_local: WeakCounterHandle<LocalFlavor> = CounterHandle::downgrade(&local);
    let weak_sync: WeakCounterHandle<SyncFlavor> = CounterHandle::downgrade(&sync);
    local.hits().fetch_add(1);
    sync.hits().fetch_add(2);
    assert_eq!(weak_local.upgrade().map(|h| h.hits().get()), Some(1));
    assert_eq!(weak_sync.upgrade().map(|h| h.hits().get()), Some(2));
    let moved = std::thread::spawn(move || sync.hits().get()).join();
    assert_eq!(moved.ok(), Some(2));
    let atom: Atom<u32, LocalFlavor> = Atom::new(1);
    let lock: RwLock<u32, SyncFlavor> = RwLock::new(2);
    assert_eq!(atom.get() + lock.get_cloned(), 3);
}

/// Code generic over the flavour takes both, and the default.
fn bump<F: Flavor>(h: &CounterHandle<F>) -> u64 {
    h.hits().fetch_add(1) + 1
}

#[test]
fn generic_code_takes_every_flavour() {
    assert_eq!(bump(&CounterHandle::new(counter())), 1);
    assert_eq!(bump(&CounterHandle::new_local(counter())), 1);
    assert_eq!(bump(&CounterHandle::new_sync(counter())), 1);
}
