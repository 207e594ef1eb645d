//! `Debug` of a handle never blocks and never recurses forever.

use sharecell::{DefaultFlavor, Flavor, Local, Shared, Sync};

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
    prints_a_cycle_once::<Local>();
}

#[test]
fn sync_cycle() {
    prints_a_cycle_once::<Sync>();
}

#[test]
fn local_locked() {
    locked_field_prints_locked::<Local>();
}

#[test]
fn sync_locked_by_this_thread_does_not_deadlock() {
    locked_field_prints_locked::<Sync>();
}
