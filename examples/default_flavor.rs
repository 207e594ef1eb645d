//! Code that always goes through the default flavour (`CounterHandle`, `CounterHandle::new`)
//! compiles in every build; the feature `sync` decides what it is made of.
//!
//! Run: `cargo run --example default_flavor` (prints `Local`), then
//! `cargo run --example default_flavor --features sync` (prints `Sync`).

use sharecell::{DefaultFlavor, Flavor, Shared};

/// A page-view counter.
#[derive(Shared)]
struct Counter {
    views: u64,
    last_path: String,
}

fn main() {
    let counter = CounterHandle::new(Counter {
        views: 0,
        last_path: String::new(),
    });
    for path in ["/", "/about", "/"] {
        counter.views().fetch_add(1);
        counter.last_path().set(path.to_owned());
    }
    println!("this build's default flavour: {}", DefaultFlavor::NAME);
    println!("{counter:?}");
}
