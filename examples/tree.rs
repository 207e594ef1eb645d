//! A tree whose nodes link to their parent, children and siblings, with several threads appending
//! children to one parent at once.
//!
//! Appending changes five links on three nodes; other threads must never see some of them
//! changed and not the others. So `append` takes every link it changes in one `lock_all`
//! call, which holds them all together and cannot deadlock with another `lock_all`.
//!
//! Then an outline (support/outline.rs) where 4 threads move random subtrees under random
//! nodes. A move finds its locks while walking (the old parent, the new parent's ancestors), so
//! it runs as a `transaction`; at the end every node is still reachable once and every link
//! agrees with its reverse.
//!
//! The same generic code runs on the `SyncFlavor` with 4 threads, then on the `LocalFlavor`
//! on one thread.
//!
//! Run: `cargo run --example tree`

use std::thread;
use std::time::Instant;

use sharecell::{lock_all, DefaultFlavor, Flavor, LocalFlavor, Shared, SyncFlavor};

#[path = "support/outline.rs"]
mod outline;

/// A tree node. The derive turns it into the handle type `Node` (and the weak handle
/// `WeakNode`); `flavor = F` lets the links name `Node<F>`, a handle of the node's own flavour.
///
/// Links down and forward are strong handles; links up and back are weak handles, so that no
/// two nodes keep each other alive (that would leak them, as an `Rc` cycle does).
#[derive(Shared)]
#[shared(handle = Node, flavor = F)]
struct NodeData<F: Flavor = DefaultFlavor> {
    #[shared(readonly)]
    value: usize,
    parent: Option<WeakNode<F>>,
    first_child: Option<Node<F>>,
    last_child: Option<Node<F>>,
    previous_sibling: Option<WeakNode<F>>,
    next_sibling: Option<Node<F>>,
}

impl<F: Flavor> Node<F> {
    /// A node with no links.
    fn leaf(value: usize) -> Self {
        Node::from(NodeData {
            value,
            parent: None,
            first_child: None,
            last_child: None,
            previous_sibling: None,
            next_sibling: None,
        })
    }
}

/// Makes `child`, a node not yet in any tree, the last child of `parent`. Returns how many
/// times it had to start again because another thread appended to `parent` first.
///
/// The links to change depend on the current last child (its `next_sibling` changes), which is
/// only known by reading `parent.last_child`. Holding that lock while asking `lock_all` for the
/// others would take locks outside the crate's one lock order, and could deadlock. Instead:
///
/// 1. read (clone) the current last child, holding nothing;
/// 2. take every link to change, `parent.last_child` among them, in one `lock_all`;
/// 3. if `parent.last_child` is no longer the one read in step 1, another append got there
///    first: drop the guards and start again. Otherwise no other append can run until the
///    guards drop, so change the links.
///
/// Only an append that succeeded makes another start again, so all appends together always
/// make progress.
fn append<F: Flavor>(parent: &Node<F>, child: &Node<F>) -> usize {
    assert!(
        !Node::ptr_eq(parent, child),
        "a node cannot be its own child"
    );
    let mut retries = 0;
    loop {
        let old_last = parent.last_child().get_cloned();
        // With no children yet, `first_child` changes; otherwise the old last child's
        // `next_sibling` does. Optional requests (`Option<request>`) take only what is there.
        let (mut last, mut first, mut old_next, mut up, mut back) = lock_all((
            parent.last_child().for_write(),
            old_last.is_none().then(|| parent.first_child().for_write()),
            old_last.as_ref().map(|old| old.next_sibling().for_write()),
            child.parent().for_write(),
            child.previous_sibling().for_write(),
        ));
        let unchanged = match (&*last, &old_last) {
            (None, None) => true,
            (Some(now), Some(old)) => Node::ptr_eq(now, old),
            _ => false,
        };
        if !unchanged {
            retries += 1;
            continue; // the guards drop here
        }
        assert!(up.is_none(), "append: the child is already in a tree");
        if let Some(first) = &mut first {
            **first = Some(child.clone());
        }
        if let Some(old_next) = &mut old_next {
            **old_next = Some(child.clone());
        }
        *last = Some(child.clone());
        *up = Some(Node::downgrade(parent));
        *back = old_last.as_ref().map(Node::downgrade);
        return retries;
    }
}

/// Checks that `parent` has exactly the children `0..count`, each once, that every link
/// agrees with its reverse, and that each worker's children (values `w * per_worker ..`) come
/// in the order the worker appended them. Panics otherwise.
fn check<F: Flavor>(parent: &Node<F>, count: usize, per_worker: usize) {
    let mut seen = vec![false; count];
    let mut last_of_worker = vec![None; count.div_ceil(per_worker)];
    let mut previous: Option<Node<F>> = None;
    let mut next = parent.first_child().get_cloned();
    while let Some(node) = next {
        let value = *node.value();
        assert!(value < count, "unexpected child {value}");
        assert!(!seen[value], "child {value} is in the list twice");
        seen[value] = true;

        let worker = value / per_worker;
        assert!(
            last_of_worker[worker] < Some(value),
            "child {value} comes after a child its worker appended later"
        );
        last_of_worker[worker] = Some(value);

        let up = node.parent().get_cloned().and_then(|weak| weak.upgrade());
        assert!(
            up.is_some_and(|up| Node::ptr_eq(&up, parent)),
            "child {value}: wrong parent"
        );
        let back = node
            .previous_sibling()
            .get_cloned()
            .and_then(|weak| weak.upgrade());
        match (&back, &previous) {
            (None, None) => {}
            (Some(back), Some(previous)) if Node::ptr_eq(back, previous) => {}
            _ => panic!("child {value}: previous_sibling disagrees with next_sibling"),
        }
        assert!(node.first_child().read().is_none() && node.last_child().read().is_none());

        next = node.next_sibling().get_cloned();
        previous = Some(node);
    }
    let last = parent.last_child().get_cloned();
    match (&last, &previous) {
        (None, None) => {}
        (Some(last), Some(previous)) if Node::ptr_eq(last, previous) => {}
        _ => panic!("last_child is not the end of the next_sibling chain"),
    }
    let missing = seen.iter().filter(|seen| !**seen).count();
    assert_eq!(missing, 0, "{missing} children are missing");
}

/// Unlinks the children one at a time. Dropping the parent as it is would free the chain of
/// `next_sibling` handles recursively, one nested call per child, which can overflow the stack
/// for a long list.
fn clear<F: Flavor>(parent: &Node<F>) {
    parent.last_child().take();
    let mut next = parent.first_child().take();
    while let Some(node) = next {
        next = node.next_sibling().take();
    }
}

const WORKERS: usize = 4;
const PER_WORKER: usize = 1_000;
const CHILDREN: usize = WORKERS * PER_WORKER;

fn main() {
    // Sync: 4 threads append to one parent at once. Worker `w` appends the values
    // `w * PER_WORKER ..`, in order.
    let root = Node::<SyncFlavor>::leaf(usize::MAX);
    let retries: usize = thread::scope(|s| {
        let workers: Vec<_> = (0..WORKERS)
            .map(|w| {
                let root = &root;
                s.spawn(move || {
                    (0..PER_WORKER)
                        .map(|i| append(root, &Node::leaf(w * PER_WORKER + i)))
                        .sum::<usize>()
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().expect("a worker panicked"))
            .sum()
    });
    check(&root, CHILDREN, PER_WORKER);
    println!(
        "Sync:  {WORKERS} threads appended {CHILDREN} children to one parent \
         (an append started again {retries} times: another got there first); every child once, \
         every link consistent"
    );
    clear(&root);

    // Local: the same `append` and `check` on one thread, the workers taking turns.
    let root = Node::<LocalFlavor>::leaf(usize::MAX);
    let mut retries = 0;
    for i in 0..PER_WORKER {
        for w in 0..WORKERS {
            retries += append(&root, &Node::leaf(w * PER_WORKER + i));
        }
    }
    assert_eq!(retries, 0, "nothing else appends on one thread");
    check(&root, CHILDREN, PER_WORKER);
    println!(
        "Local: 1 thread appended {CHILDREN} children to one parent; \
         every child once, every link consistent"
    );
    clear(&root);

    moves();
}

const NODES: usize = 64;
const MOVES_PER_WORKER: usize = 4_000;

/// 4 threads × 4,000 random subtree moves on a 64-node outline, then the same on one thread
/// in the `LocalFlavor`.
fn moves() {
    let items = outline::build::<SyncFlavor>(NODES);
    let start = Instant::now();
    let (moved, restarts) = thread::scope(|s| {
        let workers: Vec<_> = (0..WORKERS as u64)
            .map(|w| {
                let items = &items;
                s.spawn(move || outline::random_moves(items, 0x9E37_79B9 + w, MOVES_PER_WORKER))
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().expect("a worker panicked"))
            .fold((0, 0), |(m, r), (dm, dr)| (m + dm, r + dr))
    });
    outline::check(&items);
    println!(
        "Sync:  {WORKERS} threads made {} random subtree moves on {NODES} nodes in {:.0?} \
         ({moved} moved, the rest refused; {restarts} attempts restarted); every node reachable \
         once, every link consistent",
        WORKERS * MOVES_PER_WORKER,
        start.elapsed(),
    );
    outline::clear(&items);

    let items = outline::build::<LocalFlavor>(NODES);
    let (moved, restarts) = outline::random_moves(&items, 7, WORKERS * MOVES_PER_WORKER);
    assert_eq!(restarts, 0, "one thread: no attempt ever restarts");
    outline::check(&items);
    println!(
        "Local: 1 thread made {} random subtree moves on {NODES} nodes ({moved} moved); every \
         node reachable once, every link consistent",
        WORKERS * MOVES_PER_WORKER,
    );
    outline::clear(&items);
}
