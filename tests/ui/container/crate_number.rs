use sharecell::Shared;

#[derive(Shared)]
#[shared(crate = 5)]
struct Account {
    id: u64,
}

fn main() {}
