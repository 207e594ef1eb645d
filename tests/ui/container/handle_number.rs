use sharecell::Shared;

#[derive(Shared)]
#[shared(handle = 5)]
struct Account {
    id: u64,
}

fn main() {}
