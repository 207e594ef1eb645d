//! Concurrent subtree moves through `transaction` keep a tree: 4 threads move random subtrees
//! of a small outline under random nodes, and afterwards every node is reachable from the root
//! exactly once and every parent link names the node that lists it.

use std::thread;

use sharecell::{Flavor, LocalFlavor, SyncFlavor};

#[path = "../examples/support/outline.rs"]
mod outline;

/// Moves per thread: fewer under Miri, whose interpreter is ~1000x slower.
const MOVES: usize = if cfg!(miri) { 20 } else { 2_000 };

#[test]
fn four_threads_moving_subtrees_keep_the_tree() {
    for round in 0..if cfg!(miri) { 1 } else { 4 } {
        let items = outline::build::<SyncFlavor>(64);
        thread::scope(|s| {
            for w in 0..4 {
                let items = &items;
                s.spawn(move || outline::random_moves(items, round * 16 + w, MOVES));
            }
        });
        outline::check(&items);
        outline::clear(&items);
    }
}

fn moves_on_one_thread<F: Flavor>() {
    let items = outline::build::<F>(32);
    let (moved, restarts) = outline::random_moves(&items, 3, MOVES);
    assert!(moved > 0, "some random moves are allowed");
    assert_eq!(restarts, 0, "nothing else holds a lock");
    outline::check(&items);
    // A node cannot move under its own subtree, nor the root anywhere.
    let (child, _) = (&items[1], &items[0]);
    let grandchild = child.children().read().first().cloned();
    if let Some(grandchild) = grandchild {
        assert_eq!(outline::move_under(child, &grandchild), (false, 1));
    }
    assert_eq!(outline::move_under(&items[0], child), (false, 1));
    outline::check(&items);
    outline::clear(&items);
}

#[test]
fn local_moves_keep_the_tree() {
    moves_on_one_thread::<LocalFlavor>();
}

#[test]
fn sync_moves_on_one_thread_keep_the_tree() {
    moves_on_one_thread::<SyncFlavor>();
}
