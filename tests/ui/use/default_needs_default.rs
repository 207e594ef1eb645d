use sharecell::{Local, Shared};

#[derive(Shared)]
struct Session {
    id: u64,
}

fn main() {
    let _s: SessionHandle<Local> = Default::default();
}
