//! `Debug` for generated handles: never blocks (locked fields print `<locked>`, see
//! `lock.rs`) and never recurses forever. A handle reachable from itself (a graph with cycles,
//! a parent link) prints as `Name { .. }` the second time it is met on the same thread, instead
//! of overflowing the stack.

use core::cell::RefCell;
use core::fmt;
use std::collections::BTreeSet;

std::thread_local! {
    /// Addresses of the handles whose `Debug` is running on this thread. A set, so that printing
    /// a long chain of handles costs `n log n`, not `n²`.
    static PRINTING: RefCell<BTreeSet<usize>> = const { RefCell::new(BTreeSet::new()) };
}

/// Removes the address again when the field printing returns or panics.
struct Printing(usize);

impl Drop for Printing {
    fn drop(&mut self) {
        // `try_with`: this may run while the thread's locals are torn down.
        let _ = PRINTING.try_with(|p| p.borrow_mut().remove(&self.0));
    }
}

/// Prints `name { fields.. }` for the handle whose shared storage is `storage`, or `name { .. }`
/// when that storage is already being printed further up this thread's stack.
///
/// Inside a thread-local destructor that runs after this module's own thread-local is gone,
/// cycles can no longer be tracked: the handle then prints as `name { .. }` rather than risk
/// recursing forever (and never panics, which would abort the process there).
pub fn debug_handle<S>(
    storage: &S,
    name: &str,
    f: &mut fmt::Formatter<'_>,
    fields: impl FnOnce(&mut fmt::DebugStruct<'_, '_>),
) -> fmt::Result {
    let addr = core::ptr::from_ref(storage).addr();
    // `Some(true)`: first time on this stack; `Some(false)`: a cycle; `None`: untrackable.
    let first = PRINTING
        .try_with(|p| p.try_borrow_mut().map(|mut p| p.insert(addr)).ok())
        .ok()
        .flatten();
    let mut out = f.debug_struct(name);
    if first != Some(true) {
        return out.finish_non_exhaustive();
    }
    let _printing = Printing(addr);
    fields(&mut out);
    out.finish()
}
