use sharecell::Shared;

#[derive(Shared)]
#[shared(handle = 5, weak = 1.5, a::b, padded = true)]
struct Account {
    id: u64,
}

fn main() {}
