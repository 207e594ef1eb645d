use sharecell::Shared;

#[derive(Shared)]
struct Account {
    #[shared(rename)]
    id: u64,
}

fn main() {}
