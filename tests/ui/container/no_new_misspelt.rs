use sharecell::Shared;

// `no_new` is a key of the table: the hint finds it.
#[derive(Shared)]
#[shared(no_news)]
struct Point {
    x: i32,
}

fn main() {}
