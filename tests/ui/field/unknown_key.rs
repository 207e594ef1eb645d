use sharecell::Shared;

#[derive(Shared)]
struct Account {
    #[shared(mutx)]
    log: Vec<String>,
}

fn main() {}
