use sharecell::Shared;

#[derive(Shared)]
struct Account {
    id: u64,
}

// The name of `Account`'s weak handle: one error, and this struct is the one that stays.
struct WeakAccountHandle;

fn main() {
    let _unit = WeakAccountHandle;
}
