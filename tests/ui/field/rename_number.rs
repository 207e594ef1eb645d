use sharecell::Shared;

#[derive(Shared)]
struct Account {
    #[shared(rename = 5)]
    id: u64,
}

fn main() {}
