use sharecell::Shared;

#[derive(Shared)]
struct Account {
    #[shared(mutex, mutex)]
    log: Vec<String>,
}

fn main() {}
