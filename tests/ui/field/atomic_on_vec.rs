use sharecell::Shared;

#[derive(Shared)]
struct Inbox {
    #[shared(atomic)]
    messages: Vec<String>,
}

fn main() {}
