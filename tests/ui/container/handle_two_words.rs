use sharecell::Shared;

#[derive(Shared)]
#[shared(handle = "two words")]
struct Account {
    id: u64,
}

fn main() {}
