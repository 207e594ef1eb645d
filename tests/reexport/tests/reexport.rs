//! A crate that reaches the library only through another crate's re-export, as users of a
//! framework do: `#[shared(crate = ...)]` points the generated code at that path. This file
//! names the library only through `sharecell_reexport::deps::cells`.

use std::thread;

use sharecell_reexport::deps::cells::{self, Flavor, Handle};

/// An empty module with the library's name: generated code that reached the library through a
/// relative path instead of the `crate = ...` path would resolve here and fail to compile.
/// (A `::`-prefixed path to the library still resolves in this test crate, which depends on the
/// library directly as its own package.)
#[allow(dead_code)]
mod sharecell {}

#[derive(cells::Shared, Clone, Debug, Default, PartialEq)]
#[shared(crate = sharecell_reexport::deps::cells)]
struct Settings {
    retries: u32,
    name: String,
    #[shared(mutex)]
    history: Vec<u32>,
    #[shared(readonly)]
    version: u8,
}

/// The full path in the derive attribute as well, with a flavour parameter of the struct's own.
#[derive(sharecell_reexport::deps::cells::Shared)]
#[shared(crate = sharecell_reexport::deps::cells, handle = Link, flavor = F)]
struct LinkData<F: cells::Flavor = cells::DefaultFlavor> {
    id: u64,
    next: Option<Link<F>>,
}

fn settings() -> Settings {
    Settings {
        retries: 1,
        name: "svc".to_owned(),
        history: Vec::new(),
        version: 2,
    }
}

fn settings_everywhere<F: Flavor>() {
    let h = SettingsHandle::<F>::from(settings());
    let _: &cells::Atom<u32, F> = h.retries();
    let _: &cells::RwLock<String, F> = h.name();
    let _: &cells::Mutex<Vec<u32>, F> = h.history();
    h.retries().fetch_add(2);
    h.history().lock().push(3);
    h.name().write().push('!');
    assert_eq!(*h.version(), 2);
    let weak: WeakSettingsHandle<F> = SettingsHandle::downgrade(&h);
    assert!(weak.upgrade().is_some());
    let expected = Settings {
        retries: 3,
        name: "svc!".to_owned(),
        history: vec![3],
        version: 2,
    };
    assert_eq!(<SettingsHandle<F> as Handle>::snapshot(&h), expected);
    assert!(format!("{h:?}").starts_with("SettingsHandle {"));
    assert_eq!(SettingsHandle::into_inner(h), Some(expected));
    assert_eq!(
        SettingsHandle::<F>::default().retries().get(),
        Settings::default().retries
    );
}

fn links<F: Flavor>() {
    let tail = Link::<F>::from(LinkData { id: 2, next: None });
    let head = Link::from(LinkData {
        id: 1,
        next: Some(tail.clone()),
    });
    let next_id = head.next().with(|n| n.as_ref().map(|n| n.id().get()));
    assert_eq!(next_id, Some(2));
    assert_eq!(Link::strong_count(&tail), 2);
}

#[test]
fn local() {
    settings_everywhere::<cells::LocalFlavor>();
    links::<cells::LocalFlavor>();
    let h: SettingsHandle<cells::LocalFlavor> = SettingsHandle::new_local(settings());
    assert_eq!(h.retries().get(), 1);
}

#[test]
fn sync() {
    settings_everywhere::<cells::SyncFlavor>();
    links::<cells::SyncFlavor>();
    let h = SettingsHandle::new_sync(settings());
    let clone = h.clone();
    thread::spawn(move || clone.retries().fetch_add(1))
        .join()
        .expect("no panic");
    assert_eq!(h.retries().get(), 2);
}

#[test]
fn default_flavour() {
    let h: SettingsHandle = SettingsHandle::new(settings());
    assert_eq!(
        <<SettingsHandle as Handle>::Flavor as Flavor>::NAME,
        <cells::DefaultFlavor as Flavor>::NAME
    );
    assert_eq!(h.name().get_cloned(), "svc");
}
