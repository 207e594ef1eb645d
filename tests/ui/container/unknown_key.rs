use sharecell::Shared;

#[derive(Shared)]
#[shared(handel = AccountRef)]
struct Account {
    id: u64,
}

fn main() {}
