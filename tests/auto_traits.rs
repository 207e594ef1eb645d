//! Positive auto-trait promises: `SyncFlavor` cells and handles are `Send + Sync` when their
//! field types allow it, with no `unsafe impl` anywhere. The negative promises (`LocalFlavor` is
//! `!Send + !Sync`, a non-`Send` field makes a `SyncFlavor` handle `!Send`) are UI tests in `tests/ui/`.

use std::cell::Cell;
use std::ops::Deref;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

use sharecell::{
    Atom, Mutex, MutexGuard, ReadGuard, RwLock, Shared, SyncFlavor, TryLockError, WeakHandle,
    WriteGuard,
};

fn assert_send<T: Send>() {}
fn assert_sync<T: std::marker::Sync>() {}
fn assert_send_sync<T: Send + std::marker::Sync>() {}

#[derive(Shared)]
struct Account {
    id: u64,
    ratio: f64,
    owner: String,
    #[shared(mutex)]
    log: Vec<String>,
    #[shared(readonly)]
    tags: Vec<&'static str>,
}

/// `Cell` is `Send` but not `Sync`: behind a mutex it is still shareable, as with std's `Mutex`.
#[derive(Shared)]
struct Scratch {
    #[shared(mutex)]
    cell: Cell<u8>,
    count: usize,
}

#[test]
fn sync_cells_are_send_sync() {
    assert_send_sync::<Atom<u64, SyncFlavor>>();
    assert_send_sync::<Atom<bool, SyncFlavor>>();
    assert_send_sync::<Atom<char, SyncFlavor>>();
    assert_send_sync::<Atom<f32, SyncFlavor>>();
    assert_send_sync::<Atom<f64, SyncFlavor>>();
    assert_send_sync::<RwLock<String, SyncFlavor>>();
    assert_send_sync::<Mutex<Vec<u8>, SyncFlavor>>();
    assert_send_sync::<TryLockError>();
    assert_send_sync::<SyncFlavor>();
}

#[test]
fn sync_new_kinds_guards_and_requests_follow_their_values() {
    assert_send_sync::<sharecell::Swap<String, SyncFlavor>>();
    assert_send_sync::<sharecell::Once<String, SyncFlavor>>();
    assert_send_sync::<sharecell::LockRequest<'static, String, SyncFlavor>>();
    assert_send_sync::<sharecell::ReadRequest<'static, String, SyncFlavor>>();
    // Like std's guards: shareable with scoped threads, not sendable.
    assert_sync::<sharecell::MappedReadGuard<'static, String, str, SyncFlavor>>();
    // Its `Sync` follows the part it is mapped to (a `Cell` part: not `Sync`, a UI test), and
    // the whole value, whose projection every deref runs again.
    assert_sync::<sharecell::MappedReadGuard<'static, (String, u32), u32, SyncFlavor>>();
    assert_sync::<sharecell::SwapGuard<String, SyncFlavor>>();
}

#[test]
fn sync_mutex_of_send_only_value_is_sync() {
    assert_send_sync::<Mutex<Cell<u8>, SyncFlavor>>();
    // Like std's `RwLock`, a reader-writer lock needs `T: Sync` to be `Sync`, but `Send` only
    // needs `T: Send`.
    assert_send::<RwLock<Cell<u8>, SyncFlavor>>();
}

#[test]
fn sync_handles_are_send_sync() {
    assert_send_sync::<AccountHandle<SyncFlavor>>();
    assert_send_sync::<WeakAccountHandle<SyncFlavor>>();
    assert_send_sync::<WeakHandle<AccountHandle<SyncFlavor>>>();
    assert_send_sync::<ScratchHandle<SyncFlavor>>();
    assert_send_sync::<WeakScratchHandle<SyncFlavor>>();
}

#[test]
fn sync_guards_share_like_std_guards() {
    assert_sync::<ReadGuard<'static, String, SyncFlavor>>();
    assert_sync::<WriteGuard<'static, String, SyncFlavor>>();
    assert_sync::<MutexGuard<'static, String, SyncFlavor>>();
}

/// Three scoped threads read through one borrowed guard at once; the sum of what they read.
fn read_on_three_threads<G: Deref<Target: AsRef<[u32]>> + std::marker::Sync>(guard: &G) -> usize {
    let total = AtomicUsize::new(0);
    thread::scope(|s| {
        for _ in 0..3 {
            let (guard, total) = (guard, &total);
            s.spawn(move || {
                let sum: u32 = (**guard).as_ref().iter().sum();
                total.fetch_add(sum as usize, Ordering::Relaxed);
            });
        }
    });
    total.into_inner()
}

/// A `SyncFlavor` read guard can be lent to scoped threads, which all read through it.
#[test]
fn sync_read_guard_shared_with_scoped_threads() {
    let lock = RwLock::<Vec<u32>, SyncFlavor>::new(vec![1, 2, 3]);
    let guard = lock.read();
    assert_eq!(read_on_three_threads(&guard), 18);
    // The guard is still held: no writer got in.
    assert!(lock.try_write().is_err());
}

/// A mapped `SyncFlavor` read guard is lent to scoped threads like the guard it narrows.
#[test]
fn sync_mapped_read_guard_shared_with_scoped_threads() {
    let lock = RwLock::<(String, Vec<u32>), SyncFlavor>::new(("ada".to_owned(), vec![1, 2, 3]));
    let numbers = sharecell::ReadGuard::map(lock.read(), |v| v.1.as_slice());
    assert_eq!(read_on_three_threads(&numbers), 18);
    assert!(lock.try_write().is_err(), "still held");
}

/// A `SyncFlavor` handle moves into a `'static` thread and is shared by clones there.
#[test]
fn sync_handle_crosses_threads() {
    let account = AccountHandle::new_sync(Account {
        id: 1,
        ratio: 0.5,
        owner: "ada".to_owned(),
        log: Vec::new(),
        tags: vec!["vip"],
    });
    let workers: Vec<_> = (0..4)
        .map(|i| {
            let account = account.clone();
            thread::spawn(move || {
                account.id().fetch_add(1);
                account.ratio().fetch_add(0.5);
                account.log().lock().push(format!("worker {i}"));
                assert_eq!(account.tags(), &["vip"]);
            })
        })
        .collect();
    for worker in workers {
        worker.join().expect("worker panicked");
    }
    assert_eq!(account.id().get(), 5);
    assert_eq!(account.ratio().get(), 2.5);
    assert_eq!(account.log().with_mut(|l| l.len()), 4);
    assert_eq!(account.owner().get_cloned(), "ada");
}

/// The `Cell` behind a `SyncFlavor` mutex is used from several threads, one at a time.
#[test]
fn sync_handle_with_send_only_field_crosses_threads() {
    let scratch = ScratchHandle::new_sync(Scratch {
        cell: Cell::new(0),
        count: 0,
    });
    thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                scratch.cell().with_mut(|c| c.set(c.get() + 1));
                scratch.count().fetch_add(1);
            });
        }
    });
    assert_eq!(scratch.cell().lock().get(), 4);
    assert_eq!(scratch.count().get(), 4);
}
