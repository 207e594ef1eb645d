use sharecell::Shared;

#[derive(Shared)]
struct Upload {
    #[shared(once)]
    digest: u64,
}

fn main() {}
