use sharecell::{LocalFlavor, Shared};

#[derive(Shared)]
struct Counter {
    hits: u64,
}

fn main() {
    let c = CounterHandle::<LocalFlavor>::new_local(Counter { hits: 0 });
    std::thread::spawn(move || {
        c.hits().fetch_add(1);
    });
}
