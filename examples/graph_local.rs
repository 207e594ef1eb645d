//! The same graph code as `examples/graph.rs`, on the single-threaded `LocalFlavor` (`Rc` and
//! `RefCell`): only the flavour parameter changes. With no second thread, printing and updating
//! take turns.
//!
//! Run: `cargo run --example graph_local`

#[path = "support/graph.rs"]
mod support;

use sharecell::LocalFlavor;
use support::Graph;

fn main() {
    let graph: Graph<i32, LocalFlavor> = Graph::article([1, 2, 3]);
    for _ in 0..10 {
        graph.print();
        graph.add_to_all(10);
    }
    println!("final:");
    graph.print();
}
