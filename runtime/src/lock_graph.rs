//! The process-wide lock-order graph of debug builds: deadlock detection by lock order, in the
//! manner of Linux's lockdep and the `tracing-mutex` crate.
//!
//! Every time a thread that holds locks `h1, h2, ..` blocks on a lock `n`, the edges `h1 -> n`,
//! `h2 -> n`, .. join one graph shared by the whole process. As long as the graph stays acyclic,
//! all the orders seen so far agree with one global lock order, so no interleaving of them can
//! deadlock. The first acquisition whose edge would close a cycle is reported (an [`Inversion`]),
//! whether or not this run actually deadlocked: two threads taking `a` then `b` and `b` then `a`
//! *can* deadlock, even if in this run they never overlapped.
//!
//! # API
//!
//! ```text
//! pub(crate) type LockNode = u64;                          // a live lock, by a never-reused id
//! pub(crate) type Site = &'static Location<'static>;       // where an acquisition was made
//! pub(crate) struct Inversion { .. }                       // a cycle found, with its sites
//! pub(crate) struct Edge { from, to, from_site, to_site }  // one edge of the earlier order
//!
//! pub(crate) fn before_acquire(held: &[(LockNode, Site)], new: LockNode, site: Site)
//!     -> Result<(), Inversion>;
//! pub(crate) fn forget(node: LockNode);
//!
//! impl Inversion {
//!     fn held(&self) -> LockNode;          // the held lock of the new order
//!     fn held_site(&self) -> Site;         // where it was taken
//!     fn new_lock(&self) -> LockNode;      // the lock being acquired
//!     fn site(&self) -> Site;              // where it is being acquired
//!     fn earlier_from_site(&self) -> Site; // the earlier order: where `new_lock` was taken ..
//!     fn earlier_site(&self) -> Site;      // .. and where the next lock was then taken
//!     fn path(&self) -> impl Iterator<Item = Edge>; // the earlier order new_lock -> .. -> held
//!     fn path_len(&self) -> usize;         // its number of edges (1: a plain `a b` / `b a`)
//! }
//! impl Display for Inversion { .. }        // a default message naming all of the above
//! ```
//!
//! [`Graph`] holds the algorithm and is usable on its own (the tests use private instances);
//! [`before_acquire`] and [`forget`] are thin wrappers over the one global graph.
//!
//! # Algorithm and cost
//!
//! The graph is kept acyclic with the dynamic topological order of Pearce and Kelly ("A Dynamic
//! Topological Sort Algorithm for Directed Acyclic Graphs", JEA 2007): every node has an order
//! index `ord`, with `ord(x) < ord(y)` for every edge `x -> y`.
//!
//! - An edge that already exists (the steady state of a program: the same nestings again and
//!   again) costs one hash lookup per held lock, and nothing is written. A thread that holds no
//!   lock does not even take the graph's mutex.
//! - A new edge `x -> y` with `ord(x) < ord(y)` is inserted without any search. In particular a
//!   lock that is new to the graph gets an index below all others when it is the held lock, or
//!   above all others when it is the acquired one, so the first nesting of a fresh lock never
//!   searches.
//! - Otherwise only the affected region `ord(y) ..= ord(x)` is searched: breadth-first forward
//!   from `y` through nodes below `ord(x)` (reaching `x` means a cycle: the search's parent links
//!   give the shortest earlier path `y -> .. -> x`), then backward from `x` through nodes above
//!   `ord(y)`; the nodes found then share out their own indices again, those that reach `x`
//!   taking the lower ones. The cost is that of the two searches, linear in the size of the
//!   region (its nodes and their edges) plus a sort of the nodes found, not in the size of the
//!   graph; a new edge that agrees with the order costs two hash inserts.
//!
//! The graph only holds locks that were ever nested with another lock and still live:
//! nodes are created on their first edge and removed by [`forget`], and a node that loses its
//! last edge (because its only neighbours were forgotten, or because a failed call rolled back)
//! is removed as well. [`forget`] costs an atomic load when the graph is empty, else one hash
//! lookup under the mutex for a lock that is not in the graph, and time linear in the node's
//! edges for one that is.
//!
//! # What the caller must know
//!
//! - Call [`before_acquire`] before *every* blocking acquisition, also when the lock happens to be
//!   free (a `try_lock` that would succeed): the point is to catch orders that *could* deadlock,
//!   in runs that did not. Non-blocking attempts (`try_lock`) cannot deadlock and need no call, but
//!   a lock they obtained belongs in `held` of later calls, like any other held lock.
//! - Lock ids must never be reused, and [`forget`] must be called when a lock is freed, after its
//!   last [`before_acquire`] (naturally: from its `Drop`). Otherwise a new lock would be judged by
//!   an old one's order.
//! - The graph's own mutex is a leaf: this module calls no user code, takes no other lock, and
//!   touches no thread-local while holding it, and it never panics while holding it. Callers may
//!   hold anything (sharecell locks, a borrow of their thread-local list of held locks, which
//!   `held` may well be a slice of) while calling in, but must not call in from code that already
//!   runs under the graph's mutex (there is none outside this module). Both functions may run
//!   during unwinding and in thread-local destructors (no thread-locals are used here).
//! - Nothing here panics; on an inversion, the caller builds its message from the [`Inversion`]
//!   (or its `Display`) and panics itself, after the graph's mutex has been released. A failed
//!   call records none of its edges, so after a caught panic the program's graph is as before.
//! - Read and write acquisitions are not told apart: two threads that take reads of `a` and `b` in
//!   opposite orders are reported, which is right for std's `RwLock` (a queued writer blocks new
//!   readers, so read/read inversions can deadlock as soon as writers join).
//! - Poisoning of the graph's mutex (impossible, as nothing panics under it) is ignored.

use std::collections::{HashMap, HashSet, VecDeque};
use std::fmt;
use std::hash::{BuildHasherDefault, Hasher};
use std::panic::Location;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

/// A node: one live lock, identified by a process-unique id. Ids are never reused; the caller
/// allocates them from an `AtomicU64`.
pub(crate) type LockNode = u64;

/// Where an acquisition was made (from `#[track_caller]` / [`Location::caller`]).
pub(crate) type Site = &'static Location<'static>;

/// One edge `from -> to` of the lock order: lock `to` was acquired at `to_site` by a thread that
/// held lock `from`, which it had acquired at `from_site`. The sites are those of the first time
/// the edge was seen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Edge {
    /// The lock that was held.
    pub(crate) from: LockNode,
    /// The lock that was acquired while `from` was held.
    pub(crate) to: LockNode,
    /// Where `from` had been acquired.
    pub(crate) from_site: Site,
    /// Where `to` was acquired.
    pub(crate) to_site: Site,
}

/// What closed a cycle: a thread holding [`held`](Self::held) (taken at
/// [`held_site`](Self::held_site)) is about to acquire [`new_lock`](Self::new_lock) at
/// [`site`](Self::site), but an earlier order already leads the other way, from `new_lock` to
/// `held` ([`path`](Self::path)). With a path of length 1 a message can say "`b` then `a` here
/// (`site`), but `a` then `b` at `earlier_site`".
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Inversion {
    /// The held lock whose edge to `new` would have closed the cycle.
    held: LockNode,
    /// Where `held` was acquired.
    held_site: Site,
    /// The lock being acquired.
    new: LockNode,
    /// Where `new` is being acquired.
    site: Site,
    /// The first edge of the earlier path, out of `new`.
    first: Edge,
    /// The other edges of the earlier path, in order; the last one ends at `held`.
    rest: Vec<Edge>,
}

impl Inversion {
    /// The held lock that the new acquisition conflicts with.
    pub(crate) fn held(&self) -> LockNode {
        self.held
    }

    /// Where [`held`](Self::held) was acquired (the `site` it had in `held`).
    pub(crate) fn held_site(&self) -> Site {
        self.held_site
    }

    /// The lock whose acquisition closed the cycle.
    pub(crate) fn new_lock(&self) -> LockNode {
        self.new
    }

    /// Where [`new_lock`](Self::new_lock) is being acquired (the `site` of `before_acquire`).
    pub(crate) fn site(&self) -> Site {
        self.site
    }

    /// The earlier order: where the next lock on the path (with a path of length 1, the held
    /// lock itself) was acquired while [`new_lock`](Self::new_lock) was held.
    pub(crate) fn earlier_site(&self) -> Site {
        self.first.to_site
    }

    /// The earlier order: where [`new_lock`](Self::new_lock) had been acquired before the next
    /// lock on the path was taken at [`earlier_site`](Self::earlier_site).
    pub(crate) fn earlier_from_site(&self) -> Site {
        self.first.from_site
    }

    /// The earlier order as a path of edges `new_lock -> .. -> held`, a shortest one.
    pub(crate) fn path(&self) -> impl Iterator<Item = Edge> + '_ {
        std::iter::once(self.first).chain(self.rest.iter().copied())
    }

    /// The number of edges of [`path`](Self::path): 1 when the two locks were once nested the
    /// other way round directly, more when the earlier order goes through other locks.
    pub(crate) fn path_len(&self) -> usize {
        1 + self.rest.len()
    }
}

/// A default message: "lock order inversion: lock #2 is acquired at b.rs:9:5 while lock #1
/// (acquired at b.rs:8:5) is held, but the earlier order took lock #1 at a.rs:4:5 while holding
/// lock #2 (acquired at a.rs:3:5)".
impl fmt::Display for Inversion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "lock order inversion: lock #{} is acquired at {} while lock #{} (acquired at {}) is \
             held, but the earlier order ",
            self.new_lock(),
            self.site(),
            self.held(),
            self.held_site()
        )?;
        if self.path_len() == 1 {
            write!(
                f,
                "took lock #{} at {} while holding lock #{} (acquired at {})",
                self.held(),
                self.earlier_site(),
                self.new_lock(),
                self.earlier_from_site()
            )
        } else {
            write!(
                f,
                "leads from lock #{} to lock #{} through {} edges: ",
                self.new_lock(),
                self.held(),
                self.path_len()
            )?;
            for (i, e) in self.path().enumerate() {
                if i > 0 {
                    f.write_str("; ")?;
                }
                write!(
                    f,
                    "#{} (acquired at {}) then #{} at {}",
                    e.from, e.from_site, e.to, e.to_site
                )?;
            }
            Ok(())
        }
    }
}

/// A fast hasher for lock ids (the ids are sequential numbers, not attacker-controlled, so
/// SipHash's protection against collisions chosen on purpose buys nothing here).
#[derive(Clone, Copy, Default)]
struct IdHasher(u64);

/// An odd constant with well-mixed bits (2^64 / the golden ratio).
const MIX: u64 = 0x9e37_79b9_7f4a_7c15;

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        // Fold the well-mixed high half into the low bits, which pick the bucket.
        self.0 ^ (self.0 >> 32)
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(MIX);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(MIX);
    }
}

/// A map keyed by lock ids.
type IdMap<V> = HashMap<LockNode, V, BuildHasherDefault<IdHasher>>;

/// A set of lock ids.
type IdSet = HashSet<LockNode, BuildHasherDefault<IdHasher>>;

/// The sites of an edge (see [`Edge`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct EdgeSites {
    /// Where the held lock had been acquired.
    from: Site,
    /// Where the lock acquired under it was acquired.
    to: Site,
}

/// One lock in the graph.
#[derive(Debug)]
struct NodeData {
    /// The topological index: `ord(x) < ord(y)` for every edge `x -> y`; unique per node.
    ord: i64,
    /// The edges out of this node (locks acquired while it was held), with the sites of the
    /// first time each was seen.
    out: IdMap<EdgeSites>,
    /// The nodes with an edge into this one (locks held while it was acquired).
    ins: IdSet,
}

impl NodeData {
    /// Whether the node has no edge left (then it carries no order and is removed).
    fn is_isolated(&self) -> bool {
        self.out.is_empty() && self.ins.is_empty()
    }
}

/// A lock-order graph, kept acyclic (see the module documentation). The process has one, behind
/// [`before_acquire`] and [`forget`]; tests make their own.
#[derive(Debug)]
pub(crate) struct Graph {
    /// The nodes: every lock with at least one edge.
    nodes: IdMap<NodeData>,
    /// The index of the next node created as the source of an edge: below every index in use.
    next_low: i64,
    /// The index of the next node created as the target of an edge: above every index in use.
    next_high: i64,
}

/// One BFS parent link of the forward search: the predecessor and the sites of its edge. `None`
/// for the search's start.
type Parent = Option<(LockNode, EdgeSites)>;

impl Graph {
    /// An empty graph.
    pub(crate) const fn new() -> Self {
        Graph {
            nodes: HashMap::with_hasher(BuildHasherDefault::new()),
            next_low: -1,
            next_high: 0,
        }
    }

    /// The number of nodes (locks with at least one edge).
    pub(crate) fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Whether the edge `from -> to` is recorded.
    fn has_edge(&self, from: LockNode, to: LockNode) -> bool {
        self.nodes
            .get(&from)
            .is_some_and(|d| d.out.contains_key(&to))
    }

    /// `before_acquire` on this graph: see [`before_acquire`].
    pub(crate) fn before_acquire(
        &mut self,
        held: &[(LockNode, Site)],
        new: LockNode,
        site: Site,
    ) -> Result<(), Inversion> {
        // The steady state: every edge is known. A lookup per held lock, no write.
        if held.iter().all(|&(h, _)| h == new || self.has_edge(h, new)) {
            return Ok(());
        }
        // The sources whose edge to `new` this call added, to roll back on failure. Whether an
        // edge `h -> new` closes a cycle does not depend on the other edges `h' -> new` of this
        // call (a path from `new` to `h` through `h' -> new` would pass `new` twice, and its part
        // after the last `new` is a path without it), so adding them one by one finds the same
        // inversion as checking them all first.
        let mut added: Vec<LockNode> = Vec::new();
        for &(h, h_site) in held {
            if h == new || self.has_edge(h, new) {
                continue;
            }
            let sites = EdgeSites {
                from: h_site,
                to: site,
            };
            match self.add_edge(h, new, sites) {
                Ok(()) => added.push(h),
                Err((first, rest)) => {
                    for &a in &added {
                        self.unlink(a, new);
                    }
                    // A node created for this call and left without edges goes again.
                    self.remove_if_isolated(h);
                    self.remove_if_isolated(new);
                    return Err(Inversion {
                        held: h,
                        held_site: h_site,
                        new,
                        site,
                        first,
                        rest,
                    });
                }
            }
        }
        Ok(())
    }

    /// `forget` on this graph: see [`forget`].
    pub(crate) fn forget(&mut self, node: LockNode) {
        let Some(data) = self.nodes.remove(&node) else {
            return;
        };
        for &w in data.out.keys() {
            if let Some(wd) = self.nodes.get_mut(&w) {
                wd.ins.remove(&node);
            }
            self.remove_if_isolated(w);
        }
        for &w in &data.ins {
            if let Some(wd) = self.nodes.get_mut(&w) {
                wd.out.remove(&node);
            }
            self.remove_if_isolated(w);
        }
    }

    /// The index of `node`, creating it first if it is not in the graph: with an index below
    /// all others if `low` (it is about to get an edge out, and has none in), else above all.
    fn ensure(&mut self, node: LockNode, low: bool) -> i64 {
        if let Some(d) = self.nodes.get(&node) {
            return d.ord;
        }
        // 2^63 nodes would take centuries to create, so the indices do not wrap in practice.
        let ord = if low {
            let o = self.next_low;
            self.next_low = o.wrapping_sub(1);
            o
        } else {
            let o = self.next_high;
            self.next_high = o.wrapping_add(1);
            o
        };
        self.nodes.insert(
            node,
            NodeData {
                ord,
                out: IdMap::default(),
                ins: IdSet::default(),
            },
        );
        ord
    }

    /// The index of a node in the graph (`None` would be a bug; callers treat it as "no node").
    fn ord(&self, node: LockNode) -> Option<i64> {
        self.nodes.get(&node).map(|d| d.ord)
    }

    /// Adds the edge `x -> y` (`x != y`, not yet present), keeping the topological order (the
    /// Pearce–Kelly insertion), or returns the existing path `y -> .. -> x` it would close a cycle
    /// with, as its first edge and the others, and then changes nothing. (Both nodes exist then:
    /// a node created here has no edges on the side that could close a cycle.)
    fn add_edge(
        &mut self,
        x: LockNode,
        y: LockNode,
        sites: EdgeSites,
    ) -> Result<(), (Edge, Vec<Edge>)> {
        let ox = self.ensure(x, true);
        let oy = self.ensure(y, false);
        if ox > oy {
            // The affected region is `oy ..= ox`: only there can the order be wrong now.
            let forward = self.forward(y, x, ox)?;
            let backward = self.backward(x, oy);
            self.reorder(&backward, &forward);
        }
        self.link(x, y, sites);
        Ok(())
    }

    /// The forward search of an insertion `x -> y` with `ord(x) = ox > ord(y)`: breadth-first
    /// from `y` through the nodes below `ox`. Returns the nodes reached (`y` included), or, if
    /// `x` is reached, a shortest path `y -> .. -> x` (as its first edge and the others).
    fn forward(
        &self,
        y: LockNode,
        x: LockNode,
        ox: i64,
    ) -> Result<Vec<LockNode>, (Edge, Vec<Edge>)> {
        let mut parent: IdMap<Parent> = IdMap::default();
        parent.insert(y, None);
        let mut queue = VecDeque::from([y]);
        let mut reached = vec![y];
        while let Some(u) = queue.pop_front() {
            let Some(ud) = self.nodes.get(&u) else {
                continue;
            };
            for (&w, &sites) in &ud.out {
                if w == x {
                    return Err(Self::path(&parent, u, x, sites));
                }
                if parent.contains_key(&w) {
                    continue;
                }
                if self.ord(w).is_some_and(|o| o < ox) {
                    parent.insert(w, Some((u, sites)));
                    queue.push_back(w);
                    reached.push(w);
                }
            }
        }
        Ok(reached)
    }

    /// The path found by [`forward`](Self::forward): its parent links back from `u` to the start,
    /// then the edge `u -> x` with `sites`. Returns the first edge and the others.
    fn path(
        parent: &IdMap<Parent>,
        u: LockNode,
        x: LockNode,
        sites: EdgeSites,
    ) -> (Edge, Vec<Edge>) {
        let last = Edge {
            from: u,
            to: x,
            from_site: sites.from,
            to_site: sites.to,
        };
        // Collected from `x` backwards, then turned around.
        let mut back = vec![last];
        let mut cur = u;
        while let Some(&Some((p, s))) = parent.get(&cur) {
            back.push(Edge {
                from: p,
                to: cur,
                from_site: s.from,
                to_site: s.to,
            });
            cur = p;
        }
        back.reverse();
        let mut edges = back.into_iter();
        // `edges` holds `last` at least, so the fallback is never taken.
        let first = edges.next().unwrap_or(last);
        (first, edges.collect())
    }

    /// The backward search of an insertion `x -> y` with `ord(y) = oy < ord(x)`: the nodes that
    /// reach `x` through nodes above `oy` (`x` included).
    fn backward(&self, x: LockNode, oy: i64) -> Vec<LockNode> {
        let mut seen = IdSet::default();
        seen.insert(x);
        let mut stack = vec![x];
        let mut reached = vec![x];
        while let Some(u) = stack.pop() {
            let Some(ud) = self.nodes.get(&u) else {
                continue;
            };
            for &w in &ud.ins {
                if self.ord(w).is_some_and(|o| o > oy) && seen.insert(w) {
                    stack.push(w);
                    reached.push(w);
                }
            }
        }
        reached
    }

    /// The reordering of an insertion: the nodes that reach `x` (`backward`) take the lowest of
    /// the indices of both sets, in their present order, and the nodes reached from `y`
    /// (`forward`) the highest. Every other node keeps its index.
    fn reorder(&mut self, backward: &[LockNode], forward: &[LockNode]) {
        let with_ord = |nodes: &[LockNode]| {
            let mut v: Vec<(i64, LockNode)> = nodes
                .iter()
                .filter_map(|&n| self.ord(n).map(|o| (o, n)))
                .collect();
            v.sort_unstable();
            v
        };
        let backward = with_ord(backward);
        let forward = with_ord(forward);
        let mut pool: Vec<i64> = backward.iter().chain(&forward).map(|&(o, _)| o).collect();
        pool.sort_unstable();
        for (&(_, n), o) in backward.iter().chain(&forward).zip(pool) {
            if let Some(d) = self.nodes.get_mut(&n) {
                d.ord = o;
            }
        }
    }

    /// Records the edge `x -> y` in both of its nodes, which exist.
    fn link(&mut self, x: LockNode, y: LockNode, sites: EdgeSites) {
        if let Some(d) = self.nodes.get_mut(&x) {
            d.out.insert(y, sites);
        }
        if let Some(d) = self.nodes.get_mut(&y) {
            d.ins.insert(x);
        }
    }

    /// Removes the edge `x -> y`, and either node if it has no edge left. (Removing edges keeps
    /// the order topological.)
    fn unlink(&mut self, x: LockNode, y: LockNode) {
        if let Some(d) = self.nodes.get_mut(&x) {
            d.out.remove(&y);
        }
        if let Some(d) = self.nodes.get_mut(&y) {
            d.ins.remove(&x);
        }
        self.remove_if_isolated(x);
        self.remove_if_isolated(y);
    }

    /// Removes `node` if it is in the graph without any edge.
    fn remove_if_isolated(&mut self, node: LockNode) {
        if self.nodes.get(&node).is_some_and(NodeData::is_isolated) {
            self.nodes.remove(&node);
        }
    }
}

/// The process's lock-order graph.
static GRAPH: Mutex<Graph> = Mutex::new(Graph::new());

/// The number of nodes of [`GRAPH`], written under its mutex whenever it changes, so that
/// [`forget`] can skip the mutex while the graph is empty. (A `forget(n)` that reads 0 although
/// `n` is in the graph is impossible: `n` was added by a `before_acquire` that happened before the
/// lock was freed, and from that write on the count stays at least 1 while `n` is in the graph.)
static NODES: AtomicUsize = AtomicUsize::new(0);

/// The graph, locked. Poisoning is ignored: nothing panics while the mutex is held, and the
/// graph is consistent between any two of its operations.
fn graph() -> MutexGuard<'static, Graph> {
    GRAPH.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Publishes the graph's node count to [`NODES`] if it changed.
fn publish(graph: &Graph) {
    let len = graph.len();
    if NODES.load(Ordering::Relaxed) != len {
        NODES.store(len, Ordering::Release);
    }
}

/// Called before a blocking acquisition of `new` (at `site`) by a thread that currently holds
/// `held`: its held locks, in acquisition order, each with the site where it was taken.
///
/// For each held lock `h != new`, records the edge `h -> new` with its sites unless it exists.
/// If any such edge would close a cycle (there is already a path `new -> .. -> h`), returns the
/// [`Inversion`] of the first such `h` in `held` and records *none* of the edges of this call.
///
/// Returns at once, without taking the graph's mutex, when `held` holds no lock but `new`; costs
/// one hash lookup per held lock when all the edges are known.
pub(crate) fn before_acquire(
    held: &[(LockNode, Site)],
    new: LockNode,
    site: Site,
) -> Result<(), Inversion> {
    if held.iter().all(|&(h, _)| h == new) {
        return Ok(());
    }
    let mut graph = graph();
    let result = graph.before_acquire(held, new, site);
    publish(&graph);
    result
}

/// Called when a lock is freed: removes its node and all its edges (and any neighbour left
/// without edges), so that no later lock is ever judged by this one's order.
///
/// Must be called after the lock's last [`before_acquire`] (as a lock's `Drop` is). An atomic load
/// while the graph is empty; else one hash lookup under the graph's mutex when `node` is not in
/// the graph, and time linear in its edges when it is.
pub(crate) fn forget(node: LockNode) {
    if NODES.load(Ordering::Acquire) == 0 {
        return;
    }
    let mut graph = graph();
    graph.forget(node);
    publish(&graph);
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeMap, BTreeSet};

    /// The caller's location, as a distinct site per call line.
    #[track_caller]
    fn here() -> Site {
        Location::caller()
    }

    impl Graph {
        /// Checks the graph's invariants: edges recorded on both ends, `ord(x) < ord(y)` for
        /// every edge `x -> y`, unique indices, no node without edges.
        fn check(&self) {
            let mut ords = BTreeSet::new();
            let (mut outs, mut ins) = (0, 0);
            for (&n, d) in &self.nodes {
                assert!(ords.insert(d.ord), "index {} used twice", d.ord);
                assert!(!d.is_isolated(), "node {n} has no edge");
                assert!(d.ord < self.next_high && d.ord > self.next_low);
                for &w in d.out.keys() {
                    let wd = self.nodes.get(&w).expect("edge to a missing node");
                    assert!(wd.ins.contains(&n), "edge {n} -> {w} missing in `ins`");
                    assert!(d.ord < wd.ord, "edge {n} -> {w} against the order");
                }
                outs += d.out.len();
                ins += d.ins.len();
            }
            // Every `out` entry is in `ins`, so equal counts mean no other `ins` entry.
            assert_eq!(outs, ins, "`ins` entries without their edge");
        }

        /// All edges.
        fn edges(&self) -> BTreeSet<(LockNode, LockNode)> {
            self.nodes
                .iter()
                .flat_map(|(&n, d)| d.out.keys().map(move |&w| (n, w)))
                .collect()
        }

        /// The sites of an edge.
        fn sites(&self, x: LockNode, y: LockNode) -> Option<EdgeSites> {
            self.nodes.get(&x)?.out.get(&y).copied()
        }
    }

    #[test]
    fn two_locks_opposite_orders() {
        let mut g = Graph::new();
        let (a, b) = (1, 2);
        let (sa, sb) = (here(), here());
        assert_eq!(g.before_acquire(&[(a, sa)], b, sb), Ok(()));
        let (sb2, sa2) = (here(), here());
        let inv = g.before_acquire(&[(b, sb2)], a, sa2).unwrap_err();
        assert_eq!(inv.held(), b);
        assert_eq!(inv.held_site(), sb2);
        assert_eq!(inv.new_lock(), a);
        assert_eq!(inv.site(), sa2);
        assert_eq!(inv.earlier_site(), sb);
        assert_eq!(inv.earlier_from_site(), sa);
        assert_eq!(inv.path_len(), 1);
        assert_eq!(
            inv.path().collect::<Vec<_>>(),
            [Edge {
                from: a,
                to: b,
                from_site: sa,
                to_site: sb
            }]
        );
        let msg = inv.to_string();
        for s in [sa, sb, sa2, sb2] {
            assert!(msg.contains(&s.to_string()), "{msg}");
        }
        // The failed call changed nothing.
        assert_eq!(g.edges(), BTreeSet::from([(a, b)]));
        g.check();
    }

    #[test]
    fn three_lock_cycle() {
        let mut g = Graph::new();
        let (a, b, c) = (10, 20, 30);
        let (s1, s2, s3, s4, s5, s6) = (here(), here(), here(), here(), here(), here());
        g.before_acquire(&[(a, s1)], b, s2).unwrap();
        g.before_acquire(&[(b, s3)], c, s4).unwrap();
        let inv = g.before_acquire(&[(c, s5)], a, s6).unwrap_err();
        assert_eq!((inv.held(), inv.new_lock()), (c, a));
        assert_eq!(inv.path_len(), 2);
        assert_eq!(inv.earlier_site(), s2);
        assert_eq!(inv.earlier_from_site(), s1);
        let path: Vec<_> = inv.path().map(|e| (e.from, e.to, e.to_site)).collect();
        assert_eq!(path, [(a, b, s2), (b, c, s4)]);
        assert!(inv.to_string().contains("through 2 edges"));
        g.check();
        assert_eq!(g.edges().len(), 2);
    }

    #[test]
    fn shortest_earlier_path_is_reported() {
        let mut g = Graph::new();
        let s = here();
        // a -> b -> c -> d, and a -> d directly.
        for (x, y) in [(1, 2), (2, 3), (3, 4), (1, 4)] {
            g.before_acquire(&[(x, s)], y, s).unwrap();
        }
        let inv = g.before_acquire(&[(4, s)], 1, s).unwrap_err();
        assert_eq!(inv.path_len(), 1);
        let inv = g.before_acquire(&[(3, s)], 1, s).unwrap_err();
        assert_eq!(inv.path_len(), 2);
        g.check();
    }

    #[test]
    fn consistent_orders_never_fail() {
        let mut g = Graph::new();
        let s = here();
        // A chain taken in order, many times, with every prefix held; repeated and
        // duplicated held entries; `new` itself in `held` (a reentrant read).
        for _ in 0..3 {
            let mut held = Vec::new();
            for n in 0..8 {
                assert_eq!(g.before_acquire(&held, n, s), Ok(()));
                held.push((n, s));
                assert_eq!(g.before_acquire(&held, n, s), Ok(()));
            }
            let twice: Vec<_> = held.iter().chain(&held).copied().collect();
            assert_eq!(g.before_acquire(&twice, 100, s), Ok(()));
        }
        // A diamond, and edges inserted against the creation order (forcing reorders).
        for (x, y) in [(200, 201), (202, 203), (201, 202), (200, 203), (203, 0)] {
            assert_eq!(g.before_acquire(&[(x, s)], y, s), Ok(()));
            g.check();
        }
        assert_eq!(g.edges().len(), 8 * 7 / 2 + 8 + 5);
        // Nothing but `new` held: nothing to record.
        assert_eq!(g.before_acquire(&[], 300, s), Ok(()));
        assert_eq!(g.before_acquire(&[(300, s)], 300, s), Ok(()));
        assert!(g.sites(300, 300).is_none());
        g.check();
    }

    #[test]
    fn reorder_keeps_the_order() {
        let mut g = Graph::new();
        let s = here();
        // 1 -> 2 and 3 -> 4 are created with 3 below 1 and 4 above 2; 2 -> 3 then needs a
        // search and a reorder, after which 1 -> 4 must still hold.
        for (x, y) in [(1, 2), (3, 4), (2, 3)] {
            g.before_acquire(&[(x, s)], y, s).unwrap();
            g.check();
        }
        assert!(g.before_acquire(&[(4, s)], 1, s).is_err());
        assert!(g.ord(1) < g.ord(2) && g.ord(2) < g.ord(3) && g.ord(3) < g.ord(4));
    }

    #[test]
    fn failed_call_records_nothing() {
        let mut g = Graph::new();
        let (a, b, c, d) = (1, 2, 3, 4);
        let (s1, s2) = (here(), here());
        g.before_acquire(&[(a, s1)], b, s2).unwrap();
        g.before_acquire(&[(d, s1)], a, s2).unwrap();
        let before = g.edges();
        // c -> a alone would be fine (c is new), b -> a closes the cycle: neither is recorded,
        // whether the bad edge comes last or first, and c does not stay in the graph.
        let inv = g.before_acquire(&[(c, s1), (b, s1)], a, s2).unwrap_err();
        assert_eq!(inv.held(), b);
        assert_eq!(g.edges(), before);
        assert_eq!(g.len(), 3);
        let inv = g.before_acquire(&[(b, s1), (c, s1)], a, s2).unwrap_err();
        assert_eq!(inv.held(), b);
        assert_eq!(g.edges(), before);
        g.check();
        // With two bad edges, the first held lock is named.
        g.before_acquire(&[(b, s1)], c, s2).unwrap();
        let inv = g
            .before_acquire(&[(d, s1), (c, s1), (b, s1)], a, s2)
            .unwrap_err();
        assert_eq!(inv.held(), c);
        assert_eq!(inv.path_len(), 2);
        // Alone, c -> a is now a cycle too, and d -> a (known) is still fine.
        assert!(g.before_acquire(&[(c, s1)], a, s2).is_err());
        assert_eq!(g.before_acquire(&[(d, s1)], a, s2), Ok(()));
        g.check();
    }

    #[test]
    fn forget_removes_the_order() {
        let mut g = Graph::new();
        let s = here();
        let (a, b) = (1, 2);
        g.before_acquire(&[(a, s)], b, s).unwrap();
        g.forget(a);
        // `b` lost its only edge, so it went too.
        assert_eq!(g.len(), 0);
        g.forget(b);
        g.forget(12345); // never in the graph
        assert_eq!(g.before_acquire(&[(b, s)], a, s), Ok(()));
        g.check();

        // Forgetting the middle of a -> m -> c breaks the path: c -> a is fine afterwards,
        // and a -> c then is the inversion.
        let mut g = Graph::new();
        let (a, m, c) = (1, 2, 3);
        g.before_acquire(&[(a, s)], m, s).unwrap();
        g.before_acquire(&[(m, s)], c, s).unwrap();
        assert!(g.before_acquire(&[(c, s)], a, s).is_err());
        g.forget(m);
        assert_eq!(g.len(), 0);
        assert_eq!(g.before_acquire(&[(c, s)], a, s), Ok(()));
        assert!(g.before_acquire(&[(a, s)], c, s).is_err());
        g.check();
    }

    /// xorshift64: a small deterministic generator.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
    }

    /// Whether the oracle's graph has a path `from ->* to` (`from == to` counts).
    fn reaches(out: &BTreeMap<LockNode, BTreeSet<LockNode>>, from: LockNode, to: LockNode) -> bool {
        let mut seen = BTreeSet::from([from]);
        let mut stack = vec![from];
        while let Some(u) = stack.pop() {
            if u == to {
                return true;
            }
            for &w in out.get(&u).into_iter().flatten() {
                if seen.insert(w) {
                    stack.push(w);
                }
            }
        }
        false
    }

    #[test]
    fn random_against_naive_oracle() {
        let (ops, nodes) = if cfg!(miri) { (200, 20) } else { (2_000, 200) };
        let sites = [here(), here(), here(), here(), here()];
        let mut rng = Rng(0x2545_f491_4f6c_dd1d);
        let mut g = Graph::new();
        let mut oracle: BTreeMap<LockNode, BTreeSet<LockNode>> = BTreeMap::new();
        let (mut inversions, mut forgets, mut long_paths) = (0, 0, 0);
        // The comparison of all edges with the oracle's is slow under Miri: there, every 10th op.
        let compare_every = if cfg!(miri) { 10 } else { 1 };
        for op in 0..ops {
            if rng.below(10) == 0 {
                let n = rng.below(nodes);
                g.forget(n);
                oracle.remove(&n);
                for out in oracle.values_mut() {
                    out.remove(&n);
                }
                forgets += 1;
            } else {
                let k = 1 + rng.below(3);
                let held: Vec<(LockNode, Site)> = (0..k)
                    .map(|_| (rng.below(nodes), sites[rng.below(5) as usize]))
                    .collect();
                let new = rng.below(nodes);
                let site = sites[rng.below(5) as usize];
                let expected = held
                    .iter()
                    .map(|&(h, _)| h)
                    .find(|&h| h != new && reaches(&oracle, new, h));
                match g.before_acquire(&held, new, site) {
                    Ok(()) => {
                        assert_eq!(expected, None);
                        for &(h, _) in &held {
                            if h != new {
                                oracle.entry(h).or_default().insert(new);
                            }
                        }
                    }
                    Err(inv) => {
                        assert_eq!(Some(inv.held()), expected);
                        assert_eq!(inv.new_lock(), new);
                        assert_eq!(inv.site(), site);
                        let h_site = held.iter().find(|&&(h, _)| h == inv.held()).unwrap().1;
                        assert_eq!(inv.held_site(), h_site);
                        // The path is a real path new -> .. -> held, with the recorded sites.
                        let path: Vec<Edge> = inv.path().collect();
                        assert_eq!(path.len(), inv.path_len());
                        assert_eq!(path[0].from, new);
                        assert_eq!(path[path.len() - 1].to, inv.held());
                        for (i, e) in path.iter().enumerate() {
                            if i > 0 {
                                assert_eq!(path[i - 1].to, e.from);
                            }
                            let s = g.sites(e.from, e.to).expect("path edge not in the graph");
                            assert_eq!((s.from, s.to), (e.from_site, e.to_site));
                        }
                        assert_eq!(inv.earlier_site(), path[0].to_site);
                        assert_eq!(inv.earlier_from_site(), path[0].from_site);
                        inversions += 1;
                        if path.len() > 1 {
                            long_paths += 1;
                        }
                    }
                }
            }
            g.check();
            if op % compare_every != 0 && op + 1 != ops {
                continue;
            }
            let oracle_edges: BTreeSet<_> = oracle
                .iter()
                .flat_map(|(&n, out)| out.iter().map(move |&w| (n, w)))
                .collect();
            assert_eq!(g.edges(), oracle_edges);
        }
        // The run exercised what it is meant to.
        assert!(
            inversions > 10 && long_paths > 0 && forgets > 5,
            "{inversions} {long_paths} {forgets}"
        );
    }

    #[test]
    fn global_wrappers() {
        // Ids of their own: other tests may use the global graph at the same time.
        let (a, b, c) = (1 << 40, (1 << 40) + 1, (1 << 40) + 2);
        let (s1, s2, s3) = (here(), here(), here());
        assert_eq!(before_acquire(&[], a, s1), Ok(()));
        assert_eq!(before_acquire(&[(a, s1)], a, s1), Ok(()));
        assert_eq!(before_acquire(&[(a, s1)], b, s2), Ok(()));
        assert_eq!(before_acquire(&[(a, s1)], b, s2), Ok(()));
        let inv = before_acquire(&[(b, s3)], a, s3).unwrap_err();
        assert_eq!(inv.earlier_site(), s2);
        assert!(NODES.load(Ordering::Acquire) >= 2);
        forget(a);
        forget(b);
        forget(c);
        assert_eq!(before_acquire(&[(b, s3)], a, s3), Ok(()));
        forget(a);
        forget(b);
        // Threads nesting the same locks consistently never fail.
        let (x, y) = ((1 << 40) + 10, (1 << 40) + 11);
        std::thread::scope(|t| {
            for _ in 0..4 {
                t.spawn(|| {
                    for _ in 0..10 {
                        assert_eq!(before_acquire(&[(x, s1)], y, s2), Ok(()));
                    }
                });
            }
        });
        assert!(before_acquire(&[(y, s1)], x, s2).is_err());
        forget(x);
        forget(y);
    }
}
