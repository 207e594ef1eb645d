use sharecell::Shared;

#[derive(Shared)]
struct Backup {
    #[shared(mutex)]
    snapshot: Vec<u8>,
}

fn main() {}
