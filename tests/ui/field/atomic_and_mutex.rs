use sharecell::Shared;

#[derive(Shared)]
struct Account {
    #[shared(atomic, mutex)]
    balance: i64,
}

fn main() {}
