use sharecell::Shared;

#[derive(Shared)]
struct Account {
    #[shared(handle = Ledger)]
    id: u64,
}

fn main() {}
