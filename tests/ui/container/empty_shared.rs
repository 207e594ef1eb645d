use sharecell::Shared;

#[derive(Shared)]
#[shared()]
struct Account {
    id: u64,
}

fn main() {}
