use sharecell::Shared;

#[derive(Shared)]
#[shared(handle = Node, flavor = F)]
struct NodeData<T, F> {
    value: T,
    marker: std::marker::PhantomData<F>,
}

fn main() {}
