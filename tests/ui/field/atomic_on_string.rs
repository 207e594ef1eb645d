use sharecell::Shared;

#[derive(Shared)]
struct Account {
    #[shared(atomic)]
    owner: String,
}

fn main() {}
