//! Helpers shared by the integration tests: instantiating one generic test body for both
//! flavours, and catching intentional panics quietly with the location they report.

// Each test file is its own crate and uses only some of these helpers.
#![allow(dead_code, unused_macros)]

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::panic::{self, AssertUnwindSafe, PanicHookInfo};
use std::sync::Once;

/// Emits `mod local` and `mod sync` with one `#[test]` per name, each calling the generic
/// function `name::<Flavor>()` of the enclosing module, so a failure names its flavour.
macro_rules! for_both_flavors {
    ($($name:ident),* $(,)?) => {
        mod local {
            $(
                #[test]
                fn $name() {
                    super::$name::<::sharecell::LocalFlavor>();
                }
            )*
        }
        mod sync {
            $(
                #[test]
                fn $name() {
                    super::$name::<::sharecell::SyncFlavor>();
                }
            )*
        }
    };
}

/// What an intentional panic reported: where it happened and its message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caught {
    pub file: String,
    pub line: u32,
    pub message: String,
}

thread_local! {
    /// Set while this thread runs code that is meant to panic: the hook records the panic
    /// instead of printing it.
    static EXPECTING: Cell<bool> = const { Cell::new(false) };
    static CAUGHT: RefCell<Option<Caught>> = const { RefCell::new(None) };
}

/// Installs (once per test binary) a panic hook that records panics on threads that expect
/// them and forwards every other panic to the previous hook, so real failures still print.
fn install_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info: &PanicHookInfo<'_>| {
            if EXPECTING.with(Cell::get) {
                CAUGHT.with(|c| *c.borrow_mut() = Some(caught(info)));
            } else {
                previous(info);
            }
        }));
    });
}

fn caught(info: &PanicHookInfo<'_>) -> Caught {
    let (file, line) = info
        .location()
        .map_or((String::new(), 0), |l| (l.file().to_owned(), l.line()));
    Caught {
        file,
        line,
        message: payload_text(info.payload()),
    }
}

fn payload_text(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else {
        String::new()
    }
}

/// Marks the current thread as one whose panics are intentional: they are recorded, not
/// printed. For threads that are meant to die (the poisoning tests).
pub fn expect_panics_on_this_thread() {
    install_hook();
    EXPECTING.with(|e| e.set(true));
}

/// Runs `f`, which must panic, and returns where and with what message it panicked.
pub fn catch_panic<R>(f: impl FnOnce() -> R) -> Caught {
    install_hook();
    let was_expecting = EXPECTING.with(|e| e.replace(true));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    EXPECTING.with(|e| e.set(was_expecting));
    assert!(
        result.is_err(),
        "expected a panic, but the code returned normally"
    );
    CAUGHT
        .with(|c| c.borrow_mut().take())
        .expect("the panic hook recorded the panic")
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
