use sharecell::Shared;

#[derive(Shared)]
#[shared(no_debug = true)]
struct Session {
    user: String,
}

fn main() {}
