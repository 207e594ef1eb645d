//! The std traits of `Cell` and `RefCell` on every cell, in both flavours: `Clone` makes an
//! independent cell, the comparisons compare values, a cell compared with itself is read once,
//! and a lock held by this thread's write guard panics (`LocalFlavor`, at the caller's line, as
//! `RefCell` does) or is waited for (`SyncFlavor`).
#![cfg(not(loom))]

#[macro_use]
mod common;

use std::cmp::Ordering;
use std::sync::atomic::{AtomicBool, Ordering::Relaxed};
use std::thread;
use std::time::Duration;

use common::{at, iterations, panic_message_and_place};
use sharecell::{Atom, Flavor, LocalFlavor, Mutex, Once, RwLock, Swap, SyncFlavor};

for_both_flavors!(
    clone_is_an_independent_cell,
    cells_compare_by_value,
    cell_compared_with_itself_is_read_once,
    floats_compare_as_floats,
    default_is_the_values_default,
);

fn clone_is_an_independent_cell<F: Flavor>() {
    let atom = Atom::<u32, F>::new(1);
    let copy = atom.clone();
    atom.set(2);
    assert_eq!((atom.get(), copy.get()), (2, 1));

    let lock = RwLock::<Vec<u8>, F>::new(vec![1]);
    let copy = lock.clone();
    lock.with_mut(|v| v.push(2));
    assert_eq!(
        (lock.get_cloned(), copy.get_cloned()),
        (vec![1, 2], vec![1])
    );

    let mutex = Mutex::<String, F>::new("a".to_owned());
    let copy = mutex.clone();
    mutex.lock().push('b');
    assert_eq!(
        (mutex.get_cloned(), copy.get_cloned()),
        ("ab".into(), "a".into())
    );

    let swap = Swap::<String, F>::new("old".to_owned());
    let copy = swap.clone();
    swap.store("new".to_owned());
    assert_eq!((swap.load().as_str(), copy.load().as_str()), ("new", "old"));

    let once = Once::<u8, F>::new(None);
    let copy = once.clone();
    assert_eq!(once.set(1), Ok(()));
    assert_eq!((once.get(), copy.get()), (Some(&1), None));
    assert_eq!(once.clone().get(), Some(&1));
}

/// `a == b`, `a < b` and `a.cmp(&b)` for each cell, against the values' own answers.
fn compare_like_values<C: Ord, T: Ord + Copy>(cell: impl Fn(T) -> C, a: T, b: T) {
    let (x, y) = (cell(a), cell(b));
    assert_eq!(x == y, a == b);
    assert_eq!(x != y, a != b);
    assert_eq!(x.partial_cmp(&y), a.partial_cmp(&b));
    assert_eq!(x.cmp(&y), a.cmp(&b));
    assert_eq!(x < y, a < b);
}

fn cells_compare_by_value<F: Flavor>() {
    for (a, b) in [(1, 2), (2, 1), (3, 3)] {
        compare_like_values(Atom::<i32, F>::new, a, b);
        compare_like_values(RwLock::<i32, F>::new, a, b);
        compare_like_values(Mutex::<i32, F>::new, a, b);
        compare_like_values(Swap::<i32, F>::new, a, b);
        compare_like_values(|v| Once::<i32, F>::new(Some(v)), a, b);
    }
    // As `Option<&T>`: unset is less than set.
    assert!(Once::<i32, F>::new(None) < Once::new(Some(i32::MIN)));
    assert_eq!(Once::<i32, F>::new(None), Once::new(None));
}

/// Two read guards of one lock on one thread, or one mutex locked twice, would panic or wait
/// for ever: a cell compared with itself is read once.
fn cell_compared_with_itself_is_read_once<F: Flavor>() {
    let lock = RwLock::<String, F>::new("x".to_owned());
    let mutex = Mutex::<String, F>::new("x".to_owned());
    #[allow(clippy::eq_op)] // the point of the test
    {
        assert!(lock == lock);
        assert!(mutex == mutex);
        assert_eq!(lock.cmp(&lock), Ordering::Equal);
        assert_eq!(mutex.partial_cmp(&mutex), Some(Ordering::Equal));
    }
    // NaN is not equal to itself, in a cell too.
    let nan = RwLock::<f64, F>::new(f64::NAN);
    #[allow(clippy::eq_op)]
    {
        assert!(nan != nan);
    }
}

fn floats_compare_as_floats<F: Flavor>() {
    assert!(Atom::<f64, F>::new(f64::NAN) != Atom::new(f64::NAN));
    assert_eq!(Atom::<f64, F>::new(0.0), Atom::new(-0.0));
    assert_eq!(
        Mutex::<f64, F>::new(1.0).partial_cmp(&Mutex::new(f64::NAN)),
        None
    );
}

fn default_is_the_values_default<F: Flavor>() {
    assert_eq!(Atom::<u8, F>::default().get(), 0);
    assert_eq!(RwLock::<String, F>::default().get_cloned(), "");
    assert_eq!(
        Mutex::<Vec<u8>, F>::default().get_cloned(),
        Vec::<u8>::new()
    );
    assert_eq!(*Swap::<u8, F>::default().load(), 0);
    assert_eq!(Once::<u8, F>::default().get(), None);
}

/// `LocalFlavor`: like `RefCell`, cloning or comparing a lock this thread has write-locked
/// panics, at the caller's line.
#[test]
fn local_clone_or_compare_of_a_write_locked_cell_panics_at_the_caller() {
    let lock = RwLock::<u8, LocalFlavor>::new(1);
    let other = RwLock::<u8, LocalFlavor>::new(1);
    let _writing = lock.write();
    let (message, place) = panic_message_and_place(|| lock.clone());
    assert_eq!(place, at(line!() - 1), "{message}");
    let (message, place) = panic_message_and_place(|| lock == other);
    assert_eq!(place, at(line!() - 1), "{message}");
    let (message, place) = panic_message_and_place(|| other.cmp(&lock));
    assert_eq!(place, at(line!() - 1), "{message}");

    let mutex = Mutex::<u8, LocalFlavor>::new(1);
    let _locked = mutex.lock();
    let (message, place) = panic_message_and_place(|| mutex == mutex);
    assert_eq!(place, at(line!() - 1), "{message}");
}

/// `SyncFlavor`: a write guard of another thread is waited for.
#[test]
fn sync_clone_and_compare_wait_for_another_threads_write_guard() {
    let lock = RwLock::<u32, SyncFlavor>::new(1);
    let other = RwLock::<u32, SyncFlavor>::new(2);
    let (locked, release) = (std::sync::Barrier::new(2), AtomicBool::new(false));
    thread::scope(|s| {
        s.spawn(|| {
            let mut guard = lock.write();
            locked.wait();
            thread::sleep(Duration::from_millis(50));
            *guard = 2;
            release.store(true, Relaxed);
        });
        locked.wait();
        assert!(lock == other, "read after the writer stored 2");
        assert!(release.load(Relaxed));
        assert_eq!(lock.clone().get_cloned(), 2);
    });
}

/// `SyncFlavor`, debug builds: comparing a lock this thread has write-locked would wait for
/// ever; the re-entrancy check panics instead, at the caller's line.
#[cfg(debug_assertions)]
#[test]
fn sync_compare_of_a_lock_this_thread_writes_panics_at_the_caller() {
    let lock = RwLock::<u8, SyncFlavor>::new(1);
    let other = RwLock::<u8, SyncFlavor>::new(1);
    let _writing = lock.write();
    let (message, place) = panic_message_and_place(|| other == lock);
    assert_eq!(place, at(line!() - 1), "{message}");
    let (message, place) = panic_message_and_place(|| lock.clone());
    assert_eq!(place, at(line!() - 1), "{message}");
}

/// `a == b` on one thread and `b == a` on another take both locks in one order: no deadlock,
/// also while a third thread writes both.
#[test]
fn sync_comparisons_in_both_directions_do_not_deadlock() {
    let a = Mutex::<u64, SyncFlavor>::new(0);
    let b = Mutex::<u64, SyncFlavor>::new(0);
    let (x, y) = (
        RwLock::<u64, SyncFlavor>::new(0),
        RwLock::<u64, SyncFlavor>::new(0),
    );
    let n = iterations(20_000);
    thread::scope(|s| {
        s.spawn(|| (0..n).filter(|_| a == b).count());
        s.spawn(|| (0..n).filter(|_| b == a).count());
        s.spawn(|| (0..n).filter(|_| x < y).count());
        s.spawn(|| (0..n).filter(|_| y > x).count());
        s.spawn(|| {
            for i in 0..n as u64 {
                *a.lock() = i;
                *b.lock() = i;
                *x.write() = i;
                *y.write() = i;
            }
        });
    });
    assert!(a == b && x == y);
}
