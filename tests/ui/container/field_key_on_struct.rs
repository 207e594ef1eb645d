use sharecell::Shared;

#[derive(Shared)]
#[shared(mutex)]
struct Account {
    id: u64,
}

fn main() {}
