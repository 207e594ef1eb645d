use sharecell::Shared;

#[derive(Shared)]
#[shared(handle = AccountRef, handle = AccountPtr)]
struct Account {
    id: u64,
}

fn main() {}
