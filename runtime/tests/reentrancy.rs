//! Debug-build re-entrancy detection. `SyncFlavor`: a thread that asks for a guard it would wait for
//! forever (because it holds one in the way itself) panics, naming where it took the first guard
//! and where it asked for the second, instead of deadlocking. `LocalFlavor`: the borrow-conflict panic
//! names both places too. The `try_*` methods never panic. Release builds have no such check
//! (see docs/concurrency.md), so this file is for debug builds only.
#![cfg(all(debug_assertions, not(loom)))]

mod common;

use std::sync::mpsc;
use std::thread;

use common::{at, panic_message};
use sharecell::{lock_all, LocalFlavor, Mutex, RwLock, Shared, SyncFlavor};

/// The message names the first guard's kind and place, and the second request's verb and place.
#[track_caller]
fn assert_names_both(message: &str, first: (&str, u32), second: (&str, u32)) {
    let (guard, first_line) = first;
    let (verb, second_line) = second;
    assert!(
        message.contains(&format!(
            "{guard} on this field, taken at {}",
            at(first_line)
        )),
        "names the first guard and where it was taken: {message}"
    );
    assert!(
        message.contains(&format!("asked to {verb} at {}", at(second_line))),
        "names the second request and where it was made: {message}"
    );
}

// ---- Sync: a request that can only deadlock panics ----

#[test]
fn sync_read_then_write_panics_naming_both_places() {
    let lock = RwLock::<u32, SyncFlavor>::new(1);
    let (first, l1) = (lock.read(), line!());
    let (message, l2) = (panic_message(|| lock.write()), line!());
    assert_names_both(&message, ("a read guard", l1), ("write", l2));
    assert!(message.contains("cannot write"), "{message}");
    assert!(message.contains("deadlock"), "says why: {message}");
    assert!(
        message.contains("SHARECELL_NO_REENTRANCY_CHECK"),
        "says how to turn it off: {message}"
    );
    assert_eq!(*first, 1, "the first guard is still good");
    drop(first);
    *lock.write() += 1;
    assert_eq!(lock.get_cloned(), 2);
}

#[test]
fn sync_write_then_write_panics_naming_both_places() {
    let lock = RwLock::<u32, SyncFlavor>::new(1);
    let (mut first, l1) = (lock.write(), line!());
    let (message, l2) = (panic_message(|| lock.write()), line!());
    assert_names_both(&message, ("a write guard", l1), ("write", l2));
    *first = 5;
    drop(first);
    assert_eq!(lock.get_cloned(), 5);
}

#[test]
fn sync_write_then_read_panics_naming_both_places() {
    let lock = RwLock::<u32, SyncFlavor>::new(1);
    let (first, l1) = (lock.write(), line!());
    let (message, l2) = (panic_message(|| lock.read()), line!());
    assert_names_both(&message, ("a write guard", l1), ("read", l2));
    assert!(message.contains("cannot read"), "{message}");
    drop(first);
    assert_eq!(*lock.read(), 1);
}

#[test]
fn sync_mutex_locked_twice_panics_naming_both_places() {
    let mutex = Mutex::<Vec<u8>, SyncFlavor>::new(vec![]);
    let (first, l1) = (mutex.lock(), line!());
    let (message, l2) = (panic_message(|| mutex.lock()), line!());
    assert_names_both(&message, ("a mutex guard", l1), ("lock", l2));
    assert!(message.contains("cannot lock"), "{message}");
    drop(first);
    mutex.lock().push(1);
    assert_eq!(mutex.get_cloned(), [1]);
}

#[test]
fn sync_helpers_report_the_users_lines() {
    let lock = RwLock::<Vec<u8>, SyncFlavor>::new(vec![1]);
    // `with` holds a read guard while its closure runs; `with_mut` inside it asks to write.
    let (nested, l1) = (|| lock.with(|_| lock.with_mut(|v| v.push(2))), line!());
    assert_names_both(&panic_message(nested), ("a read guard", l1), ("write", l1));

    let (first, l1) = (lock.write(), line!());
    for (message, l2) in [
        (panic_message(|| lock.get_cloned()), line!()),
        (panic_message(|| lock.set(vec![])), line!()),
        (panic_message(|| lock.replace(vec![])), line!()),
        (panic_message(|| lock.take()), line!()),
    ] {
        assert!(message.contains(&at(l1)), "first place: {message}");
        assert!(message.contains(&at(l2)), "second place: {message}");
    }
    drop(first);
    assert_eq!(
        lock.get_cloned(),
        [1],
        "nothing was changed by the refused calls"
    );

    let mutex = Mutex::<u8, SyncFlavor>::new(0);
    let (nested, l1) = (|| mutex.with_mut(|_| mutex.set(1)), line!());
    assert_names_both(&panic_message(nested), ("a mutex guard", l1), ("lock", l1));
    assert_eq!(mutex.get_cloned(), 0);
}

#[test]
fn sync_guard_from_try_method_is_tracked_too() {
    let lock = RwLock::<u32, SyncFlavor>::new(1);
    let (first, l1) = (lock.try_write().expect("free"), line!());
    let (message, l2) = (panic_message(|| lock.read()), line!());
    assert_names_both(&message, ("a write guard", l1), ("read", l2));
    drop(first);

    let mutex = Mutex::<u32, SyncFlavor>::new(1);
    let (first, l1) = (mutex.try_lock().expect("free"), line!());
    let (message, l2) = (panic_message(|| mutex.lock()), line!());
    assert_names_both(&message, ("a mutex guard", l1), ("lock", l2));
    drop(first);
}

#[derive(Shared)]
struct Pair {
    left: String,
    #[shared(mutex)]
    right: Vec<u8>,
}

#[test]
fn sync_snapshot_while_holding_a_field_guard_panics() {
    let pair = PairHandle::new_sync(Pair {
        left: "a".to_owned(),
        right: vec![1],
    });
    let (guard, l1) = (pair.right().lock(), line!());
    let (message, l2) = (panic_message(|| PairHandle::snapshot(&pair)), line!());
    assert_names_both(&message, ("a mutex guard", l1), ("lock", l2));
    drop(guard);
    let copy = PairHandle::snapshot(&pair);
    assert_eq!((copy.left.as_str(), copy.right), ("a", vec![1]));
}

#[test]
fn sync_lock_all_while_holding_a_requested_field_panics_naming_both_places() {
    let pair = PairHandle::new_sync(Pair {
        left: "a".to_owned(),
        right: vec![1],
    });
    let (guard, l1) = (pair.left().read(), line!());
    let (p, l2) = (&pair, line!() + 1);
    let message = panic_message(|| lock_all((p.right().for_lock(), p.left().for_write())));
    assert_names_both(&message, ("a read guard", l1), ("write", l2));
    assert!(
        pair.right().try_lock().is_ok(),
        "the panic released the request already taken"
    );
    // Reads share: the same request for reading is fine while this thread reads too.
    let (right, left) = lock_all((pair.right().for_lock(), pair.left().for_read()));
    assert_eq!((right.len(), left.as_str()), (1, "a"));
    drop((right, left, guard));
}

#[test]
fn sync_try_methods_never_panic_on_own_guards() {
    let lock = RwLock::<u32, SyncFlavor>::new(1);
    let write = lock.write();
    assert!(lock.try_read().expect_err("own writer").is_read());
    assert!(!lock.try_write().expect_err("own writer").is_read());
    drop(write);
    let read = lock.read();
    assert!(lock.try_write().is_err());
    assert_eq!(*lock.try_read().expect("readers share"), 1);
    drop(read);

    let mutex = Mutex::<u32, SyncFlavor>::new(1);
    let guard = mutex.lock();
    assert!(mutex.try_lock().is_err());
    drop(guard);
    assert!(mutex.try_lock().is_ok());
}

#[test]
fn sync_read_then_read_is_allowed() {
    let lock = RwLock::<u32, SyncFlavor>::new(7);
    let first = lock.read();
    let second = lock.read();
    assert_eq!(*first + *second, 14);
    assert_eq!(lock.with(|v| *v), 7, "a third reader too");
    drop((first, second));
    *lock.write() = 8;
    assert_eq!(lock.get_cloned(), 8);
}

/// std's `RwLock` lets a queued writer go before new readers. A thread that holds a read guard
/// and asks for another one while a writer waits would wait for the writer, which waits for it.
#[test]
fn sync_read_then_read_with_a_writer_queued_panics_instead_of_deadlocking() {
    let lock = RwLock::<u32, SyncFlavor>::new(1);
    thread::scope(|s| {
        let (first, l1) = (lock.read(), line!());
        let writer = s.spawn(|| *lock.write() += 1);
        // `try_read` fails, while this thread holds a read guard, only once a writer is queued.
        while let Ok(extra) = lock.try_read() {
            drop(extra);
            thread::yield_now();
        }
        let (message, l2) = (panic_message(|| lock.read()), line!());
        assert_names_both(&message, ("a read guard", l1), ("read", l2));
        assert!(message.contains("waiting to write"), "says why: {message}");
        drop(first);
        writer
            .join()
            .expect("the writer gets the lock once the reader is gone");
    });
    assert_eq!(lock.get_cloned(), 2);
}

#[test]
fn sync_a_guard_on_another_thread_makes_this_one_wait_not_panic() {
    let lock = RwLock::<u32, SyncFlavor>::new(0);
    let (taken, is_taken) = mpsc::channel();
    thread::scope(|s| {
        s.spawn(|| {
            let mut guard = lock.write();
            taken.send(()).expect("main thread is listening");
            thread::yield_now();
            *guard = 1;
        });
        is_taken.recv().expect("the writer took the lock");
        assert_eq!(*lock.read(), 1, "blocked until the writer was done");
    });
}

#[test]
fn sync_other_fields_and_dropped_guards_do_not_count() {
    let a = RwLock::<u32, SyncFlavor>::new(1);
    let b = RwLock::<u32, SyncFlavor>::new(2);
    let guard_a = a.write();
    *b.write() += *guard_a;
    drop(guard_a);
    *a.write() += 10;
    assert_eq!((a.get_cloned(), b.get_cloned()), (11, 3));
}

#[test]
fn sync_guard_dropped_by_unwinding_is_forgotten() {
    let lock = RwLock::<u32, SyncFlavor>::new(1);
    common::expect_panic(|| lock.with_mut(|_| panic!("inside with_mut")));
    common::expect_panic(|| {
        let _guard = lock.read();
        panic!("while reading");
    });
    // No entry is left behind: these would panic if one were.
    *lock.write() += 1;
    assert_eq!(lock.get_cloned(), 2);
}

// ---- Local: the borrow-conflict panic names both places ----

#[test]
fn local_write_then_read_names_both_places() {
    let lock = RwLock::<u32, LocalFlavor>::new(1);
    let (first, l1) = (lock.write(), line!());
    let (message, l2) = (panic_message(|| lock.read()), line!());
    assert_names_both(&message, ("a write guard", l1), ("read", l2));
    assert!(message.contains("cannot read"), "{message}");
    assert!(message.contains("try_"), "suggests try_*: {message}");
    drop(first);
    assert_eq!(lock.get_cloned(), 1);
}

#[test]
fn local_read_then_write_names_the_first_reader_and_counts_the_others() {
    let lock = RwLock::<u32, LocalFlavor>::new(1);
    let (first, l1) = (lock.read(), line!());
    let second = lock.read();
    let (message, l2) = (panic_message(|| lock.write()), line!());
    assert_names_both(&message, ("a read guard", l1), ("write", l2));
    assert!(message.contains("(and 1 more guard)"), "{message}");
    drop((first, second));
    *lock.write() = 3;
    assert_eq!(lock.get_cloned(), 3);
}

#[test]
fn local_mutex_locked_twice_names_both_places() {
    let mutex = Mutex::<u32, LocalFlavor>::new(1);
    let (first, l1) = (mutex.try_lock().expect("free"), line!());
    let (message, l2) = (panic_message(|| mutex.with_mut(|v| *v += 1)), line!());
    assert_names_both(&message, ("a mutex guard", l1), ("lock", l2));
    assert!(message.contains("cannot lock"), "{message}");
    assert!(mutex.try_lock().is_err(), "try_lock returns the error");
    drop(first);
    assert_eq!(mutex.get_cloned(), 1);
}

#[test]
fn local_guard_dropped_by_unwinding_is_forgotten() {
    let lock = RwLock::<u32, LocalFlavor>::new(1);
    common::expect_panic(|| lock.with(|_| panic!("inside with")));
    let (first, l1) = (lock.write(), line!());
    let message = panic_message(|| lock.read());
    assert!(
        message.contains(&at(l1)),
        "names the live guard, not the one unwinding dropped: {message}"
    );
    assert_eq!(message.matches("taken at").count(), 1, "{message}");
    drop(first);
}

// ---- Bookkeeping that outlives its lock ----

/// A read guard is `mem::forget`-ten and its lock dropped; a new lock at the same address is
/// another lock: a read that waits for another thread's writer there waits, it does not panic
/// with "would deadlock" because of the forgotten guard.
#[test]
#[cfg_attr(
    miri,
    ignore = "relies on the allocator handing the same address out again"
)]
fn a_forgotten_guard_does_not_haunt_a_new_lock_at_the_same_address() {
    let old = Box::new(RwLock::<u64, SyncFlavor>::new(0));
    let addr = std::ptr::from_ref(&*old).addr();
    std::mem::forget(old.read());
    drop(old);
    // Allocate until the allocator hands the address out again (glibc does so at once).
    let mut misses = Vec::new();
    let lock = loop {
        let candidate = Box::new(RwLock::<u64, SyncFlavor>::new(1));
        if std::ptr::from_ref(&*candidate).addr() == addr {
            break candidate;
        }
        assert!(misses.len() < 1000, "the address was never reused");
        misses.push(candidate);
    };
    let (held_tx, held_rx) = mpsc::channel();
    thread::scope(|s| {
        s.spawn(|| {
            let mut guard = lock.write();
            held_tx.send(()).expect("main waits");
            thread::sleep(std::time::Duration::from_millis(20));
            *guard = 2;
        });
        held_rx.recv().expect("the writer holds the lock");
        // Waits for the writer (it used to panic here).
        assert_eq!(*lock.read(), 2);
    });
}

/// A field's `Debug` that locks its own field again: the message says the first guard was
/// taken to format the field, instead of pointing inside sharecell.
struct Peek(Option<PeekerHandle<SyncFlavor>>);

#[derive(Shared)]
struct Peeker {
    #[shared(mutex)]
    inner: Peek,
}

impl std::fmt::Debug for Peek {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(handle) = &self.0 {
            let _again = handle.inner().lock();
        }
        f.write_str("Peek")
    }
}

#[test]
fn debug_that_relocks_its_field_says_so() {
    let handle = PeekerHandle::new_sync(Peeker { inner: Peek(None) });
    handle.inner().lock().0 = Some(handle.clone());
    let message = panic_message(|| format!("{handle:?}"));
    assert!(
        message.contains("taken to format it with `Debug`"),
        "{message}"
    );
    assert!(!message.contains("runtime/src"), "{message}");
    handle.inner().lock().0 = None; // break the cycle
}

/// Holding many guards at once (a `lock_all` over thousands of fields) keeps each acquisition
/// cheap: the registry is ordered by lock. This checks the bookkeeping stays right at size.
#[test]
fn thousands_of_guards_at_once() {
    let n = common::iterations(20_000);
    let locks: Vec<RwLock<usize, SyncFlavor>> = (0..n).map(RwLock::new).collect();
    let guards = lock_all(locks.iter().map(RwLock::for_read).collect::<Vec<_>>());
    let (message, line) = (panic_message(|| locks[n / 2].write()), line!());
    assert!(
        message.contains(&format!("asked to write at {}", at(line))),
        "{message}"
    );
    drop(guards);
    *locks[n / 2].write() += 1;
    assert_eq!(locks[n / 2].get_cloned(), n / 2 + 1);
}

// ---- Atom::update whose closure writes the same atom ----

fn update_that_writes_its_own_atom<F: sharecell::Flavor>() {
    let atom = sharecell::Atom::<u32, F>::new(1);
    let message = panic_message(|| {
        atom.update(|n| {
            atom.set(5);
            n + 1
        })
    });
    assert!(message.contains("wrote the same atom"), "{message}");
    // Nothing stuck: the atom works, and `update` too.
    let before = atom.get();
    assert_eq!(atom.update(|n| n + 1), before);
    let other = sharecell::Atom::<u32, F>::new(0);
    // Writing another atom inside the closure is allowed (the `SyncFlavor`'s compare-and-swap
    // loop may run the closure more than once, so it may count more than once).
    atom.update(|n| {
        other.fetch_add(1);
        n
    });
    assert!(other.get() >= 1);
}

#[test]
fn local_update_that_writes_its_own_atom_panics() {
    update_that_writes_its_own_atom::<LocalFlavor>();
}

#[test]
fn sync_update_that_writes_its_own_atom_panics() {
    update_that_writes_its_own_atom::<SyncFlavor>();
}

#[derive(Shared)]
struct Twins {
    #[shared(mutex)]
    a: u32,
    #[shared(mutex)]
    b: u32,
}

/// This thread holds the field later in the lock order while another thread, following the
/// order, holds the earlier one and waits for ours. `lock_all` and `snapshot` of both fields
/// would wait for the earlier one for ever; they check this thread's guards before taking
/// anything, and panic naming the field this thread holds.
#[test]
fn sync_lock_all_and_snapshot_check_this_threads_guards_before_waiting() {
    let twins = TwinsHandle::new_sync(Twins { a: 1, b: 2 });
    let (a, b) = (twins.a(), twins.b());
    let (low, high) = if std::ptr::from_ref(a).addr() < std::ptr::from_ref(b).addr() {
        (a, b)
    } else {
        (b, a)
    };
    let (mine, l1) = (high.lock(), line!());
    thread::scope(|s| {
        s.spawn(|| drop(lock_all((low.for_lock(), high.for_lock()))));
        // Until the other thread holds the low field (and waits for ours).
        while low.try_lock().is_ok() {
            thread::yield_now();
        }
        let l2 = line!() + 1;
        let message = panic_message(|| lock_all((low.for_lock(), high.for_lock())));
        assert_names_both(&message, ("a mutex guard", l1), ("lock", l2));
        let message = panic_message(|| TwinsHandle::snapshot(&twins));
        assert!(message.contains(&at(l1)), "{message}");
        drop(mine);
    });
    assert_eq!(TwinsHandle::snapshot(&twins).a, 1);
}
