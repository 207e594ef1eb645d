// A read guard mapped to a part that is not `Sync` cannot be shared between threads, whatever
// the whole value is: as std's mapped guards.
use std::cell::Cell;

use sharecell::{MappedReadGuard, SyncFlavor};

fn assert_sync<T: Sync>() {}

fn main() {
    assert_sync::<MappedReadGuard<'static, String, Cell<u8>, SyncFlavor>>();
}
