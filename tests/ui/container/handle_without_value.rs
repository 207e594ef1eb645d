use sharecell::Shared;

#[derive(Shared)]
#[shared(handle)]
struct Account {
    id: u64,
}

fn main() {}
