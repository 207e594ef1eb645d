use sharecell::Shared;

#[derive(Shared)]
struct Counters {
    #[shared(padded, unpadded)]
    hits: u64,
}

fn main() {}
