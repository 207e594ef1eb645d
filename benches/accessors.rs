//! Every operation of a generated handle side by side with the hand-written std code it
//! replaces, in both flavours. Each criterion group holds one pair, `sharecell` then `std`, so
//! the two run back to back under the same machine load. Results and how to read them:
//! BENCHMARKS.md.
//!
//! Both sides go through `black_box(&handle)`, so the compiler can neither see the value behind
//! the pointer nor skip the access, and both return (or `black_box`) what they read. The
//! hand-written side uses the orderings the runtime documents (Acquire loads, Release stores,
//! AcqRel read-modify-writes) and the `LocalFlavor` conflict checks of `RefCell`.

use std::cell::{Cell, RefCell};
use std::hint::black_box;
use std::rc::Rc;
use std::sync::atomic::AtomicU64;
use std::sync::atomic::Ordering::{AcqRel, Acquire, Release};
use std::sync::{Arc, Mutex as StdMutex, RwLock as StdRwLock};

use criterion::{criterion_group, criterion_main, Criterion};
use sharecell::Shared;

#[path = "support.rs"]
mod support;
use support::pair;

/// The 4-field struct behind every generated handle here: one field per storage kind.
#[derive(Shared, Clone)]
struct Quad {
    id: u64,
    name: String,
    #[shared(mutex)]
    tags: Vec<String>,
    score: f64,
}

fn quad() -> Quad {
    Quad {
        id: 0,
        name: "ada lovelace".to_owned(),
        tags: vec!["analyst".to_owned(), "engine".to_owned()],
        score: 0.5,
    }
}

/// The hand-written `LocalFlavor` handle that `QuadHandle<LocalFlavor>` replaces.
struct QuadRc {
    id: Cell<u64>,
    name: RefCell<String>,
    tags: RefCell<Vec<String>>,
    score: Cell<f64>,
}

/// The hand-written `SyncFlavor` handle that `QuadHandle<SyncFlavor>` replaces (`f64` as bits, as std has
/// no float atomic).
struct QuadArc {
    id: AtomicU64,
    name: StdRwLock<String>,
    tags: StdMutex<Vec<String>>,
    score: AtomicU64,
}

/// Strings short enough that `truncate(TRUNCATE)` never changes them: a write that costs the
/// same every iteration.
const TRUNCATE: usize = 64;

/// What `compare_exchange` finds and stores: the exchange succeeds every time, with no state
/// carried between iterations (a counter kept in the closure changes the loop's code generation
/// and with it the timing, on one side only).
const CURRENT: u64 = 42;

fn atom_local(c: &mut Criterion) {
    let h = QuadHandle::new_local(quad());
    let cell = Rc::new(Cell::new(0_u64));
    pair(
        c,
        "local/atom/get",
        || black_box(&h).id().get(),
        || black_box(&cell).get(),
    );
    pair(
        c,
        "local/atom/set",
        || black_box(&h).id().set(black_box(7)),
        || black_box(&cell).set(black_box(7)),
    );
    pair(
        c,
        "local/atom/fetch_add",
        || black_box(&h).id().fetch_add(black_box(1)),
        || {
            let cell = black_box(&cell);
            let old = cell.get();
            cell.set(old.wrapping_add(black_box(1)));
            old
        },
    );
    pair(
        c,
        "local/atom/update",
        || black_box(&h).id().update(|x| x.wrapping_add(1)),
        || {
            let cell = black_box(&cell);
            let new = cell.get().wrapping_add(1);
            cell.set(new);
            new
        },
    );
    h.id().set(CURRENT);
    cell.set(CURRENT);
    pair(
        c,
        "local/atom/compare_exchange",
        || {
            black_box(&h)
                .id()
                .compare_exchange(black_box(CURRENT), black_box(CURRENT))
        },
        || {
            let cell = black_box(&cell);
            let (current, new) = (black_box(CURRENT), black_box(CURRENT));
            let actual = cell.get();
            if actual == current {
                cell.set(new);
                Ok(actual)
            } else {
                Err(actual)
            }
        },
    );
}

fn atom_sync(c: &mut Criterion) {
    let h = QuadHandle::new_sync(quad());
    let atomic = Arc::new(AtomicU64::new(0));
    pair(
        c,
        "sync/atom/get",
        || black_box(&h).id().get(),
        || black_box(&atomic).load(Acquire),
    );
    pair(
        c,
        "sync/atom/set",
        || black_box(&h).id().set(black_box(7)),
        || black_box(&atomic).store(black_box(7), Release),
    );
    pair(
        c,
        "sync/atom/fetch_add",
        || black_box(&h).id().fetch_add(black_box(1)),
        || black_box(&atomic).fetch_add(black_box(1), AcqRel),
    );
    pair(
        c,
        "sync/atom/update",
        || black_box(&h).id().update(|x| x.wrapping_add(1)),
        || black_box(&atomic).fetch_update(AcqRel, Acquire, |x| Some(x.wrapping_add(1))),
    );
    h.id().set(CURRENT);
    atomic.store(CURRENT, Release);
    pair(
        c,
        "sync/atom/compare_exchange",
        || {
            black_box(&h)
                .id()
                .compare_exchange(black_box(CURRENT), black_box(CURRENT))
        },
        || {
            black_box(&atomic).compare_exchange(
                black_box(CURRENT),
                black_box(CURRENT),
                AcqRel,
                Acquire,
            )
        },
    );
}

fn rwlock_local(c: &mut Criterion) {
    let h = QuadHandle::new_local(quad());
    let cell = Rc::new(RefCell::new(quad().name));
    pair(
        c,
        "local/rwlock/read",
        || black_box(&h).name().read().len(),
        || black_box(&cell).borrow().len(),
    );
    pair(
        c,
        "local/rwlock/write",
        || black_box(&h).name().write().truncate(black_box(TRUNCATE)),
        || black_box(&cell).borrow_mut().truncate(black_box(TRUNCATE)),
    );
    pair(
        c,
        "local/rwlock/with",
        || black_box(&h).name().with(|s| s.len()),
        || black_box(&cell).borrow().len(),
    );
    pair(
        c,
        "local/rwlock/with_mut",
        || {
            black_box(&h)
                .name()
                .with_mut(|s| s.truncate(black_box(TRUNCATE)))
        },
        || black_box(&cell).borrow_mut().truncate(black_box(TRUNCATE)),
    );
    pair(
        c,
        "local/rwlock/get",
        || black_box(&h).name().get_cloned(),
        || black_box(&cell).borrow().clone(),
    );
}

fn rwlock_sync(c: &mut Criterion) {
    let h = QuadHandle::new_sync(quad());
    let lock = Arc::new(StdRwLock::new(quad().name));
    pair(
        c,
        "sync/rwlock/read",
        || black_box(&h).name().read().len(),
        || black_box(&lock).read().unwrap().len(),
    );
    pair(
        c,
        "sync/rwlock/write",
        || black_box(&h).name().write().truncate(black_box(TRUNCATE)),
        || {
            black_box(&lock)
                .write()
                .unwrap()
                .truncate(black_box(TRUNCATE))
        },
    );
    pair(
        c,
        "sync/rwlock/with",
        || black_box(&h).name().with(|s| s.len()),
        || black_box(&lock).read().unwrap().len(),
    );
    pair(
        c,
        "sync/rwlock/with_mut",
        || {
            black_box(&h)
                .name()
                .with_mut(|s| s.truncate(black_box(TRUNCATE)))
        },
        || {
            black_box(&lock)
                .write()
                .unwrap()
                .truncate(black_box(TRUNCATE))
        },
    );
    pair(
        c,
        "sync/rwlock/get",
        || black_box(&h).name().get_cloned(),
        || black_box(&lock).read().unwrap().clone(),
    );
}

fn mutex(c: &mut Criterion) {
    let local = QuadHandle::new_local(quad());
    let cell = Rc::new(RefCell::new(quad().tags));
    pair(
        c,
        "local/mutex/lock",
        || {
            black_box(&local)
                .tags()
                .lock()
                .truncate(black_box(TRUNCATE))
        },
        || black_box(&cell).borrow_mut().truncate(black_box(TRUNCATE)),
    );
    let sync = QuadHandle::new_sync(quad());
    let mutex = Arc::new(StdMutex::new(quad().tags));
    pair(
        c,
        "sync/mutex/lock",
        || black_box(&sync).tags().lock().truncate(black_box(TRUNCATE)),
        || {
            black_box(&mutex)
                .lock()
                .unwrap()
                .truncate(black_box(TRUNCATE))
        },
    );
}

/// Clone and drop: what passing a handle around costs.
fn handle_clone(c: &mut Criterion) {
    let local = QuadHandle::new_local(quad());
    let rc = Rc::new(quad_rc());
    pair(
        c,
        "local/handle/clone",
        || black_box(&local).clone(),
        || Rc::clone(black_box(&rc)),
    );
    let sync = QuadHandle::new_sync(quad());
    let arc = Arc::new(quad_arc());
    pair(
        c,
        "sync/handle/clone",
        || black_box(&sync).clone(),
        || Arc::clone(black_box(&arc)),
    );
}

fn quad_rc() -> QuadRc {
    let q = quad();
    QuadRc {
        id: Cell::new(q.id),
        name: RefCell::new(q.name),
        tags: RefCell::new(q.tags),
        score: Cell::new(q.score),
    }
}

fn quad_arc() -> QuadArc {
    let q = quad();
    QuadArc {
        id: AtomicU64::new(q.id),
        name: StdRwLock::new(q.name),
        tags: StdMutex::new(q.tags),
        score: AtomicU64::new(q.score.to_bits()),
    }
}

/// What `snapshot` replaces, as people write it: every lock taken in declaration order (which is
/// not deadlock-free against other code; `snapshot` takes the crate's lock order), then
/// everything cloned.
/// `tags` is borrowed mutably because a `LocalFlavor` mutex field is a `RefCell` locked exclusively.
fn snapshot_rc(q: &QuadRc) -> Quad {
    let id = q.id.get();
    let name = q.name.borrow();
    let tags = q.tags.borrow_mut();
    let score = q.score.get();
    Quad {
        id,
        name: name.clone(),
        tags: tags.clone(),
        score,
    }
}

fn snapshot_arc(q: &QuadArc) -> Quad {
    let id = q.id.load(Acquire);
    let name = q.name.read().unwrap();
    let tags = q.tags.lock().unwrap();
    let score = f64::from_bits(q.score.load(Acquire));
    Quad {
        id,
        name: name.clone(),
        tags: tags.clone(),
        score,
    }
}

fn snapshot(c: &mut Criterion) {
    let local = QuadHandle::new_local(quad());
    let rc = Rc::new(quad_rc());
    pair(
        c,
        "local/handle/snapshot",
        || QuadHandle::snapshot(black_box(&local)),
        || snapshot_rc(black_box(&rc)),
    );
    let sync = QuadHandle::new_sync(quad());
    let arc = Arc::new(quad_arc());
    pair(
        c,
        "sync/handle/snapshot",
        || QuadHandle::snapshot(black_box(&sync)),
        || snapshot_arc(black_box(&arc)),
    );
}

// Short runs (support::config): 26 pairs must fit in a few minutes on a shared 2-core machine.
// Criterion's median over 100 samples is stable enough for ns-scale operations at these times.
criterion_group! {
    name = benches;
    config = support::config();
    targets = atom_local, atom_sync, rwlock_local, rwlock_sync, mutex, handle_clone, snapshot
}
criterion_main!(benches);
