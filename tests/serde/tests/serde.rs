//! The feature `serde`: a handle is written and read exactly as its data struct, serde
//! attributes included; serializing never panics, never waits for this thread's own guards and
//! never recurses forever; every cell serializes as its value.

// The facade's test helpers (`for_both_flavors!`), shared with this package's tests.
#[macro_use]
#[path = "../../common/mod.rs"]
mod common;

use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use sharecell::{
    lock_all, Atom, DefaultFlavor, Flavor, Handle, LocalFlavor, Mutex, Once, RwLock, Shared, Swap,
    SyncFlavor,
};

for_both_flavors!(
    writes_what_the_data_struct_writes,
    reads_back_into_a_handle,
    every_storage_kind_round_trips,
    recursive_types_need_no_bounds,
    a_cycle_is_an_error,
    weak_links_are_skipped_and_restored,
    a_read_guard_of_this_thread_does_not_stop_it,
);

/// A struct with serde attributes on the container and on fields.
#[derive(Shared, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
struct Account {
    account_id: u64,
    #[serde(rename = "holder")]
    owner_name: String,
    #[shared(mutex)]
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    audit_log: Vec<String>,
    #[serde(skip)]
    cache_hits: u32,
    #[shared(readonly)]
    opened: u64,
}

fn account() -> Account {
    Account {
        account_id: 7,
        owner_name: "ada".to_owned(),
        audit_log: vec!["opened".to_owned()],
        cache_hits: 3,
        opened: 20_240_101,
    }
}

fn writes_what_the_data_struct_writes<F: Flavor>() {
    let data = account();
    let handle = AccountHandle::<F>::from(data.clone());
    let written = serde_json::to_string(&handle).unwrap();
    assert_eq!(written, serde_json::to_string(&data).unwrap());
    assert_eq!(
        written,
        r#"{"accountId":7,"holder":"ada","auditLog":["opened"],"opened":20240101}"#
    );

    // Later changes show, and `skip_serializing_if` sees the current value.
    handle.owner_name().set("grace".to_owned());
    handle.audit_log().lock().clear();
    assert_eq!(
        serde_json::to_string(&handle).unwrap(),
        r#"{"accountId":7,"holder":"grace","opened":20240101}"#
    );
    // A pretty-printing serializer gets the same structure.
    assert_eq!(
        serde_json::to_value(&handle).unwrap(),
        serde_json::to_value(Handle::snapshot(&handle)).unwrap()
    );
}

fn reads_back_into_a_handle<F: Flavor>() {
    let json = r#"{"accountId":9,"holder":"lin","opened":5}"#;
    let handle: AccountHandle<F> = serde_json::from_str(json).unwrap();
    assert_eq!(handle.account_id().get(), 9);
    assert_eq!(handle.owner_name().get_cloned(), "lin");
    assert!(handle.audit_log().get_cloned().is_empty(), "`default`");
    assert_eq!(handle.cache_hits().get(), 0, "`skip`: the default");
    assert_eq!(*handle.opened(), 5);
    assert_eq!(AccountHandle::strong_count(&handle), 1, "a new handle");

    // Round trip.
    let again: AccountHandle<F> =
        serde_json::from_str(&serde_json::to_string(&handle).unwrap()).unwrap();
    assert_eq!(
        AccountHandle::snapshot(&again),
        AccountHandle::snapshot(&handle)
    );

    // The data struct's own errors come through.
    let err = serde_json::from_str::<AccountHandle<F>>(r#"{"accountId":"x"}"#).unwrap_err();
    assert!(err.to_string().contains("invalid type"), "{err}");
}

#[derive(Shared, Serialize, Deserialize, Clone, Debug, PartialEq)]
struct Kinds {
    count: i32,
    ratio: f64,
    name: String,
    #[shared(mutex)]
    queue: Vec<u8>,
    #[shared(readonly)]
    id: u16,
    #[shared(swap)]
    config: Vec<String>,
    #[shared(once)]
    token: Option<String>,
    #[shared(padded)]
    hot: u64,
}

fn every_storage_kind_round_trips<F: Flavor>() {
    let data = Kinds {
        count: -3,
        ratio: 0.5,
        name: "n".to_owned(),
        queue: vec![1, 2],
        id: 4,
        config: vec!["a".to_owned()],
        token: None,
        hot: 11,
    };
    let handle = KindsHandle::<F>::from(data.clone());
    assert_eq!(
        serde_json::to_string(&handle).unwrap(),
        serde_json::to_string(&data).unwrap()
    );
    handle.token().set("t".to_owned()).unwrap();
    handle.config().store(vec!["b".to_owned()]);
    let json = serde_json::to_string(&handle).unwrap();
    assert!(json.contains(r#""token":"t""#), "{json}");
    assert!(json.contains(r#""config":["b"]"#), "{json}");

    let back: KindsHandle<F> = serde_json::from_str(&json).unwrap();
    assert_eq!(back.token().get().map(String::as_str), Some("t"));
    assert_eq!(*back.config().load(), ["b"]);
    assert_eq!(back.hot().get(), 11);
    assert_eq!(back.queue().get_cloned(), [1, 2]);
}

/// A linked structure: the derive's `flavor = F` names the flavour, serde's derive adds
/// `F: Serialize`, which the flavour markers meet, so nobody writes a bound.
#[derive(Shared, Serialize, Deserialize)]
#[shared(handle = List, flavor = F)]
struct ListData<F: Flavor = DefaultFlavor> {
    value: u32,
    next: Option<List<F>>,
    children: Vec<List<F>>,
}

fn list<F: Flavor>(value: u32, next: Option<List<F>>) -> List<F> {
    List::from(ListData {
        value,
        next,
        children: Vec::new(),
    })
}

fn recursive_types_need_no_bounds<F: Flavor + DeserializeOwned>() {
    let tail = list::<F>(3, None);
    let head = list(1, Some(list(2, Some(tail.clone()))));
    head.children().write().push(list(9, None));
    let json = serde_json::to_string(&head).unwrap();
    assert_eq!(
        json,
        r#"{"value":1,"next":{"value":2,"next":{"value":3,"next":null,"children":[]},"children":[]},"children":[{"value":9,"next":null,"children":[]}]}"#
    );

    let back: List<F> = serde_json::from_str(&json).unwrap();
    let second = back.next().get_cloned().unwrap();
    let third = second.next().get_cloned().unwrap();
    assert_eq!(
        (
            back.value().get(),
            second.value().get(),
            third.value().get()
        ),
        (1, 2, 3)
    );
    assert_eq!(back.children().read()[0].value().get(), 9);
    // Reading makes new values: nothing is shared with the handles written.
    assert!(!List::ptr_eq(&third, &tail));
}

fn a_cycle_is_an_error<F: Flavor>() {
    let a = list::<F>(1, None);
    let b = list(2, Some(a.clone()));
    a.next().set(Some(b.clone()));
    let err = serde_json::to_string(&a).unwrap_err().to_string();
    assert!(
        err.starts_with("cannot serialize `List`: it contains itself (a cycle of handles)"),
        "{err}"
    );

    // A handle may appear twice without a cycle: it is written twice.
    let shared = list::<F>(5, None);
    let twice = list(0, None);
    twice.children().set(vec![shared.clone(), shared.clone()]);
    assert_eq!(
        serde_json::to_string(&twice).unwrap(),
        r#"{"value":0,"next":null,"children":[{"value":5,"next":null,"children":[]},{"value":5,"next":null,"children":[]}]}"#
    );

    // After the error, the same thread serializes normally (nothing left behind).
    a.next().set(None);
    assert!(serde_json::to_string(&b).is_ok());
    b.next().set(None); // let the handles go
}

/// A tree whose links to the parent are weak: serde writes trees, so the back link is skipped
/// and restored after reading.
#[derive(Shared, Serialize, Deserialize)]
#[shared(handle = Dir, flavor = F)]
struct DirData<F: Flavor = DefaultFlavor> {
    name: String,
    #[serde(skip)]
    parent: Option<WeakDir<F>>,
    entries: Vec<Dir<F>>,
}

fn restore_parents<F: Flavor>(dir: &Dir<F>) {
    for entry in dir.entries().read().iter() {
        entry.parent().set(Some(Dir::downgrade(dir)));
        restore_parents(entry);
    }
}

fn weak_links_are_skipped_and_restored<F: Flavor + DeserializeOwned>() {
    let root = Dir::<F>::from(DirData {
        name: "/".to_owned(),
        parent: None,
        entries: Vec::new(),
    });
    let etc = Dir::from(DirData {
        name: "etc".to_owned(),
        parent: Some(Dir::downgrade(&root)),
        entries: Vec::new(),
    });
    root.entries().write().push(etc);
    let json = serde_json::to_string(&root).unwrap();
    assert_eq!(
        json,
        r#"{"name":"/","entries":[{"name":"etc","entries":[]}]}"#
    );

    let back: Dir<F> = serde_json::from_str(&json).unwrap();
    restore_parents(&back);
    let etc = back.entries().read()[0].clone();
    let parent = etc.parent().get_cloned().unwrap().upgrade().unwrap();
    assert!(Dir::ptr_eq(&parent, &back));
}

fn a_read_guard_of_this_thread_does_not_stop_it<F: Flavor>() {
    let handle = AccountHandle::<F>::from(account());
    let reading = handle.owner_name().read();
    assert!(serde_json::to_string(&handle).is_ok());
    drop(reading);
}

// ---- Guards in the way ----

#[test]
fn local_a_live_write_guard_is_an_error_naming_the_field() {
    let handle = AccountHandle::<LocalFlavor>::from(account());
    let writing = handle.owner_name().write();
    let err = serde_json::to_string(&handle).unwrap_err().to_string();
    assert_eq!(
        err,
        "cannot serialize field `owner_name` of `AccountHandle`: cannot read: the value is \
         locked for writing by a guard that is still alive"
    );
    drop(writing);

    let locked = handle.audit_log().lock();
    let err = serde_json::to_string(&handle).unwrap_err().to_string();
    assert!(
        err.starts_with("cannot serialize field `audit_log` of `AccountHandle`: cannot lock"),
        "{err}"
    );
    drop(locked);
    assert!(serde_json::to_string(&handle).is_ok());
}

/// The bookkeeping of this thread's guards exists in debug builds only (release builds wait,
/// as std's lock does).
#[cfg(debug_assertions)]
#[test]
fn sync_a_guard_of_this_thread_is_an_error_naming_the_field() {
    let handle = AccountHandle::<SyncFlavor>::from(account());
    let locked = handle.audit_log().lock();
    let err = serde_json::to_string(&handle).unwrap_err().to_string();
    assert_eq!(
        err,
        "cannot serialize field `audit_log` of `AccountHandle`: cannot lock: this thread holds \
         a guard on the value, so waiting for it would never end"
    );
    drop(locked);

    let writing = handle.owner_name().write();
    let err = serde_json::to_string(&handle).unwrap_err().to_string();
    assert!(err.contains("field `owner_name`"), "{err}");
    drop(writing);
    assert!(serde_json::to_string(&handle).is_ok());
}

#[test]
fn sync_a_guard_of_another_thread_is_waited_for() {
    let handle = AccountHandle::<SyncFlavor>::from(account());
    let (locked_tx, locked_rx) = std::sync::mpsc::channel();
    thread::scope(|s| {
        s.spawn(|| {
            let mut log = handle.audit_log().lock();
            locked_tx.send(()).unwrap();
            thread::sleep(std::time::Duration::from_millis(50));
            log.push("closed".to_owned());
        });
        locked_rx.recv().unwrap();
        // Waits for the other thread's guard, then sees its change.
        let json = serde_json::to_string(&handle).unwrap();
        assert!(json.contains(r#""auditLog":["opened","closed"]"#), "{json}");
    });
}

/// Two lock fields that change together (under `lock_all`) are written together: a
/// serialization never shows one changed and the other not.
#[derive(Shared, Serialize)]
struct Pair {
    left: Vec<u32>,
    #[shared(mutex)]
    right: Vec<u32>,
}

#[test]
fn sync_fields_are_read_in_one_acquisition() {
    let pair = PairHandle::<SyncFlavor>::from(Pair {
        left: Vec::new(),
        right: Vec::new(),
    });
    let done = AtomicBool::new(false);
    thread::scope(|s| {
        s.spawn(|| {
            for i in 0..2_000 {
                let (mut left, mut right) =
                    lock_all((pair.left().for_write(), pair.right().for_lock()));
                left.push(i);
                right.push(i);
            }
            done.store(true, Ordering::Release);
        });
        let mut seen = 0;
        while !done.load(Ordering::Acquire) || seen == 0 {
            let value: serde_json::Value = serde_json::to_value(&pair).unwrap();
            assert_eq!(value["left"], value["right"], "torn: {value}");
            seen += 1;
        }
    });
}

// ---- Cells on their own ----

#[test]
fn cells_serialize_as_their_value() {
    fn both<F: Flavor>() {
        assert_eq!(serde_json::to_string(&Atom::<u8, F>::new(3)).unwrap(), "3");
        assert_eq!(
            serde_json::to_string(&RwLock::<_, F>::new("a")).unwrap(),
            r#""a""#
        );
        assert_eq!(
            serde_json::to_string(&Mutex::<_, F>::new([1, 2])).unwrap(),
            "[1,2]"
        );
        assert_eq!(
            serde_json::to_string(&Swap::<_, F>::new(true)).unwrap(),
            "true"
        );
        assert_eq!(
            serde_json::to_string(&Once::<u8, F>::new(None)).unwrap(),
            "null"
        );
        assert_eq!(
            serde_json::to_string(&Once::<u8, F>::new(Some(1))).unwrap(),
            "1"
        );

        let atom: Atom<char, F> = serde_json::from_str(r#""x""#).unwrap();
        assert_eq!(atom.get(), 'x');
        let lock: RwLock<String, F> = serde_json::from_str(r#""s""#).unwrap();
        assert_eq!(lock.get_cloned(), "s");
        let mutex: Mutex<Vec<u8>, F> = serde_json::from_str("[4]").unwrap();
        assert_eq!(mutex.get_cloned(), [4]);
        let swap: Swap<u32, F> = serde_json::from_str("6").unwrap();
        assert_eq!(*swap.load(), 6);
        let once: Once<u32, F> = serde_json::from_str("null").unwrap();
        assert_eq!(once.get(), None);
        let once: Once<u32, F> = serde_json::from_str("8").unwrap();
        assert_eq!(once.get(), Some(&8));
    }
    both::<LocalFlavor>();
    both::<SyncFlavor>();
}

#[test]
fn a_locked_cell_is_an_error() {
    let lock = RwLock::<u8, LocalFlavor>::new(1);
    let writing = lock.write();
    let err = serde_json::to_string(&lock).unwrap_err().to_string();
    assert_eq!(
        err,
        "cannot serialize a sharecell RwLock: cannot read: the value is locked for writing by a \
         guard that is still alive"
    );
    drop(writing);
    let mutex = Mutex::<u8, LocalFlavor>::new(1);
    let _locked = mutex.lock();
    let err = serde_json::to_string(&mutex).unwrap_err().to_string();
    assert!(
        err.starts_with("cannot serialize a sharecell Mutex: cannot lock"),
        "{err}"
    );
}

#[test]
fn flavour_markers_are_units() {
    assert_eq!(
        serde_json::to_string(&LocalFlavor::default()).unwrap(),
        "null"
    );
    let _: SyncFlavor = serde_json::from_str("null").unwrap();
}

#[test]
fn the_readme_shows_the_session_example_as_it_is() {
    let dir = env!("CARGO_MANIFEST_DIR");
    let readme = std::fs::read_to_string(format!("{dir}/../../README.md")).unwrap();
    let example = std::fs::read_to_string(format!("{dir}/examples/session.rs")).unwrap();
    assert!(
        readme.contains(&format!("```rust,ignore\n{example}```\n")),
        "README.md's serde section must show tests/serde/examples/session.rs verbatim"
    );
}

/// `no_serde`: the handle gets no serde impls from the derive, so it can have its own (with the
/// feature on anywhere in the build, every other handle gets them).
#[derive(Shared)]
#[shared(no_serde)]
struct Secret {
    key: String,
    uses: u32,
}

impl<F: Flavor> Serialize for SecretHandle<F> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // Never the key.
        self.uses().get().serialize(serializer)
    }
}

#[test]
fn no_serde_leaves_the_impls_to_the_user() {
    let secret = SecretHandle::new_local(Secret {
        key: "hunter2".to_owned(),
        uses: 3,
    });
    assert_eq!(secret.key().get_cloned(), "hunter2");
    assert_eq!(serde_json::to_string(&secret).unwrap(), "3");
}

/// Inside a thread-local destructor that runs after the serializer's own thread-local is gone,
/// cycles cannot be tracked: serializing says so, and does not claim a cycle.
#[test]
#[cfg_attr(
    miri,
    ignore = "Miri does not run thread-local destructors of spawned threads in order"
)]
fn serializing_while_thread_locals_are_destroyed() {
    use std::cell::RefCell;
    use std::sync::Mutex as StdMutex;

    static RESULTS: StdMutex<Vec<Result<String, String>>> = StdMutex::new(Vec::new());

    struct SerializeOnDrop(AccountHandle<LocalFlavor>);

    impl Drop for SerializeOnDrop {
        fn drop(&mut self) {
            let result = serde_json::to_string(&self.0).map_err(|e| e.to_string());
            RESULTS.lock().unwrap().push(result);
        }
    }

    thread_local! {
        static KEEP: RefCell<Option<SerializeOnDrop>> = const { RefCell::new(None) };
    }

    thread::spawn(|| {
        let handle = AccountHandle::new_local(account());
        // Registered first, so destroyed after the tracker that the serialization below
        // registers.
        KEEP.with(|k| *k.borrow_mut() = Some(SerializeOnDrop(handle.clone())));
        assert!(serde_json::to_string(&handle).is_ok());
    })
    .join()
    .expect("the thread exits without panicking");
    let results = RESULTS.lock().unwrap();
    assert_eq!(results.len(), 1);
    assert_eq!(
        results[0].as_ref().unwrap_err(),
        "cannot serialize `AccountHandle` while this thread's thread-locals are being destroyed: \
         cycles of handles cannot be detected there"
    );
}

/// Release builds keep no record of a thread's guards: a serialization that meets this thread's
/// own guard in the `SyncFlavor` waits a bounded time, then fails naming the field (debug
/// builds fail at once: `sync_a_guard_of_this_thread_is_an_error_naming_the_field`).
#[cfg(not(debug_assertions))]
#[test]
fn release_a_guard_of_this_thread_is_an_error_after_a_bounded_wait() {
    let handle = AccountHandle::<SyncFlavor>::from(account());
    let locked = handle.audit_log().lock();
    let err = serde_json::to_string(&handle).unwrap_err().to_string();
    assert!(
        err.starts_with(
            "cannot serialize field `audit_log` of `AccountHandle`: cannot lock: the value \
             stayed locked for 1s"
        ),
        "{err}"
    );
    drop(locked);
    assert!(serde_json::to_string(&handle).is_ok());
}
