use sharecell::{Mutex, Sync};

fn main() {
    let log = Mutex::<Vec<u8>, Sync>::new(Vec::new());
    std::thread::scope(|s| {
        let guard = log.lock();
        s.spawn(move || drop(guard));
    });
}
