use sharecell::Shared;

// Its handle, `WeakLinkHandle`, is also the name of `Link`'s weak handle, derived after it.
#[derive(Shared)]
struct WeakLink {
    b: u8,
}

#[derive(Shared)]
struct Link {
    a: u8,
}

fn main() {}
