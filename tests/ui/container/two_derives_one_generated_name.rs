use sharecell::Shared;

#[derive(Shared)]
struct Link {
    a: u8,
}

// Its handle, `WeakLinkHandle`, is also the name of `Link`'s weak handle.
#[derive(Shared)]
struct WeakLink {
    b: u8,
}

fn main() {}
