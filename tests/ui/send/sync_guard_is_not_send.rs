use sharecell::{Mutex, SyncFlavor};

fn main() {
    let log = Mutex::<Vec<u8>, SyncFlavor>::new(Vec::new());
    std::thread::scope(|s| {
        let guard = log.lock();
        s.spawn(move || drop(guard));
    });
}
