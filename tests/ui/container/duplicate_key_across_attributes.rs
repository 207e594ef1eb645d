use sharecell::Shared;

#[derive(Shared)]
#[shared(weak = WeakA)]
#[shared(weak = WeakB)]
struct Account {
    id: u64,
}

fn main() {}
