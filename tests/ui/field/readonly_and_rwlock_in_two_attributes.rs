use sharecell::Shared;

#[derive(Shared)]
struct Account {
    #[shared(readonly)]
    #[shared(rwlock)]
    owner: String,
}

fn main() {}
