use sharecell::Shared;

#[derive(Shared)]
struct Config {
    #[shared(swap, atomic)]
    level: u8,
}

fn main() {}
