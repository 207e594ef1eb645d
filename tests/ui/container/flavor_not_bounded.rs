use sharecell::Shared;

// `F` links to handles of its own flavour, so the struct itself needs `F: Flavor`.
#[derive(Shared)]
#[shared(handle = Node, flavor = F)]
struct NodeData<T, F> {
    value: T,
    next: Option<Node<T, F>>,
}

fn main() {}
