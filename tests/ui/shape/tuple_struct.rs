use sharecell::Shared;

#[derive(Shared)]
struct Point(i32, i32);

fn main() {}
