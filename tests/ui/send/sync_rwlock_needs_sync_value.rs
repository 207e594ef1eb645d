use std::cell::Cell;

use sharecell::{RwLock, Sync};

fn share<T: std::marker::Sync>(_: &T) {}

fn main() {
    // `RwLock` hands out `&T` to several threads at once, so `T` must be `Sync`; a `Mutex`
    // would do (`Mutex<T, Sync>` is `Sync` for any `T: Send`).
    let cell = RwLock::<Cell<u8>, Sync>::new(Cell::new(0));
    share(&cell);
}
