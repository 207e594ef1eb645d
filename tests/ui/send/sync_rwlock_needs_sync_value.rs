use std::cell::Cell;

use sharecell::{RwLock, SyncFlavor};

fn share<T: std::marker::Sync>(_: &T) {}

fn main() {
    // `RwLock` hands out `&T` to several threads at once, so `T` must be `Sync`; a `Mutex`
    // would do (`Mutex<T, SyncFlavor>` is `Sync` for any `T: Send`).
    let cell = RwLock::<Cell<u8>, SyncFlavor>::new(Cell::new(0));
    share(&cell);
}
