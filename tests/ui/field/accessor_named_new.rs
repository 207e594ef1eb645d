use sharecell::Shared;

#[derive(Shared)]
struct Feed {
    new: Vec<String>,
    seen: Vec<String>,
}

fn main() {}
