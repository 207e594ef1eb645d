use sharecell::Shared;

#[derive(Shared)]
#[shared(handel = AccountRef)]
struct Account {
    #[shared(mutx)]
    log: Vec<String>,
    #[shared(atomic, readonly)]
    id: u64,
    new: u8,
}

// The handle is still generated, so using it adds no "cannot find type" error.
fn use_it(a: &AccountHandle<sharecell::LocalFlavor>) -> u64 {
    a.id().get()
}

fn main() {}
