use sharecell::Shared;

#[derive(Shared)]
struct List {
    value: u32,
    next: Option<Box<Self>>,
}

fn main() {}
