//! Helpers shared by the runtime's integration tests: catching an intentional panic quietly,
//! with its message, and iteration counts that keep Miri fast.

// Each test file is its own crate and uses only some of these helpers.
#![allow(dead_code, unused_macros)]

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::panic::{self, AssertUnwindSafe, Location, PanicHookInfo};
use std::sync::Once;

/// Emits `mod local` and `mod sync` with one `#[test]` per flavour for each generic test body,
/// so a failure names its flavour.
macro_rules! for_both_flavors {
    ($($name:ident),* $(,)?) => {
        mod local {
            $(#[test] fn $name() { super::$name::<sharecell::LocalFlavor>(); })*
        }
        mod sync {
            $(#[test] fn $name() { super::$name::<sharecell::SyncFlavor>(); })*
        }
    };
}

thread_local! {
    /// Set while this thread runs code that is meant to panic: the hook stays quiet.
    static EXPECTING: Cell<bool> = const { Cell::new(false) };
    /// Where this thread's last expected panic happened, as `at` spells it.
    static PANICKED_AT: RefCell<Option<(String, u32)>> = const { RefCell::new(None) };
}

/// Installs (once per test binary) a panic hook that silences panics on threads that expect
/// them and forwards every other panic to the previous hook, so real failures still print.
fn install_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info: &PanicHookInfo<'_>| {
            if EXPECTING.with(Cell::get) {
                let at = info.location().map(|l| (l.file().to_owned(), l.line()));
                PANICKED_AT.with(|p| *p.borrow_mut() = at);
            } else {
                previous(info);
            }
        }));
    });
}

fn payload_text(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else {
        String::from("<non-string panic payload>")
    }
}

/// Runs `f`, which must panic, and returns the panic message.
#[track_caller]
pub fn panic_message<R>(f: impl FnOnce() -> R) -> String {
    install_hook();
    EXPECTING.with(|e| e.set(true));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    EXPECTING.with(|e| e.set(false));
    match result {
        Ok(_) => panic!("expected a panic, but the call returned"),
        Err(payload) => payload_text(&*payload),
    }
}

/// Runs `f`, which must panic, and returns the panic message and where it panicked, as `at`
/// spells a place (`"file.rs:LINE:"`).
#[track_caller]
pub fn panic_message_and_place<R>(f: impl FnOnce() -> R) -> (String, String) {
    let message = panic_message(f);
    let (file, line) = PANICKED_AT
        .with(|p| p.borrow_mut().take())
        .expect("the hook saw the panic");
    (message, format!("{file}:{line}:"))
}

/// Runs `f`, which must panic, and drops the message.
pub fn expect_panic<R>(f: impl FnOnce() -> R) {
    let _ = panic_message(f);
}

/// `"path/of/the/caller.rs:LINE:"`, as a message prints a `Location` (the column follows).
#[track_caller]
pub fn at(line: u32) -> String {
    format!("{}:{line}:", Location::caller().file())
}

/// `n`, or at most 50 under Miri, whose interpreter is ~1000x slower.
pub const fn iterations(n: usize) -> usize {
    const MIRI_MAX: usize = 50;
    if cfg!(miri) && n > MIRI_MAX {
        MIRI_MAX
    } else {
        n
    }
}
