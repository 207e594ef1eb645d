//! Transactions against the code people write by hand. Results and how to read them:
//! BENCHMARKS.md.
//!
//! 1. `transaction/...`: one thread, no contention. A transaction taking 2 or 4 locks of one
//!    handle against the same `RefCell` borrows (`LocalFlavor`) or the same std guards, taken
//!    in a fixed order (`SyncFlavor`), by hand, doing the same work. Both sides start from
//!    `black_box(&handle)`.
//! 2. `lock_all/local/4_locks`: `lock_all` of four fields against four borrows by hand.
//! 3. `tree/local/build_100k`: a 100,000-node tree built by linking each new node under a
//!    random earlier one (its parent link and the parent's child list), once through a
//!    transaction per link, once with plain borrows of the same handles, and once with the
//!    original `Rc<RefCell<Node>>` code.

use std::cell::RefCell;
use std::hint::black_box;
use std::rc::{Rc, Weak as RcWeak};
use std::sync::{Arc, Mutex as StdMutex, RwLock as StdRwLock};

use criterion::{criterion_group, criterion_main, Criterion};
use sharecell::{lock_all, transaction, Flavor, LocalFlavor, Shared};

#[path = "support.rs"]
mod support;
use support::pair;

/// Two mutex fields and two rwlock fields of one handle.
#[derive(Shared, Default)]
struct Quad {
    #[shared(mutex)]
    a: i64,
    #[shared(mutex)]
    b: i64,
    #[shared(rwlock)]
    c: i64,
    #[shared(rwlock)]
    d: i64,
}

/// The hand-written `LocalFlavor` twin.
#[derive(Default)]
struct QuadRc {
    a: RefCell<i64>,
    b: RefCell<i64>,
    c: RefCell<i64>,
    d: RefCell<i64>,
}

/// The hand-written `SyncFlavor` twin.
#[derive(Default)]
struct QuadArc {
    a: StdMutex<i64>,
    b: StdMutex<i64>,
    c: StdRwLock<i64>,
    d: StdRwLock<i64>,
}

/// The transaction of 2 locks, the same code in both flavours.
#[inline(always)]
fn two_locks<F: Flavor>(h: &QuadHandle<F>) {
    transaction(|tx| {
        let mut a = tx.lock(h.a())?;
        let mut b = tx.lock(h.b())?;
        *a += 1;
        *b -= 1;
        Ok(())
    });
}

/// The transaction of 4 locks, the same code in both flavours.
#[inline(always)]
fn four_locks<F: Flavor>(h: &QuadHandle<F>) {
    transaction(|tx| {
        let mut a = tx.lock(h.a())?;
        let mut b = tx.lock(h.b())?;
        let c = tx.read(h.c())?;
        let mut d = tx.write(h.d())?;
        *a += 1;
        *b -= 1;
        *d += *c;
        Ok(())
    });
}

/// The four `RefCell` borrows by hand that both the 4-lock transaction and `lock_all` face.
#[inline(always)]
fn four_borrows(s: &QuadRc) {
    let mut a = s.a.borrow_mut();
    let mut b = s.b.borrow_mut();
    let c = s.c.borrow();
    let mut d = s.d.borrow_mut();
    *a += 1;
    *b -= 1;
    *d += *c;
}

fn local(c: &mut Criterion) {
    let h = QuadHandle::new_local(Quad::default());
    let s = Rc::new(QuadRc::default());
    pair(
        c,
        "transaction/local/2_locks",
        || two_locks(black_box(&h)),
        || {
            let s = black_box(&s);
            let mut a = s.a.borrow_mut();
            let mut b = s.b.borrow_mut();
            *a += 1;
            *b -= 1;
        },
    );
    pair(
        c,
        "transaction/local/4_locks",
        || four_locks(black_box(&h)),
        || four_borrows(black_box(&s)),
    );
    pair(
        c,
        "lock_all/local/4_locks",
        || {
            let h = black_box(&h);
            let (mut a, mut b, c, mut d) = lock_all((
                h.a().for_lock(),
                h.b().for_lock(),
                h.c().for_read(),
                h.d().for_write(),
            ));
            *a += 1;
            *b -= 1;
            *d += *c;
        },
        || four_borrows(black_box(&s)),
    );
}

fn sync(c: &mut Criterion) {
    let h = QuadHandle::new_sync(Quad::default());
    let s = Arc::new(QuadArc::default());
    pair(
        c,
        "transaction/sync/2_locks",
        || two_locks(black_box(&h)),
        || {
            let s = black_box(&s);
            let mut a = s.a.lock().unwrap();
            let mut b = s.b.lock().unwrap();
            *a += 1;
            *b -= 1;
        },
    );
    pair(
        c,
        "transaction/sync/4_locks",
        || four_locks(black_box(&h)),
        || {
            let s = black_box(&s);
            let mut a = s.a.lock().unwrap();
            let mut b = s.b.lock().unwrap();
            let c = s.c.read().unwrap();
            let mut d = s.d.write().unwrap();
            *a += 1;
            *b -= 1;
            *d += *c;
        },
    );
}

/// A tree node: a weak link up, strong links down.
#[derive(Shared)]
#[shared(handle = TreeNode, flavor = F)]
struct TreeNodeData<F: Flavor> {
    parent: Option<WeakTreeNode<F>>,
    children: Vec<TreeNode<F>>,
}

impl<F: Flavor> TreeNode<F> {
    fn leaf() -> Self {
        TreeNode::from(TreeNodeData {
            parent: None,
            children: Vec::new(),
        })
    }
}

/// The original code: `Rc<RefCell<Node>>`.
struct RcNode {
    parent: Option<RcWeak<RefCell<RcNode>>>,
    children: Vec<Rc<RefCell<RcNode>>>,
}

const TREE: usize = 100_000;

/// The parent of node `i` (> 0): a random earlier node (xorshift, the same for every build).
fn parents() -> Vec<usize> {
    let mut state = 0x2545_F491_4F6C_DD1D_u64;
    (1..TREE)
        .map(|i| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            usize::try_from(state % i as u64).unwrap_or(0)
        })
        .collect()
}

fn build_with_transactions(parents: &[usize]) -> Vec<TreeNode<LocalFlavor>> {
    let mut nodes = vec![TreeNode::leaf()];
    for &p in parents {
        let (parent, child) = (&nodes[p], TreeNode::leaf());
        transaction(|tx| {
            let mut up = tx.write(child.parent())?;
            let mut down = tx.write(parent.children())?;
            *up = Some(TreeNode::downgrade(parent));
            down.push(child.clone());
            Ok(())
        });
        nodes.push(child);
    }
    nodes
}

fn build_with_borrows(parents: &[usize]) -> Vec<TreeNode<LocalFlavor>> {
    let mut nodes = vec![TreeNode::leaf()];
    for &p in parents {
        let (parent, child) = (&nodes[p], TreeNode::leaf());
        let mut up = child.parent().write();
        let mut down = parent.children().write();
        *up = Some(TreeNode::downgrade(parent));
        down.push(child.clone());
        drop((up, down));
        nodes.push(child);
    }
    nodes
}

fn build_rc(parents: &[usize]) -> Vec<Rc<RefCell<RcNode>>> {
    let leaf = || {
        Rc::new(RefCell::new(RcNode {
            parent: None,
            children: Vec::new(),
        }))
    };
    let mut nodes = vec![leaf()];
    for &p in parents {
        let (parent, child) = (&nodes[p], leaf());
        let mut up = child.borrow_mut();
        let mut down = parent.borrow_mut();
        up.parent = Some(Rc::downgrade(parent));
        down.children.push(Rc::clone(&child));
        drop((up, down));
        nodes.push(child);
    }
    nodes
}

/// Unlinks the children first, so that dropping the tree recurses no deeper than one level.
fn unlink<F: Flavor>(nodes: Vec<TreeNode<F>>) {
    for node in &nodes {
        node.children().take();
    }
}

fn tree(c: &mut Criterion) {
    let parents = parents();
    let mut group = c.benchmark_group("tree/local/build_100k");
    group.sample_size(20);
    group.bench_function("transaction", |b| {
        b.iter(|| unlink(build_with_transactions(black_box(&parents))))
    });
    group.bench_function("borrows", |b| {
        b.iter(|| unlink(build_with_borrows(black_box(&parents))))
    });
    group.bench_function("rc_refcell", |b| {
        b.iter(|| {
            let nodes = build_rc(black_box(&parents));
            for node in &nodes {
                node.borrow_mut().children.clear();
            }
        })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = support::config();
    targets = local, sync, tree
}
criterion_main!(benches);
