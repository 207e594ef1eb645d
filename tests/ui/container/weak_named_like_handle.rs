use sharecell::Shared;

#[derive(Shared)]
#[shared(handle = Account2, weak = Account2)]
struct Account {
    id: u64,
}

fn main() {}
