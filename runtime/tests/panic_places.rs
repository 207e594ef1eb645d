//! A panic of a runtime function points at the caller's line, not into the runtime: every
//! function on the way to a panic is `#[track_caller]`. (The lock conflicts and the
//! re-entrancy panics are checked in reentrancy.rs; these are the rest.)
#![cfg(not(loom))]

#[macro_use]
mod common;

use common::{at, panic_message_and_place};
use sharecell::{Atom, Flavor, LocalFlavor, Once};

/// `take` and `fetch_not` write the atom, which the closure of its own `update` must not
/// (debug builds check it).
#[cfg(debug_assertions)]
fn atom_writes_inside_update<F: Flavor>() {
    let count = Atom::<u32, F>::new(3);
    let (message, place) = panic_message_and_place(|| count.update(|n| count.take() + n));
    assert!(message.contains("wrote the same atom"), "{message}");
    assert_eq!(place, at(line!() - 2), "{message}");

    let flag = Atom::<bool, F>::new(false);
    let (message, place) = panic_message_and_place(|| flag.update(|b| flag.fetch_not() || b));
    assert!(message.contains("wrote the same atom"), "{message}");
    assert_eq!(place, at(line!() - 2), "{message}");
}

#[cfg(debug_assertions)]
for_both_flavors!(atom_writes_inside_update);

/// `LocalFlavor`: a closure of `get_or_init` that initialises its own field (std's `OnceCell`
/// panics inside core; sharecell at the caller's line).
#[test]
fn local_once_initialised_from_its_own_closure_panics_at_the_caller() {
    let once = Once::<u32, LocalFlavor>::new(None);
    let (message, place) =
        panic_message_and_place(|| once.get_or_init(|| once.get_or_init(|| 1) + 1));
    assert!(message.contains("re-entrant initialisation"), "{message}");
    assert_eq!(place, at(line!() - 2), "{message}");
    assert_eq!(once.get(), Some(&1), "the inner initialisation stands");
}
