use sharecell::Shared;

#[derive(Shared)]
#[shared(flavor = F)]
struct Node<T> {
    value: T,
}

fn main() {}
