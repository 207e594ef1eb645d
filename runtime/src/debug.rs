//! `Debug` for generated handles: never blocks (locked fields print `<locked>`, see
//! `lock.rs`) and never recurses forever. A handle reachable from itself (a graph with cycles,
//! a parent link) prints as `Name { .. }` the second time it is met on the same thread, instead
//! of overflowing the stack. Serialization (serde_impls.rs) finds cycles the same way.

use core::cell::RefCell;
use core::fmt;
use std::collections::BTreeSet;
use std::thread::LocalKey;

use crate::field::DebugCells;

/// Addresses of the handles that one recursive walk (`Debug`, serialization) is inside of on
/// this thread. A set, so that walking a long chain of handles costs `n log n`, not `n²`.
pub(crate) type Walk = LocalKey<RefCell<BTreeSet<usize>>>;

std::thread_local! {
    /// The handles whose `Debug` is running on this thread.
    static PRINTING: RefCell<BTreeSet<usize>> = const { RefCell::new(BTreeSet::new()) };
}

/// A handle entered by a walk; leaves it again when dropped (also while unwinding).
pub(crate) struct Inside {
    walk: &'static Walk,
    addr: usize,
}

impl Drop for Inside {
    fn drop(&mut self) {
        // `try_with`: this may run while the thread's locals are torn down.
        let _ = self.walk.try_with(|p| p.borrow_mut().remove(&self.addr));
    }
}

/// What entering a handle found.
pub(crate) enum Enter {
    /// The first time on this thread's stack: walk it; leaves when dropped.
    First(Inside),
    /// The walk is inside this handle already: a cycle.
    Again,
    /// The walk cannot tell: inside a thread-local destructor that runs after the walk's own
    /// thread-local is gone.
    Untracked,
}

/// Enters the handle at `addr`.
pub(crate) fn enter(walk: &'static Walk, addr: usize) -> Enter {
    let first = walk
        .try_with(|p| p.try_borrow_mut().map(|mut p| p.insert(addr)).ok())
        .ok()
        .flatten();
    match first {
        Some(true) => Enter::First(Inside { walk, addr }),
        Some(false) => Enter::Again,
        None => Enter::Untracked,
    }
}

/// Prints `name { fields.. }` for the handle whose shared storage is `storage`, or `name { .. }`
/// when that storage is already being printed further up this thread's stack.
///
/// Inside a thread-local destructor that runs after this module's own thread-local is gone,
/// cycles can no longer be tracked: the handle then prints as `name { .. }` rather than risk
/// recursing forever (and never panics, which would abort the process there).
///
/// `cells` are the fields' storage and `names` their names (see `Cells`).
pub fn debug_handle<S, C: DebugCells>(
    storage: &S,
    name: &str,
    names: &[&'static str],
    cells: C,
    f: &mut fmt::Formatter<'_>,
) -> fmt::Result {
    let mut out = f.debug_struct(name);
    let Enter::First(_inside) = enter(&PRINTING, core::ptr::from_ref(storage).addr()) else {
        return out.finish_non_exhaustive();
    };
    cells.add_to(&mut names.iter(), &mut out);
    out.finish()
}
