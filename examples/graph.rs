//! The graph from "Interior mutability in Rust, part 2: thread safety", on the thread-safe
//! `SyncFlavor`: a second thread prints every node and its neighbours ten times while the main
//! thread adds 10 to every value ten times.
//!
//! Run: `cargo run --example graph`

#[path = "support/graph.rs"]
mod support;

use std::sync::Arc;
use std::thread;

use sharecell::SyncFlavor;
use support::Graph;

fn main() {
    let graph: Arc<Graph<i32, SyncFlavor>> = Arc::new(Graph::article([1, 2, 3]));

    let printer = {
        let graph = Arc::clone(&graph);
        thread::spawn(move || {
            for _ in 0..10 {
                graph.print();
                // Give the main thread a chance to run.
                thread::yield_now();
            }
        })
    };

    for _ in 0..10 {
        graph.add_to_all(10);
        // Give the other thread a chance to run.
        thread::yield_now();
    }

    printer.join().expect("the printing thread panicked");
    println!("final:");
    graph.print();
}
