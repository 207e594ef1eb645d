use sharecell::Shared;

#[derive(Shared)]
#[shared = "Node"]
struct Account {
    id: u64,
}

fn main() {}
