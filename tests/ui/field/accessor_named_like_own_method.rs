use sharecell::{Flavor, Shared};

#[derive(Shared)]
struct Account {
    owner: String,
    balance: i64,
}

impl<F: Flavor> AccountHandle<F> {
    /// The user's own method, named like the accessor of `owner`.
    fn owner(&self) -> String {
        String::new()
    }
}

fn main() {}
