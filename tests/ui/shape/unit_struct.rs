use sharecell::Shared;

#[derive(Shared)]
struct Marker;

fn main() {}
