use sharecell::{LocalFlavor, Shared};

#[derive(Shared)]
struct Session {
    id: u64,
}

fn main() {
    let _s: SessionHandle<LocalFlavor> = Default::default();
}
