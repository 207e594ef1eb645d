//! `Debug` of a handle never blocks and never recurses forever.

use sharecell::{DefaultFlavor, Flavor, LocalFlavor, Shared, SyncFlavor};

#[derive(Shared, Debug)]
#[shared(handle = Node, flavor = F)]
struct NodeData<F: Flavor = DefaultFlavor> {
    value: i32,
    adjacent: Vec<Node<F>>,
}

fn cycle<F: Flavor>() -> (Node<F>, Node<F>) {
    let a = Node::from(NodeData {
        value: 1,
        adjacent: vec![],
    });
    let b = Node::from(NodeData {
        value: 2,
        adjacent: vec![a.clone()],
    });
    a.adjacent().write().push(b.clone());
    (a, b)
}

fn prints_a_cycle_once<F: Flavor>() {
    let (a, b) = cycle::<F>();
    assert_eq!(
        format!("{b:?}"),
        "Node { value: 2, adjacent: [Node { value: 1, adjacent: [Node { .. }] }] }"
    );
    // Printing is reentrant per handle, not a one-shot: the same output again.
    assert_eq!(
        format!("{a:?}"),
        "Node { value: 1, adjacent: [Node { value: 2, adjacent: [Node { .. }] }] }"
    );
    assert_eq!(
        format!("{a:?}"),
        "Node { value: 1, adjacent: [Node { value: 2, adjacent: [Node { .. }] }] }"
    );
    // Break the cycle so the nodes are freed.
    drop(a.adjacent().take());
    assert_eq!(Node::strong_count(&b), 1);
}

fn locked_field_prints_locked<F: Flavor>() {
    let (a, b) = cycle::<F>();
    let guard = a.adjacent().write();
    assert_eq!(format!("{a:?}"), "Node { value: 1, adjacent: <locked> }");
    drop(guard);
    drop(b.adjacent().take());
}

#[test]
fn local_cycle() {
    prints_a_cycle_once::<LocalFlavor>();
}

#[test]
fn sync_cycle() {
    prints_a_cycle_once::<SyncFlavor>();
}

#[test]
fn local_locked() {
    locked_field_prints_locked::<LocalFlavor>();
}

#[test]
fn sync_locked_by_this_thread_does_not_deadlock() {
    locked_field_prints_locked::<SyncFlavor>();
}

/// Prints a node whose one neighbour links back to it or not (`cycle`), from a thread-local
/// destructor that runs after the crate's own thread-local (its record of the handles being
/// printed) is gone; returns what was printed.
fn printed_at_thread_teardown(cycle: bool) -> String {
    use std::cell::RefCell;
    use std::sync::mpsc;

    struct PrintOnDrop(Node<LocalFlavor>, mpsc::Sender<String>);

    impl Drop for PrintOnDrop {
        fn drop(&mut self) {
            let _ = self.1.send(format!("{:?}", self.0));
            // Break a cycle, so the nodes are freed.
            drop(self.0.adjacent().take());
        }
    }

    thread_local! {
        static KEEP: RefCell<Option<PrintOnDrop>> = const { RefCell::new(None) };
    }

    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        let node = Node::new_local(NodeData {
            value: 7,
            adjacent: vec![],
        });
        let back = if cycle { vec![node.clone()] } else { vec![] };
        let next = Node::new_local(NodeData {
            value: 8,
            adjacent: back,
        });
        node.adjacent().write().push(next);
        // Registered first, so destroyed after the record that the print below registers.
        KEEP.with(|k| *k.borrow_mut() = Some(PrintOnDrop(node.clone(), send)));
        assert!(format!("{node:?}").starts_with("Node { value: 7"));
    })
    .join()
    .expect("the thread exits without panicking");
    receive.recv().expect("the destructor printed")
}

/// A handle printed from a thread-local destructor, after that record is gone, prints its
/// fields, and does not panic (which would abort the process there).
#[test]
#[cfg_attr(
    miri,
    ignore = "Miri does not run thread-local destructors of spawned threads in order"
)]
fn debug_inside_a_thread_local_destructor() {
    assert_eq!(
        printed_at_thread_teardown(false),
        "Node { value: 7, adjacent: [Node { value: 8, adjacent: [] }] }"
    );
}

/// There too, a cycle is cut where it closes.
#[test]
#[cfg_attr(
    miri,
    ignore = "Miri does not run thread-local destructors of spawned threads in order"
)]
fn a_cycle_inside_a_thread_local_destructor() {
    assert_eq!(
        printed_at_thread_teardown(true),
        "Node { value: 7, adjacent: [Node { value: 8, adjacent: [Node { .. }] }] }"
    );
}

/// A long chain prints whole, each node once (printing costs `n log n`: see BENCHMARKS.md).
#[test]
fn a_long_chain_prints_every_node() {
    let n = if cfg!(miri) { 50 } else { 20_000 };
    let run = move || {
        let mut head = Node::<LocalFlavor>::from(NodeData {
            value: 0,
            adjacent: vec![],
        });
        for value in 1..n {
            head = Node::from(NodeData {
                value,
                adjacent: vec![head],
            });
        }
        let text = format!("{head:?}");
        assert_eq!(text.matches("Node {").count(), n as usize);
        // Dropping a long chain recurses too: unlink it first.
        loop {
            let next = head.adjacent().write().pop();
            match next {
                Some(next) => head = next,
                None => break,
            }
        }
    };
    // Deep recursion: a thread with room for it.
    std::thread::Builder::new()
        .stack_size(1 << 30)
        .spawn(run)
        .expect("thread")
        .join()
        .expect("no panic");
}
