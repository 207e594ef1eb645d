//! What happens when a guard is in the way: `try_*` return an error in both flavours (also when
//! another thread holds the guard, for `SyncFlavor`), `LocalFlavor` panics at the caller's line, `SyncFlavor`
//! blocks, and the error says what happened.

#[macro_use]
mod common;

use std::error::Error;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Barrier;
use std::thread;

use common::{catch_panic, Caught};
use sharecell::{Flavor, LocalFlavor, Mutex, RwLock, SyncFlavor, TryLockError};

fn try_while_writing<F: Flavor>() {
    let lock = RwLock::<String, F>::new("ada".to_owned());
    let guard = lock.write();
    let read_err = lock.try_read().expect_err("a writer holds the lock");
    assert!(read_err.is_read());
    let write_err = lock.try_write().expect_err("a writer holds the lock");
    assert!(!write_err.is_read());
    drop(guard);
    assert_eq!(*lock.try_read().expect("the writer is gone"), "ada");
    assert!(lock.try_write().is_ok());
}

fn try_while_reading<F: Flavor>() {
    let lock = RwLock::<String, F>::new("ada".to_owned());
    let guard = lock.read();
    // Readers share.
    assert_eq!(*lock.try_read().expect("readers share the lock"), "ada");
    let err = lock.try_write().expect_err("a reader holds the lock");
    assert!(!err.is_read());
    drop(guard);
    lock.try_write().expect("the reader is gone").push('!');
    assert_eq!(lock.get_cloned(), "ada!");
}

fn try_lock_while_locked<F: Flavor>() {
    let mutex = Mutex::<Vec<u8>, F>::new(vec![1]);
    let guard = mutex.lock();
    let err = mutex.try_lock().expect_err("a guard holds the mutex");
    assert!(!err.is_read());
    drop(guard);
    mutex.try_lock().expect("the guard is gone").push(2);
    assert_eq!(mutex.get_cloned(), [1, 2]);
}

fn try_inside_closures<F: Flavor>() {
    let lock = RwLock::<u8, F>::new(1);
    assert!(lock.with(|_| lock.try_write().is_err()));
    assert!(lock.with_mut(|_| lock.try_read().is_err()));
    let mutex = Mutex::<u8, F>::new(1);
    assert!(mutex.with_mut(|_| mutex.try_lock().is_err()));
}

fn debug_never_blocks<F: Flavor>() {
    let lock = RwLock::<u8, F>::new(7);
    let mutex = Mutex::<u8, F>::new(8);
    let (write, locked) = (lock.write(), mutex.lock());
    assert_eq!(format!("{lock:?} {mutex:?}"), "<locked> <locked>");
    drop((write, locked));
    assert_eq!(format!("{lock:?} {mutex:?}"), "7 8");
    let _read = lock.read();
    assert_eq!(format!("{lock:?}"), "7");
}

fn error_messages_say_what_happened<F: Flavor>() {
    let lock = RwLock::<u8, F>::new(0);
    let mutex = Mutex::<u8, F>::new(0);
    let write = lock.write();
    let read_err = lock.try_read().err().map(|e| e.to_string());
    let write_err = lock.try_write().err().map(|e| e.to_string());
    let _lock = mutex.lock();
    let lock_err = mutex.try_lock().err().map(|e| e.to_string());
    drop(write);
    let (read_err, write_err, lock_err) =
        (read_err.unwrap(), write_err.unwrap(), lock_err.unwrap());
    assert!(read_err.contains("cannot read"), "{read_err}");
    assert!(write_err.contains("cannot write"), "{write_err}");
    assert!(lock_err.contains("cannot lock"), "{lock_err}");
    assert!(
        read_err.contains("locked for writing") || read_err.contains("a writer holds"),
        "the message says why: {read_err}"
    );
    for msg in [&write_err, &lock_err] {
        assert!(msg.contains("locked"), "the message says why: {msg}");
    }
}

for_both_flavors!(
    try_while_writing,
    try_while_reading,
    try_lock_while_locked,
    try_inside_closures,
    debug_never_blocks,
    error_messages_say_what_happened,
);

#[test]
fn error_is_a_std_error() {
    fn assert_error<E: Error + Send + std::marker::Sync + Clone + Copy + PartialEq + 'static>() {}
    assert_error::<TryLockError>();

    fn fallible(
        lock: &RwLock<u8, LocalFlavor>,
    ) -> Result<u8, Box<dyn Error + Send + std::marker::Sync>> {
        Ok(*lock.try_write()?)
    }
    let lock = RwLock::<u8, LocalFlavor>::new(3);
    assert_eq!(fallible(&lock).ok(), Some(3));
    let read = lock.read();
    let err = fallible(&lock).expect_err("a reader holds the lock");
    assert!(err.to_string().contains("cannot write"));
    assert!(err.source().is_none());
    let typed = err
        .downcast_ref::<TryLockError>()
        .expect("the same error type");
    assert_eq!(*typed, lock.try_write().err().unwrap());
    assert!(format!("{typed:?}").contains("TryLockError"));
    drop(read);
}

// ---- Sync: the guard belongs to another thread ----

/// Runs `check` on this thread while another thread holds the guard that `hold` takes.
fn while_other_thread_holds<T>(hold: impl FnOnce() -> T + Send, check: impl FnOnce()) {
    let barrier = Barrier::new(2);
    thread::scope(|s| {
        s.spawn(|| {
            let guard = hold();
            barrier.wait(); // the guard is held
            barrier.wait(); // the main thread has checked
            drop(guard);
        });
        barrier.wait();
        // A failed check must still release the other thread, or the test would hang.
        let checked = panic::catch_unwind(AssertUnwindSafe(check));
        barrier.wait();
        if let Err(failure) = checked {
            panic::resume_unwind(failure);
        }
    });
}

#[test]
fn sync_try_while_other_thread_writes() {
    let lock = RwLock::<String, SyncFlavor>::new("ada".to_owned());
    while_other_thread_holds(
        || lock.write(),
        || {
            let err = lock.try_read().expect_err("another thread writes");
            assert!(err.is_read());
            assert!(lock.try_write().is_err());
            assert_eq!(format!("{lock:?}"), "<locked>");
        },
    );
    assert_eq!(lock.get_cloned(), "ada");
    assert!(lock.try_write().is_ok());
}

#[test]
fn sync_try_while_other_thread_reads() {
    let lock = RwLock::<String, SyncFlavor>::new("ada".to_owned());
    while_other_thread_holds(
        || lock.read(),
        || {
            assert_eq!(*lock.try_read().expect("readers share"), "ada");
            assert!(lock.try_write().is_err());
        },
    );
    assert!(lock.try_write().is_ok());
}

#[test]
fn sync_try_lock_while_other_thread_locks() {
    let mutex = Mutex::<Vec<u8>, SyncFlavor>::new(vec![]);
    while_other_thread_holds(
        || mutex.lock(),
        || {
            assert!(mutex.try_lock().is_err());
            assert_eq!(format!("{mutex:?}"), "<locked>");
        },
    );
    assert!(mutex.try_lock().is_ok());
}

/// `write` waits for the other thread's guard: whatever that thread did before dropping its
/// guard is visible once `write` returns.
#[test]
fn sync_write_blocks_until_guard_dropped() {
    let lock = RwLock::<Vec<u8>, SyncFlavor>::new(vec![]);
    let released = AtomicBool::new(false);
    let barrier = Barrier::new(2);
    thread::scope(|s| {
        s.spawn(|| {
            let mut guard = lock.write();
            barrier.wait();
            // Widens the window in which the main thread is blocked; correctness does not
            // depend on it.
            thread::sleep(std::time::Duration::from_millis(20));
            guard.push(1);
            released.store(true, Ordering::Relaxed);
        });
        barrier.wait();
        let mut guard = lock.write();
        assert!(released.load(Ordering::Relaxed));
        assert_eq!(*guard, [1]);
        guard.push(2);
    });
    assert_eq!(lock.into_inner(), [1, 2]);
}

#[test]
fn sync_lock_blocks_until_guard_dropped() {
    let mutex = Mutex::<Vec<u8>, SyncFlavor>::new(vec![]);
    let barrier = Barrier::new(2);
    thread::scope(|s| {
        s.spawn(|| {
            let mut guard = mutex.lock();
            barrier.wait();
            thread::sleep(std::time::Duration::from_millis(20));
            guard.push(1);
        });
        barrier.wait();
        mutex.lock().push(2);
    });
    assert_eq!(mutex.into_inner(), [1, 2]);
}

// ---- Local: a conflict panics at the caller's line ----

/// The panic points at `line` of this file and its message contains `what`.
#[track_caller]
fn assert_panicked_at(caught: &Caught, line: u32, what: &str) {
    assert_eq!(caught.file, file!(), "{caught:?}");
    assert_eq!(caught.line, line, "{caught:?}");
    assert!(caught.message.contains(what), "{caught:?}");
}

#[test]
fn local_read_while_writing_panics_at_caller() {
    let lock = RwLock::<u8, LocalFlavor>::new(0);
    let _write = lock.write();
    let line = line!() + 1;
    let caught = catch_panic(|| lock.read());
    assert_panicked_at(&caught, line, "cannot read");
    assert!(
        caught.message.contains("try_"),
        "suggests try_*: {caught:?}"
    );
}

#[test]
fn local_write_while_reading_panics_at_caller() {
    let lock = RwLock::<u8, LocalFlavor>::new(0);
    let _read = lock.read();
    let line = line!() + 1;
    let caught = catch_panic(|| lock.write());
    assert_panicked_at(&caught, line, "cannot write");
}

#[test]
fn local_write_while_writing_panics_at_caller() {
    let lock = RwLock::<u8, LocalFlavor>::new(0);
    let _write = lock.write();
    let line = line!() + 1;
    let caught = catch_panic(|| lock.write());
    assert_panicked_at(&caught, line, "cannot write");
}

#[test]
fn local_lock_while_locked_panics_at_caller() {
    let mutex = Mutex::<u8, LocalFlavor>::new(0);
    let _guard = mutex.lock();
    let line = line!() + 1;
    let caught = catch_panic(|| mutex.lock());
    assert_panicked_at(&caught, line, "cannot lock");
}

/// The convenience methods are `#[track_caller]` too.
#[test]
fn local_rwlock_helpers_panic_at_caller() {
    let lock = RwLock::<String, LocalFlavor>::new(String::new());
    let read = lock.read();
    let line = line!() + 1;
    let caught = catch_panic(|| lock.with_mut(|s| s.push('x')));
    assert_panicked_at(&caught, line, "cannot write");
    let line = line!() + 1;
    let caught = catch_panic(|| lock.set("x".to_owned()));
    assert_panicked_at(&caught, line, "cannot write");
    let line = line!() + 1;
    let caught = catch_panic(|| lock.replace("x".to_owned()));
    assert_panicked_at(&caught, line, "cannot write");
    let line = line!() + 1;
    let caught = catch_panic(|| lock.take());
    assert_panicked_at(&caught, line, "cannot write");
    drop(read);
    let _write = lock.write();
    let line = line!() + 1;
    let caught = catch_panic(|| lock.get_cloned());
    assert_panicked_at(&caught, line, "cannot read");
    let line = line!() + 1;
    let caught = catch_panic(|| lock.with(String::len));
    assert_panicked_at(&caught, line, "cannot read");
}

#[test]
fn local_mutex_helpers_panic_at_caller() {
    let mutex = Mutex::<String, LocalFlavor>::new(String::new());
    let line = line!() + 1;
    let caught = catch_panic(|| mutex.with_mut(|_| mutex.with_mut(|s| s.push('x'))));
    assert_panicked_at(&caught, line, "cannot lock");
    let _guard = mutex.lock();
    let line = line!() + 1;
    let caught = catch_panic(|| mutex.get_cloned());
    assert_panicked_at(&caught, line, "cannot lock");
    let line = line!() + 1;
    let caught = catch_panic(|| mutex.set("x".to_owned()));
    assert_panicked_at(&caught, line, "cannot lock");
    let line = line!() + 1;
    let caught = catch_panic(|| mutex.replace("x".to_owned()));
    assert_panicked_at(&caught, line, "cannot lock");
    let line = line!() + 1;
    let caught = catch_panic(|| mutex.take());
    assert_panicked_at(&caught, line, "cannot lock");
}

/// After a conflict panic the field is untouched and usable.
#[test]
fn local_conflict_leaves_value_usable() {
    let lock = RwLock::<Vec<u8>, LocalFlavor>::new(vec![1]);
    let read = lock.read();
    catch_panic(|| lock.write().push(2));
    assert_eq!(*read, [1]);
    drop(read);
    lock.write().push(3);
    assert_eq!(lock.get_cloned(), [1, 3]);
}

/// `SyncFlavor`: a `try_read` refused because a writer is only waiting (std's lock lets a waiting
/// writer go first) says so, instead of claiming that a writer holds the value.
#[test]
#[cfg(target_os = "linux")]
fn sync_try_read_behind_a_waiting_writer_says_a_writer_is_waiting() {
    let lock = RwLock::<u32, SyncFlavor>::new(1);
    let reading = lock.read();
    thread::scope(|s| {
        s.spawn(|| *lock.write() += 1);
        // Wait until the writer queues (a new read is then refused), for at most ~10 s.
        let mut refused = None;
        for _ in 0..10_000 {
            match lock.try_read() {
                Ok(_) => thread::sleep(std::time::Duration::from_millis(1)),
                Err(err) => {
                    refused = Some(err);
                    break;
                }
            }
        }
        // Linux's std lock refuses new readers while a writer waits.
        let err = refused.expect("the writer queued and a new read was refused");
        assert!(err.is_read());
        assert!(err.to_string().contains("waiting"), "{err}");
        drop(reading);
    });
    assert_eq!(lock.get_cloned(), 2);
}
