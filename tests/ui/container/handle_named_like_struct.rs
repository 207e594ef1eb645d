use sharecell::Shared;

#[derive(Shared)]
#[shared(handle = Account)]
struct Account {
    id: u64,
}

fn main() {}
