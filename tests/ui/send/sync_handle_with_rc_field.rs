use std::rc::Rc;

use sharecell::{Shared, SyncFlavor};

#[derive(Shared)]
struct Cache {
    entry: Rc<String>,
}

fn main() {
    let c = CacheHandle::<SyncFlavor>::new_sync(Cache { entry: Rc::new(String::new()) });
    std::thread::spawn(move || {
        let _ = c.entry().get_cloned();
    });
}
