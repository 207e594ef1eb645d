//! An outline: a tree whose nodes know their parent and list their children, where any subtree
//! can move under any node that is not inside it. Shared by `examples/tree.rs` and the
//! concurrent-moves test.
//!
//! A move finds its locks while walking: the moved node's parent link names the old parent,
//! whose child list changes, and the new parent's ancestors, up to the root, must be read (and
//! stay unchanged) to refuse a move into the node's own subtree. `lock_all` needs every lock up
//! front; `transaction` takes them as the walk finds them.

use sharecell::{transaction, DefaultFlavor, Flavor, Shared};

/// A node of the outline: the handle type is `Item`, the weak handle `WeakItem`.
#[derive(Shared)]
#[shared(handle = Item, flavor = F)]
pub struct ItemData<F: Flavor = DefaultFlavor> {
    #[shared(readonly)]
    pub id: usize,
    pub parent: Option<WeakItem<F>>,
    pub children: Vec<Item<F>>,
}

impl<F: Flavor> Item<F> {
    /// A node with no links.
    pub fn new_item(id: usize) -> Self {
        Item::from(ItemData {
            id,
            parent: None,
            children: Vec::new(),
        })
    }
}

/// Builds an outline of `count` nodes, node `i` a child of node `i / 2` (node 0 is the root).
pub fn build<F: Flavor>(count: usize) -> Vec<Item<F>> {
    let items: Vec<Item<F>> = (0..count).map(Item::new_item).collect();
    for (i, item) in items.iter().enumerate().skip(1) {
        let parent = &items[i / 2];
        item.parent().set(Some(Item::downgrade(parent)));
        parent.children().write().push(item.clone());
    }
    items
}

/// Moves `node` (with its subtree) to the end of `new_parent`'s children, in one transaction.
/// Returns whether it moved (not when `new_parent` is `node` or inside its subtree, when `node`
/// is the root, or when `new_parent` is its parent already), and how many attempts the
/// transaction took (more than 1 when another thread held a lock it asked for out of order).
pub fn move_under<F: Flavor>(node: &Item<F>, new_parent: &Item<F>) -> (bool, u32) {
    let mut attempts = 0;
    let moved = transaction(|tx| {
        attempts = tx.attempt();
        // Every parent link from `new_parent` up to the root, read and held: while they are,
        // no move can put `new_parent` under `node`.
        let mut ancestors = Vec::new();
        let mut at = new_parent;
        loop {
            if Item::ptr_eq(at, node) {
                return Ok(false); // `new_parent` is `node` or below it
            }
            let up = tx.read(at.parent())?;
            let next = up.as_ref().and_then(|weak| weak.upgrade());
            ancestors.push(up);
            match next {
                Some(parent) => at = tx.keep(parent),
                None => break,
            }
        }
        let mut link = tx.write(node.parent())?;
        let Some(old_parent) = link.as_ref().and_then(|weak| weak.upgrade()) else {
            return Ok(false); // the root stays where it is
        };
        if Item::ptr_eq(&old_parent, new_parent) {
            return Ok(false);
        }
        let old_parent = tx.keep(old_parent);
        let mut old_siblings = tx.write(old_parent.children())?;
        let mut new_siblings = tx.write(new_parent.children())?;
        // Every lock is held: from here on, change freely.
        old_siblings.retain(|child| !Item::ptr_eq(child, node));
        new_siblings.push(node.clone());
        *link = Some(Item::downgrade(new_parent));
        Ok(true)
    });
    (moved, attempts)
}

/// Checks that every node of `items` is reachable from the root exactly once, and that each
/// node's parent link names the node whose child list holds it. Panics otherwise.
pub fn check<F: Flavor>(items: &[Item<F>]) {
    let mut seen = vec![false; items.len()];
    let mut stack = vec![items[0].clone()];
    while let Some(item) = stack.pop() {
        let id = *item.id();
        assert!(!seen[id], "node {id} is reachable twice");
        seen[id] = true;
        // A copy of the list: reading each child's parent link while holding the list would
        // nest two locks against the order the moves take them in.
        let children = item.children().get_cloned();
        for child in &children {
            let up = child.parent().get_cloned().and_then(|weak| weak.upgrade());
            assert!(
                up.is_some_and(|up| Item::ptr_eq(&up, &item)),
                "node {}: its parent link does not name the node that lists it",
                child.id()
            );
            stack.push(child.clone());
        }
    }
    let lost = seen.iter().filter(|seen| !**seen).count();
    assert_eq!(lost, 0, "{lost} nodes are cut off from the root");
}

/// Makes `moves` random moves among `items` (seeded xorshift); returns how many succeeded and
/// how many attempts were restarted.
pub fn random_moves<F: Flavor>(items: &[Item<F>], seed: u64, moves: usize) -> (usize, u64) {
    let mut state = seed | 1;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        usize::try_from(state % items.len() as u64).unwrap_or(0)
    };
    let (mut moved, mut restarts) = (0, 0);
    for _ in 0..moves {
        let (node, new_parent) = (next(), next());
        let (done, attempts) = move_under(&items[node], &items[new_parent]);
        moved += usize::from(done);
        restarts += u64::from(attempts - 1);
    }
    (moved, restarts)
}

/// Unlinks every node, so that the handles drop one by one (and no parent/child cycle of
/// strong handles is left; the parent links are weak anyway).
pub fn clear<F: Flavor>(items: &[Item<F>]) {
    for item in items {
        item.children().take();
    }
}
