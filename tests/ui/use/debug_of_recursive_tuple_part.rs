use sharecell::{LocalFlavor, Shared};

/// Not `Debug`.
struct Label(&'static str);

// Derives: the handle just has no `Debug`, because `Label` has none.
#[derive(Shared)]
struct Tagged {
    id: u32,
    edges: Vec<(TaggedHandle, Label)>,
}

fn main() {
    let t = TaggedHandle::<LocalFlavor>::new_local(Tagged { id: 1, edges: vec![] });
    println!("{t:?}");
}
