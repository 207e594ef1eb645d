//! The graph of "Interior mutability in Rust, part 2: thread safety", written once with
//! `#[derive(Shared)]` and generic over the flavour. `examples/graph.rs` runs it on `SyncFlavor` with a
//! second thread, `examples/graph_local.rs` on `LocalFlavor`.

use std::fmt::Debug;
use std::ops::AddAssign;

use sharecell::{DefaultFlavor, Flavor, Shared};

/// A node: a value and its outgoing edges. The derive turns it into the handle type `Node`.
#[derive(Shared)]
#[shared(handle = Node, flavor = F)]
pub struct NodeData<T, F: Flavor = DefaultFlavor> {
    /// The node's value (behind an `RwLock`: `RefCell` on `LocalFlavor`, `RwLock` on `SyncFlavor`).
    pub value: T,
    /// Directed edges to other nodes.
    pub adjacent: Vec<Node<T, F>>,
}

impl<T, F: Flavor> Node<T, F> {
    /// A node with no edges.
    pub fn with_value(value: T) -> Self {
        Node::from(NodeData {
            value,
            adjacent: Vec::new(),
        })
    }

    /// Adds a directed edge from this node to `other`.
    pub fn add_adjacent(&self, other: &Node<T, F>) {
        self.adjacent().write().push(other.clone());
    }
}

/// The article's graph: a list of nodes.
pub struct Graph<T, F: Flavor = DefaultFlavor> {
    pub nodes: Vec<Node<T, F>>,
}

impl<T: Copy + Debug + AddAssign, F: Flavor> Graph<T, F> {
    /// The article's three nodes and four edges (1 -> 2, 1 -> 3, 2 -> 1, 3 -> 1).
    pub fn article(values: [T; 3]) -> Self {
        let [a, b, c] = values.map(Node::with_value);
        a.add_adjacent(&b);
        a.add_adjacent(&c);
        b.add_adjacent(&a);
        c.add_adjacent(&a);
        Graph {
            nodes: vec![a, b, c],
        }
    }

    /// Prints every node and its neighbours.
    pub fn print(&self) {
        for node in &self.nodes {
            let value = node.value().get_cloned();
            let neighbours: Vec<T> = node
                .adjacent()
                .with(|adj| adj.iter().map(|n| n.value().get_cloned()).collect());
            println!("node ({value:?}) is connected to: {neighbours:?}");
        }
    }

    /// Adds `delta` to every node's value.
    pub fn add_to_all(&self, delta: T) {
        for node in &self.nodes {
            node.value().with_mut(|v| *v += delta);
        }
    }
}

impl<T, F: Flavor> Drop for Graph<T, F> {
    /// The edges form cycles (1 -> 2 -> 1); clearing them lets the nodes be freed.
    fn drop(&mut self) {
        for node in &self.nodes {
            drop(node.adjacent().take());
        }
    }
}
