//! No poisoning: a panic while a guard is held never makes the field unusable. The value is
//! whatever the panicking code left behind.

#[macro_use]
mod common;

use std::thread;

use common::{catch_panic, expect_panics_on_this_thread};
use sharecell::{Flavor, Mutex, RwLock, SyncFlavor};

/// Every way in, after the panic: blocking and `try_*` access, helpers, `into_inner`.
fn assert_rwlock_usable<F: Flavor>(lock: RwLock<Vec<u8>, F>, expected: &[u8]) {
    assert_eq!(*lock.read(), expected);
    assert_eq!(*lock.try_read().expect("not poisoned"), expected);
    lock.try_write().expect("not poisoned").push(100);
    lock.write().push(101);
    lock.with_mut(|v| v.push(102));
    assert_eq!(lock.with(Vec::len), expected.len() + 3);
    let mut all = expected.to_vec();
    all.extend([100, 101, 102]);
    assert_eq!(lock.get_cloned(), all);
    let mut lock = lock;
    lock.get_mut().push(103);
    all.push(103);
    assert_eq!(lock.into_inner(), all);
}

fn assert_mutex_usable<F: Flavor>(mutex: Mutex<Vec<u8>, F>, expected: &[u8]) {
    assert_eq!(*mutex.lock(), expected);
    mutex.try_lock().expect("not poisoned").push(100);
    mutex.with_mut(|v| v.push(101));
    let mut all = expected.to_vec();
    all.extend([100, 101]);
    assert_eq!(mutex.get_cloned(), all);
    assert_eq!(mutex.replace(vec![7]), all);
    let mut mutex = mutex;
    mutex.get_mut().push(8);
    assert_eq!(mutex.into_inner(), [7, 8]);
}

fn panic_holding_write_guard<F: Flavor>() {
    let lock = RwLock::<Vec<u8>, F>::new(vec![1]);
    catch_panic(|| {
        let mut guard = lock.write();
        guard.push(2);
        panic!("writer fails halfway");
    });
    assert_rwlock_usable(lock, &[1, 2]);
}

fn panic_holding_read_guard<F: Flavor>() {
    let lock = RwLock::<Vec<u8>, F>::new(vec![1]);
    catch_panic(|| lock.with(|_| panic!("reader fails")));
    assert_rwlock_usable(lock, &[1]);
}

fn panic_inside_rwlock_with_mut<F: Flavor>() {
    let lock = RwLock::<Vec<u8>, F>::new(vec![1]);
    catch_panic(|| {
        lock.with_mut(|v| {
            v.push(2);
            panic!("writer fails halfway");
        })
    });
    assert_rwlock_usable(lock, &[1, 2]);
}

fn panic_holding_mutex_guard<F: Flavor>() {
    let mutex = Mutex::<Vec<u8>, F>::new(vec![1]);
    catch_panic(|| {
        let mut guard = mutex.lock();
        guard.push(2);
        panic!("fails halfway");
    });
    assert_mutex_usable(mutex, &[1, 2]);
}

fn panic_inside_mutex_with_mut<F: Flavor>() {
    let mutex = Mutex::<Vec<u8>, F>::new(vec![1]);
    catch_panic(|| {
        mutex.with_mut(|v| {
            v.push(2);
            panic!("fails halfway");
        })
    });
    assert_mutex_usable(mutex, &[1, 2]);
}

for_both_flavors!(
    panic_holding_write_guard,
    panic_holding_read_guard,
    panic_inside_rwlock_with_mut,
    panic_holding_mutex_guard,
    panic_inside_mutex_with_mut,
);

// ---- Sync: the panicking thread dies; the others carry on ----

/// Runs `f` on a thread that panics, and checks that it did.
fn in_dying_thread(f: impl FnOnce() + Send) {
    thread::scope(|s| {
        let joined = s
            .spawn(|| {
                expect_panics_on_this_thread();
                f();
            })
            .join();
        assert!(joined.is_err(), "the thread was meant to panic");
    });
}

#[test]
fn sync_thread_panics_holding_write_guard() {
    let lock = RwLock::<Vec<u8>, SyncFlavor>::new(vec![1]);
    in_dying_thread(|| {
        let mut guard = lock.write();
        guard.push(2);
        panic!("writer thread fails halfway");
    });
    assert_rwlock_usable(lock, &[1, 2]);
}

#[test]
fn sync_thread_panics_inside_with_mut() {
    let lock = RwLock::<Vec<u8>, SyncFlavor>::new(vec![1]);
    in_dying_thread(|| {
        lock.with_mut(|v| {
            v.push(2);
            panic!("writer thread fails halfway");
        });
    });
    assert_rwlock_usable(lock, &[1, 2]);
}

#[test]
fn sync_thread_panics_holding_mutex_guard() {
    let mutex = Mutex::<Vec<u8>, SyncFlavor>::new(vec![1]);
    in_dying_thread(|| {
        let mut guard = mutex.lock();
        guard.push(2);
        panic!("thread fails halfway");
    });
    assert_mutex_usable(mutex, &[1, 2]);
}

#[test]
fn sync_thread_panics_inside_mutex_with_mut() {
    let mutex = Mutex::<Vec<u8>, SyncFlavor>::new(vec![1]);
    in_dying_thread(|| {
        mutex.with_mut(|v| {
            v.push(2);
            panic!("thread fails halfway");
        });
    });
    assert_mutex_usable(mutex, &[1, 2]);
}

/// Other threads that were waiting, and threads that come later, all get in.
#[test]
fn sync_other_threads_keep_working_after_a_panic() {
    let lock = RwLock::<Vec<u8>, SyncFlavor>::new(vec![]);
    in_dying_thread(|| lock.with_mut(|_| panic!("first thread fails")));
    thread::scope(|s| {
        for i in 0..4 {
            let lock = &lock;
            s.spawn(move || lock.write().push(i));
        }
    });
    let mut all = lock.into_inner();
    all.sort_unstable();
    assert_eq!(all, [0, 1, 2, 3]);
}
