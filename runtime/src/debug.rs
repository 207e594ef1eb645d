//! `Debug` for generated handles: never blocks (locked fields print `<locked>`, see
//! `lock.rs`) and never recurses forever. A handle reachable from itself (a graph with cycles,
//! a parent link) prints as `Name { .. }` the second time it is met on the same thread, instead
//! of overflowing the stack.

use core::cell::RefCell;
use core::fmt;

std::thread_local! {
    /// Addresses of the handles whose `Debug` is running on this thread, innermost last.
    static PRINTING: RefCell<Vec<usize>> = const { RefCell::new(Vec::new()) };
}

/// Pops the address again when the field printing returns or panics.
struct Printing(usize);

impl Drop for Printing {
    fn drop(&mut self) {
        PRINTING.with(|p| {
            let mut p = p.borrow_mut();
            if let Some(i) = p.iter().rposition(|&a| a == self.0) {
                p.remove(i);
            }
        });
    }
}

/// Prints `name { fields.. }` for the handle whose shared storage is `storage`, or `name { .. }`
/// when that storage is already being printed further up this thread's stack.
pub fn debug_handle<S>(
    storage: &S,
    name: &str,
    f: &mut fmt::Formatter<'_>,
    fields: impl FnOnce(&mut fmt::DebugStruct<'_, '_>),
) -> fmt::Result {
    let addr = core::ptr::from_ref(storage).addr();
    let cycle = PRINTING.with(|p| {
        let mut p = p.borrow_mut();
        let seen = p.contains(&addr);
        if !seen {
            p.push(addr);
        }
        seen
    });
    let mut out = f.debug_struct(name);
    if cycle {
        return out.finish_non_exhaustive();
    }
    let _printing = Printing(addr);
    fields(&mut out);
    out.finish()
}
