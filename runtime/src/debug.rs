//! `Debug` for generated handles: never blocks (locked fields print `<locked>`, see
//! `lock.rs`) and never recurses forever. A handle reachable from itself (a graph with cycles,
//! a parent link) prints as `Name { .. }` the second time it is met on the same thread, instead
//! of overflowing the stack.
//!
//! The handles being printed are kept in a thread-local set. Thread-local destructors run at the
//! end of a thread in no fixed order, so one may print a handle after that set is gone; from then
//! on a second record takes over, [`Path`], which needs no destructor and so lasts until the
//! thread ends. Handles print their fields there too.

use core::cell::{Cell, RefCell};
use core::fmt;
use std::collections::BTreeSet;

use core::ops::Deref;

std::thread_local! {
    /// The handles whose `Debug` is running on this thread. A set, so that printing a long chain
    /// of handles costs `n log n`, not `n²`.
    static PRINTING: RefCell<BTreeSet<usize>> = const { RefCell::new(BTreeSet::new()) };
    /// The same once `PRINTING` is destroyed.
    static LATE: Path = const { Path::new() };
}

/// How many handles at the top of a printing path [`Path`] keeps one by one.
const EXACT: usize = 64;

/// The handles being printed, kept without a heap or a `Drop` (a thread-local of this type has
/// no destructor, so it is there for the other thread-locals' destructors).
///
/// The first [`EXACT`] handles of the path are kept one by one: a cycle among them is cut where
/// it closes, as with `PRINTING`. Deeper, only the handle at each depth `2^k` is kept (Brent's
/// way of finding a cycle without the whole path): a handle met again is cut when it is one of
/// those, so a deep cycle prints a little more of itself before it is cut, and printing still
/// ends. A handle is only ever cut because it is on the path already, never for the depth.
struct Path {
    /// How many handles are being printed: the depth of the next one.
    depth: Cell<usize>,
    /// The handles at depths `0..EXACT`.
    near: [Cell<usize>; EXACT],
    /// The handle at depth `2^k`, at index `k` (from `log2(EXACT)` on).
    marks: [Cell<usize>; usize::BITS as usize],
}

impl Path {
    const fn new() -> Self {
        Path {
            depth: Cell::new(0),
            near: [const { Cell::new(0) }; EXACT],
            marks: [const { Cell::new(0) }; usize::BITS as usize],
        }
    }

    /// Enters the handle at `addr`: `false` when it is on the path already (a cycle).
    fn enter(&self, addr: usize) -> bool {
        let depth = self.depth.get();
        let first_mark = EXACT.ilog2() as usize;
        // The marks above `depth`: those at `2^k < depth`.
        let marks_end = if depth > EXACT {
            (depth - 1).ilog2() as usize + 1
        } else {
            first_mark
        };
        let near = &self.near[..depth.min(EXACT)];
        let marks = &self.marks[first_mark..marks_end];
        if near.iter().chain(marks).any(|kept| kept.get() == addr) {
            return false;
        }
        if depth < EXACT {
            self.near[depth].set(addr);
        } else if depth.is_power_of_two() {
            self.marks[depth.ilog2() as usize].set(addr);
        }
        self.depth.set(depth + 1);
        true
    }

    /// Leaves the handle entered last.
    fn leave(&self) {
        self.depth.set(self.depth.get().saturating_sub(1));
    }
}

/// A handle being printed; leaves the record again when dropped (also while unwinding).
enum Inside {
    /// In `PRINTING`, under this address.
    Set(usize),
    /// In `LATE`.
    Late,
}

impl Drop for Inside {
    fn drop(&mut self) {
        // `try_with`: this may run while the thread's locals are torn down.
        match *self {
            Inside::Set(addr) => {
                let _ = PRINTING.try_with(|p| p.try_borrow_mut().map(|mut p| p.remove(&addr)));
            }
            Inside::Late => {
                let _ = LATE.try_with(Path::leave);
            }
        }
    }
}

/// Enters the handle at `addr`; `None` when it is being printed already further up this
/// thread's stack (or, on a platform whose thread-locals all have destructors, when printing
/// runs after both records are gone).
fn enter(addr: usize) -> Option<Inside> {
    match PRINTING.try_with(|p| p.try_borrow_mut().map(|mut p| p.insert(addr))) {
        Ok(Ok(first)) => first.then_some(Inside::Set(addr)),
        Ok(Err(_)) => None,
        // Destroyed: a thread-local destructor is printing, at the end of the thread.
        Err(_) => LATE
            .try_with(|path| path.enter(addr))
            .is_ok_and(|first| first)
            .then_some(Inside::Late),
    }
}

/// Prints `name { fields.. }` for the handle whose shared storage is `storage`, or `name { .. }`
/// when that storage is already being printed further up this thread's stack. Inside a
/// thread-local destructor it prints the same (see `Path` in debug.rs for deep cycles there), and never
/// panics, which would abort the process there.
///
/// `fields` are the fields' cells (an atom's directly, any other through [`DebugField`]) and
/// `names` their names.
#[inline]
pub fn debug_handle<S>(
    storage: &S,
    name: &str,
    names: &[&str],
    fields: &[&dyn fmt::Debug],
    f: &mut fmt::Formatter<'_>,
) -> fmt::Result {
    debug_fields(core::ptr::from_ref(storage).addr(), name, names, fields, f)
}

/// [`debug_handle`], once for every handle type.
fn debug_fields(
    addr: usize,
    name: &str,
    names: &[&str],
    fields: &[&dyn fmt::Debug],
    f: &mut fmt::Formatter<'_>,
) -> fmt::Result {
    let mut out = f.debug_struct(name);
    let Some(_inside) = enter(addr) else {
        return out.finish_non_exhaustive();
    };
    for (name, field) in names.iter().zip(fields) {
        out.field(name, field);
    }
    out.finish()
}

/// A field's cell, as the generated `Debug` prints it: `DebugField(&cell).__sharecell_field()` is the cell
/// when it is `Debug`, and otherwise (the method found through `Deref`) a stand-in that prints
/// `<not Debug>`. The choice is made where the derive's impl is compiled, from the field's type
/// and the impl's bounds, so a field type that is not `Debug` does not stop the handle from
/// being `Debug`, and a handle inside a field (its own, in a tree) makes no cycle of bounds.
pub struct DebugField<'a, C>(pub &'a C);

impl<C: fmt::Debug> DebugField<'_, C> {
    /// The cell itself. (A name no trait of the user's has: a method of a trait in scope at
    /// the derive would be found before the `Deref` to [`NotDebug`].)
    #[inline]
    pub fn __sharecell_field(&self) -> &dyn fmt::Debug {
        self.0
    }
}

impl<C> Deref for DebugField<'_, C> {
    type Target = NotDebug;
    #[inline]
    fn deref(&self) -> &NotDebug {
        &NotDebug
    }
}

/// What a field whose type is not `Debug` prints: `<not Debug>`.
pub struct NotDebug;

impl NotDebug {
    /// The stand-in, for a cell that is not `Debug`.
    #[inline]
    pub fn __sharecell_field(&self) -> &dyn fmt::Debug {
        self
    }
}

impl fmt::Debug for NotDebug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<not Debug>")
    }
}

#[cfg(test)]
mod tests {
    use super::{Path, EXACT};

    /// Enters `addrs` in turn; the index of the first one refused.
    fn first_refused(path: &Path, addrs: impl IntoIterator<Item = usize>) -> Option<usize> {
        addrs.into_iter().position(|addr| !path.enter(addr))
    }

    #[test]
    fn a_long_chain_is_never_cut() {
        // Past several marks; shorter under Miri, which is slow at it.
        let n = if cfg!(miri) { 600 } else { 10_000 };
        let path = Path::new();
        assert_eq!(first_refused(&path, 1..=n), None);
        for _ in 0..n {
            path.leave();
        }
        assert_eq!(path.depth.get(), 0);
        assert_eq!(first_refused(&path, 1..=n), None);
    }

    #[test]
    fn a_cycle_near_the_top_is_cut_where_it_closes() {
        let path = Path::new();
        assert_eq!(first_refused(&path, [1, 2, 3, 4, 5, 3]), Some(5));
    }

    #[test]
    fn a_deep_cycle_is_cut_within_twice_its_depth() {
        let path = Path::new();
        let start = 3 * EXACT / 2;
        let period = 7;
        let walk = (1..=start).chain((0..).map(|i| 1_000 + i % period));
        let cut = first_refused(&path, walk).expect("the cycle is cut");
        assert!(cut > start && cut <= 2 * (start + period), "cut at {cut}");
    }

    #[test]
    fn a_mark_left_behind_cuts_nothing() {
        let path = Path::new();
        // Depths 0..200; the mark at depth 128 is the handle 129.
        assert_eq!(first_refused(&path, 1..=200), None);
        for _ in 0..100 {
            path.leave();
        }
        // Another branch from depth 100, over depth 128 again, then the handle 129: not on
        // this path.
        assert_eq!(first_refused(&path, (1_001..=1_030).chain([129])), None);
    }
}
