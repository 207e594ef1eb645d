use sharecell::{Local, Shared};

#[derive(Shared)]
struct Counter {
    hits: u64,
}

fn main() {
    let c = CounterHandle::<Local>::new_local(Counter { hits: 0 });
    std::thread::spawn(move || {
        c.hits().fetch_add(1);
    });
}
