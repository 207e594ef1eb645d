//! Unwind safety, in both flavours: a panic inside `with`, `with_mut`, `update`, a clone, or
//! while a guard is held releases the borrow or lock, and the value is usable afterwards. What
//! the value is then is the contract documented on each method, checked here.
#![cfg(not(loom))]

#[macro_use]
mod common;

use common::expect_panic;
use sharecell::{Atom, Flavor, Mutex, RwLock, Shared};

for_both_flavors!(
    rwlock_with_keeps_the_value,
    rwlock_with_mut_keeps_what_was_written,
    rwlock_panic_holding_guards,
    rwlock_get_with_a_panicking_clone_keeps_the_value,
    rwlock_set_stores_even_if_dropping_the_old_value_panics,
    mutex_with_mut_keeps_what_was_written,
    mutex_panic_holding_the_guard,
    atom_update_keeps_the_value,
    atom_get_mut_writes_back_while_unwinding,
    snapshot_with_a_panicking_clone_releases_every_field,
);

/// Every kind of access works after the panic.
fn assert_rwlock_usable<F: Flavor>(lock: &RwLock<Vec<u8>, F>, expected: &[u8]) {
    assert_eq!(*lock.read(), expected);
    assert_eq!(*lock.try_read().expect("released"), expected);
    lock.try_write().expect("released").push(7);
    lock.write().pop();
    assert_eq!(lock.with(Vec::clone), expected);
}

fn rwlock_with_keeps_the_value<F: Flavor>() {
    let lock = RwLock::<Vec<u8>, F>::new(vec![1]);
    expect_panic(|| lock.with(|_| panic!("in with")));
    assert_rwlock_usable(&lock, &[1]);
}

fn rwlock_with_mut_keeps_what_was_written<F: Flavor>() {
    let lock = RwLock::<Vec<u8>, F>::new(vec![1]);
    expect_panic(|| {
        lock.with_mut(|v| {
            v.push(2);
            panic!("in with_mut, after a change");
        })
    });
    assert_rwlock_usable(&lock, &[1, 2]);
}

fn rwlock_panic_holding_guards<F: Flavor>() {
    let lock = RwLock::<Vec<u8>, F>::new(vec![1]);
    expect_panic(|| {
        let mut guard = lock.write();
        guard.push(3);
        panic!("holding a write guard");
    });
    assert_rwlock_usable(&lock, &[1, 3]);
    expect_panic(|| {
        let (_a, _b) = (lock.read(), lock.read());
        panic!("holding two read guards");
    });
    assert_rwlock_usable(&lock, &[1, 3]);
}

/// A `Clone` that panics on demand.
#[derive(Debug, PartialEq, Default)]
struct Fragile(u8);

impl Clone for Fragile {
    fn clone(&self) -> Self {
        assert!(self.0 != 0, "clone of a fragile value");
        Fragile(self.0)
    }
}

fn rwlock_get_with_a_panicking_clone_keeps_the_value<F: Flavor>() {
    let lock = RwLock::<Fragile, F>::new(Fragile(0));
    expect_panic(|| lock.get_cloned());
    assert_eq!(*lock.read(), Fragile(0));
    lock.set(Fragile(4));
    assert_eq!(lock.get_cloned(), Fragile(4));
}

/// Panics when dropped while its flag is set.
struct BombOnDrop(bool);

impl Drop for BombOnDrop {
    fn drop(&mut self) {
        if self.0 && !std::thread::panicking() {
            panic!("dropping the old value");
        }
    }
}

fn rwlock_set_stores_even_if_dropping_the_old_value_panics<F: Flavor>() {
    let lock = RwLock::<BombOnDrop, F>::new(BombOnDrop(true));
    expect_panic(|| lock.set(BombOnDrop(false)));
    assert!(!lock.read().0, "the new value is stored");
    assert!(
        lock.try_write().is_ok(),
        "the lock was released before the old value was dropped"
    );
}

fn mutex_with_mut_keeps_what_was_written<F: Flavor>() {
    let mutex = Mutex::<u32, F>::new(1);
    expect_panic(|| {
        mutex.with_mut(|m| {
            *m = 2;
            panic!("in with_mut");
        })
    });
    assert_eq!(mutex.get_cloned(), 2);
    mutex.with_mut(|m| *m += 1);
    assert_eq!(*mutex.try_lock().expect("released"), 3);
}

fn mutex_panic_holding_the_guard<F: Flavor>() {
    let mutex = Mutex::<Vec<u8>, F>::new(vec![]);
    expect_panic(|| {
        let mut guard = mutex.lock();
        guard.push(5);
        panic!("holding the mutex");
    });
    mutex.lock().push(6);
    assert_eq!(mutex.take(), [5, 6]);
}

fn atom_update_keeps_the_value<F: Flavor>() {
    let atom = Atom::<u32, F>::new(10);
    expect_panic(|| atom.update(|_| panic!("in update")));
    assert_eq!(atom.get(), 10, "the closure's result was never stored");
    assert_eq!(atom.update(|n| n + 1), 10);
    assert_eq!(atom.get(), 11);
    let ratio = Atom::<f64, F>::new(0.5);
    expect_panic(|| ratio.update(|_| panic!("in update")));
    assert_eq!(ratio.fetch_add(1.0), 0.5);
}

fn atom_get_mut_writes_back_while_unwinding<F: Flavor>() {
    let mut atom = Atom::<i64, F>::new(1);
    expect_panic(|| {
        let mut value = atom.get_mut();
        *value = 42;
        panic!("holding the get_mut guard");
    });
    assert_eq!(
        atom.get(),
        42,
        "the guard wrote its value back while unwinding"
    );
}

#[derive(Shared)]
struct Pair {
    left: Fragile,
    #[shared(mutex)]
    right: Vec<u8>,
    count: u32,
}

fn snapshot_with_a_panicking_clone_releases_every_field<F: Flavor>() {
    let pair = PairHandle::<F>::from(Pair {
        left: Fragile(0),
        right: vec![1],
        count: 2,
    });
    expect_panic(|| PairHandle::snapshot(&pair));
    assert!(pair.left().try_write().is_ok(), "released");
    assert!(pair.right().try_lock().is_ok(), "released");
    pair.left().set(Fragile(3));
    let copy = PairHandle::snapshot(&pair);
    assert_eq!(
        (copy.left, copy.right, copy.count),
        (Fragile(3), vec![1], 2)
    );
}
