//! The article's graph: nodes with an adjacency list, named through the struct's own flavour
//! parameter. On `SyncFlavor`, one thread reads every node and its neighbours while the main thread
//! adds to every value; on `LocalFlavor`, the same code interleaved on one thread; and a tree with
//! weak back-edges.

use std::thread;

use sharecell::{DefaultFlavor, Flavor, LocalFlavor, Shared, SyncFlavor};

#[derive(Shared)]
#[shared(handle = Node, flavor = F)]
struct NodeData<T, F: Flavor = DefaultFlavor> {
    value: T,
    adjacent: Vec<Node<T, F>>,
}

const START: [i32; 3] = [1, 2, 3];
/// The article's edges: 1 -> 2, 1 -> 3, 2 -> 1, 3 -> 1.
const EDGES: [(usize, usize); 4] = [(0, 1), (0, 2), (1, 0), (2, 0)];
const ROUNDS: i32 = 10;
const STEP: i32 = 10;

fn article_graph<F: Flavor>() -> Vec<Node<i32, F>> {
    let nodes: Vec<Node<i32, F>> = START
        .iter()
        .map(|&value| {
            Node::from(NodeData {
                value,
                adjacent: Vec::new(),
            })
        })
        .collect();
    for (from, to) in EDGES {
        nodes[from].adjacent().write().push(nodes[to].clone());
    }
    nodes
}

/// Every node's value with its neighbours' values, as the article's printing thread reads them.
fn read_all<F: Flavor>(nodes: &[Node<i32, F>]) -> Vec<(i32, Vec<i32>)> {
    nodes
        .iter()
        .map(|node| {
            let neighbours = node
                .adjacent()
                .with(|adj| adj.iter().map(|n| n.value().get_cloned()).collect());
            (node.value().get_cloned(), neighbours)
        })
        .collect()
}

fn add_to_all<F: Flavor>(nodes: &[Node<i32, F>], delta: i32) {
    for node in nodes {
        node.value().with_mut(|v| *v += delta);
    }
}

/// Each value seen while the writer runs is its start value plus a whole number of steps,
/// never more than the writer adds in total.
fn assert_plausible(seen: &[(i32, Vec<i32>)]) {
    let plausible = |start: i32, v: i32| {
        (v - start) % STEP == 0 && (start..=start + ROUNDS * STEP).contains(&v)
    };
    for (i, (value, neighbours)) in seen.iter().enumerate() {
        assert!(plausible(START[i], *value), "node {i}: {value}");
        let targets = EDGES
            .iter()
            .filter(|(from, _)| *from == i)
            .map(|(_, to)| *to);
        assert_eq!(neighbours.len(), targets.clone().count());
        for (to, v) in targets.zip(neighbours) {
            assert!(plausible(START[to], *v), "neighbour {to} of {i}: {v}");
        }
    }
}

fn assert_final<F: Flavor>(nodes: &[Node<i32, F>]) {
    let expected: Vec<(i32, Vec<i32>)> =
        vec![(101, vec![102, 103]), (102, vec![101]), (103, vec![101])];
    assert_eq!(read_all(nodes), expected);
}

/// The edges form cycles (1 -> 2 -> 1); clearing them frees the nodes.
fn break_cycles<F: Flavor>(nodes: Vec<Node<i32, F>>) {
    let weak: Vec<_> = nodes.iter().map(Node::downgrade).collect();
    for node in &nodes {
        drop(node.adjacent().take());
    }
    drop(nodes);
    assert!(weak.iter().all(|w| w.upgrade().is_none()));
}

#[test]
fn sync_graph_across_threads() {
    let nodes = article_graph::<SyncFlavor>();
    let reader = {
        let nodes = nodes.clone();
        thread::spawn(move || {
            for _ in 0..10 {
                assert_plausible(&read_all(&nodes));
                thread::yield_now();
            }
        })
    };
    for _ in 0..ROUNDS {
        add_to_all(&nodes, STEP);
        thread::yield_now();
    }
    reader.join().expect("the reading thread panicked");
    assert_final(&nodes);
    break_cycles(nodes);
}

/// Several readers share the graph with scoped threads; the values still add up exactly.
#[test]
fn sync_graph_scoped_readers() {
    let nodes = article_graph::<SyncFlavor>();
    thread::scope(|s| {
        for _ in 0..3 {
            s.spawn(|| {
                for _ in 0..10 {
                    assert_plausible(&read_all(&nodes));
                }
            });
        }
        for _ in 0..ROUNDS {
            add_to_all(&nodes, STEP);
        }
    });
    assert_final(&nodes);
    break_cycles(nodes);
}

#[test]
fn local_graph_interleaved() {
    let nodes = article_graph::<LocalFlavor>();
    for _ in 0..ROUNDS {
        assert_plausible(&read_all(&nodes));
        add_to_all(&nodes, STEP);
    }
    assert_final(&nodes);
    break_cycles(nodes);
}

#[test]
fn graph_in_default_flavour() {
    let node: Node<i32> = Node::new(NodeData {
        value: 1,
        adjacent: Vec::new(),
    });
    node.adjacent().write().push(Node::new(NodeData {
        value: 2,
        adjacent: Vec::new(),
    }));
    assert_eq!(read_all(&[node]), [(1, vec![2])]);
}

// ---- weak back-edges ----

#[derive(Shared)]
#[shared(handle = Member, weak = WeakMember, flavor = F)]
struct MemberData<F: Flavor = DefaultFlavor> {
    name: String,
    parent: WeakMember<F>,
    children: Vec<Member<F>>,
}

fn member<F: Flavor>(name: &str, parent: WeakMember<F>) -> Member<F> {
    Member::from(MemberData {
        name: name.to_owned(),
        parent,
        children: Vec::new(),
    })
}

fn add_child<F: Flavor>(parent: &Member<F>, name: &str) -> Member<F> {
    let child = member(name, Member::downgrade(parent));
    parent.children().write().push(child.clone());
    child
}

fn parent_name<F: Flavor>(m: &Member<F>) -> Option<String> {
    m.parent().read().upgrade().map(|p| p.name().get_cloned())
}

/// Children point back with weak handles: no cycle keeps the tree alive.
fn weak_back_edges<F: Flavor>() {
    let root = member::<F>("root", WeakMember::new());
    let a = add_child(&root, "a");
    let b = add_child(&a, "b");
    assert_eq!(parent_name(&b).as_deref(), Some("a"));
    assert_eq!(parent_name(&a).as_deref(), Some("root"));
    assert_eq!(parent_name(&root), None);
    assert_eq!(
        (Member::strong_count(&root), Member::weak_count(&root)),
        (1, 1)
    );
    assert_eq!((Member::strong_count(&a), Member::weak_count(&a)), (2, 1));
    let weak_root = Member::downgrade(&root);
    drop(root);
    // The only strong handle to the root is gone: the tree below it is freed, except for
    // what this test still holds.
    assert!(weak_root.upgrade().is_none());
    assert_eq!(parent_name(&a), None);
    assert_eq!(Member::strong_count(&a), 1);
    assert_eq!(parent_name(&b).as_deref(), Some("a"));
}

#[test]
fn weak_back_edges_local() {
    weak_back_edges::<LocalFlavor>();
}

#[test]
fn weak_back_edges_sync() {
    weak_back_edges::<SyncFlavor>();
}

/// In `SyncFlavor`, a child on another thread finds its parent through the weak edge.
#[test]
fn weak_back_edges_across_threads() {
    let root = member::<SyncFlavor>("root", WeakMember::new());
    let child = add_child(&root, "child");
    let seen = thread::spawn(move || parent_name(&child))
        .join()
        .expect("no panic");
    assert_eq!(seen.as_deref(), Some("root"));
    assert_eq!(root.children().read().len(), 1);
}
