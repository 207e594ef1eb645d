use sharecell::Shared;

#[derive(Shared)]
struct Message {
    from: String,
    to: String,
}

fn main() {}
