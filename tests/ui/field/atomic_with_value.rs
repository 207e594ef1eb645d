use sharecell::Shared;

#[derive(Shared)]
struct Account {
    #[shared(atomic = true)]
    id: u64,
}

fn main() {}
