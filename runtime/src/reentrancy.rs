//! Re-entrancy detection: which guards this thread holds, so that in debug builds
//!
//! - a `Sync` request that can only deadlock (this thread already holds a guard in the way)
//!   panics, naming where that guard was taken and where the request was made, and
//! - a `Local` borrow conflict names where the guard in the way was taken.
//!
//! Release builds (and the loom build, whose threads share one OS thread) compile none of the
//! bookkeeping: `Tracked<G>` is `G` itself, `track` returns its guard, and `acquire` is
//! the plain blocking call. The environment variable `SHARECELL_NO_REENTRANCY_CHECK` (any value
//! but empty or `0`), read once per process, turns the bookkeeping off in debug builds too.
//!
//! How a `Sync` request is judged: try the lock first. If that succeeds, nothing can deadlock.
//! If it fails and this thread holds any guard on the same lock, blocking would wait for a guard
//! only this thread can drop: a write or lock waits for every guard, a read waits for a writer,
//! and a read that fails while this thread holds a read means a writer is queued (std's lock
//! lets a queued writer go first), which in turn waits for our read. So the panic replaces a
//! certain deadlock, never a wait that would have ended.

#[cfg(all(debug_assertions, not(loom)))]
pub use self::debug::Tracked;
#[cfg(all(debug_assertions, not(loom)))]
pub(crate) use self::debug::{acquire, local_conflict, track};
#[cfg(not(all(debug_assertions, not(loom))))]
pub use self::release::Tracked;
#[cfg(not(all(debug_assertions, not(loom))))]
pub(crate) use self::release::{acquire, local_conflict, track};

#[cfg(not(all(debug_assertions, not(loom))))]
mod release {
    use crate::backend::StdTryLockError;
    use crate::error::{Access, TryLockError};

    /// A guard as a flavour hands it out: the guard itself, same layout. Public (hidden) only
    /// because the flavours' guard types name it; not public API.
    pub type Tracked<G> = G;

    /// Records a guard just taken (debug builds); here: returns it.
    #[inline(always)]
    pub(crate) fn track<C, G>(guard: G, _cell: &C, _access: Access) -> G {
        guard
    }

    /// A `Local` borrow failed: panic at the caller's line.
    #[cold]
    #[track_caller]
    pub(crate) fn local_conflict<C>(_cell: &C, access: Access) -> ! {
        TryLockError::new(access).conflict_panic(&"a guard on this field")
    }

    /// Takes a `Sync` lock: exactly `block()`.
    #[inline(always)]
    pub(crate) fn acquire<C, G>(
        _cell: &C,
        _access: Access,
        _try_lock: impl FnOnce() -> Result<G, StdTryLockError<G>>,
        block: impl FnOnce() -> G,
    ) -> G {
        block()
    }
}

#[cfg(all(debug_assertions, not(loom)))]
mod debug {
    use core::cell::RefCell;
    use core::fmt;
    use core::ops::{Deref, DerefMut};
    use core::panic::Location;
    use std::sync::atomic::{AtomicU8, Ordering};

    use crate::backend::StdTryLockError;
    use crate::error::{Access, TryLockError};

    /// A guard with its entry in this thread's registry; the entry goes when the guard does.
    /// Guards are `!Send`, so they are dropped on the thread whose registry holds the entry.
    /// Public (hidden) only because the flavours' guard types name it; not public API.
    pub struct Tracked<G> {
        guard: G,
        // Dropped after `guard`: fields drop in declaration order.
        _held: Held,
    }

    impl<G: Deref> Deref for Tracked<G> {
        type Target = G::Target;
        #[inline]
        fn deref(&self) -> &G::Target {
            &self.guard
        }
    }

    impl<G: DerefMut> DerefMut for Tracked<G> {
        #[inline]
        fn deref_mut(&mut self) -> &mut G::Target {
            &mut self.guard
        }
    }

    /// The id of a registry entry; 0 when the guard is not registered.
    struct Held(u64);

    impl Drop for Held {
        fn drop(&mut self) {
            if self.0 != 0 {
                // `try_with`: a guard may be dropped while the thread's locals are torn down.
                let _ = HELD.try_with(|r| r.borrow_mut().remove(self.0));
            }
        }
    }

    #[derive(Clone, Copy)]
    struct Entry {
        id: u64,
        addr: usize,
        access: Access,
        at: &'static Location<'static>,
    }

    struct Registry {
        next_id: u64,
        entries: Vec<Entry>,
    }

    thread_local! {
        static HELD: RefCell<Registry> = const {
            RefCell::new(Registry { next_id: 1, entries: Vec::new() })
        };
    }

    impl Registry {
        fn remove(&mut self, id: u64) {
            if let Some(i) = self.entries.iter().position(|e| e.id == id) {
                self.entries.remove(i);
            }
        }

        fn add(&mut self, addr: usize, access: Access, at: &'static Location<'static>) -> u64 {
            // A successful acquire proves that entries in conflict with it are stale (a guard
            // that was `mem::forget`-ten on a lock since freed, whose address is reused).
            self.entries
                .retain(|e| e.addr != addr || !conflicts(e.access, access));
            let id = self.next_id;
            self.next_id += 1;
            self.entries.push(Entry {
                id,
                addr,
                access,
                at,
            });
            id
        }

        /// The oldest guard on `addr` for which `relevant` holds, and how many more there are.
        fn find(&self, addr: usize, relevant: impl Fn(Access) -> bool) -> Option<Holder> {
            let mut matching = self
                .entries
                .iter()
                .filter(|e| e.addr == addr && relevant(e.access));
            let first = matching.next()?;
            Some(Holder {
                access: first.access,
                at: first.at,
                others: matching.count(),
            })
        }
    }

    const fn conflicts(held: Access, asked: Access) -> bool {
        !matches!((held, asked), (Access::Read, Access::Read))
    }

    /// Whether the bookkeeping is on: `SHARECELL_NO_REENTRANCY_CHECK` unset, empty or `0`.
    /// Read once; racing first calls read the same variable.
    fn enabled() -> bool {
        const UNKNOWN: u8 = 0;
        const ON: u8 = 1;
        const OFF: u8 = 2;
        static STATE: AtomicU8 = AtomicU8::new(UNKNOWN);
        match STATE.load(Ordering::Relaxed) {
            ON => true,
            OFF => false,
            _ => {
                let on = std::env::var_os("SHARECELL_NO_REENTRANCY_CHECK")
                    .is_none_or(|v| v.is_empty() || v == "0");
                STATE.store(if on { ON } else { OFF }, Ordering::Relaxed);
                on
            }
        }
    }

    fn addr_of<C>(cell: &C) -> usize {
        core::ptr::from_ref(cell).cast::<()>().addr()
    }

    fn register(addr: usize, access: Access, at: &'static Location<'static>) -> Held {
        if !enabled() {
            return Held(0);
        }
        HELD.try_with(|r| Held(r.borrow_mut().add(addr, access, at)))
            .unwrap_or(Held(0))
    }

    fn holder(addr: usize, relevant: impl Fn(Access) -> bool) -> Option<Holder> {
        if !enabled() {
            return None;
        }
        HELD.try_with(|r| r.borrow().find(addr, relevant))
            .ok()
            .flatten()
    }

    /// A guard this thread holds, for a message: "a read guard on this field, taken at X".
    struct Holder {
        access: Access,
        at: &'static Location<'static>,
        others: usize,
    }

    impl fmt::Display for Holder {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            let guard = match self.access {
                Access::Read => "a read guard",
                Access::Write => "a write guard",
                Access::Lock => "a mutex guard",
            };
            write!(f, "{guard} on this field, taken at {}", self.at)?;
            match self.others {
                0 => Ok(()),
                n => write!(f, " (and {n} more guard{})", if n == 1 { "" } else { "s" }),
            }
        }
    }

    #[inline]
    #[track_caller]
    pub(crate) fn track<C, G>(guard: G, cell: &C, access: Access) -> Tracked<G> {
        Tracked {
            guard,
            _held: register(addr_of(cell), access, Location::caller()),
        }
    }

    #[cold]
    #[track_caller]
    pub(crate) fn local_conflict<C>(cell: &C, access: Access) -> ! {
        let error = TryLockError::new(access);
        match holder(addr_of(cell), |held| conflicts(held, access)) {
            Some(holder) => error.conflict_panic(&holder),
            None if enabled() => error.conflict_panic(&"a guard on this field"),
            None => error.conflict_panic(
                &"a guard on this field (where it was taken is not tracked: \
                  SHARECELL_NO_REENTRANCY_CHECK is set)",
            ),
        }
    }

    #[inline]
    #[track_caller]
    pub(crate) fn acquire<C, G>(
        cell: &C,
        access: Access,
        try_lock: impl FnOnce() -> Result<G, StdTryLockError<G>>,
        block: impl FnOnce() -> G,
    ) -> Tracked<G> {
        if !enabled() {
            return Tracked {
                guard: block(),
                _held: Held(0),
            };
        }
        let addr = addr_of(cell);
        let guard = match try_lock() {
            Ok(guard) => guard,
            Err(StdTryLockError::Poisoned(poisoned)) => poisoned.into_inner(),
            Err(StdTryLockError::WouldBlock) => {
                if let Some(holder) = holder(addr, |_| true) {
                    deadlock_panic(access, &holder);
                }
                block()
            }
        };
        Tracked {
            guard,
            _held: register(addr, access, Location::caller()),
        }
    }

    /// The `Sync` flavour's answer to a request that would wait for a guard of its own thread.
    #[cold]
    #[track_caller]
    fn deadlock_panic(access: Access, holder: &Holder) -> ! {
        let asked = Location::caller();
        let verb = access.verb();
        let why = if matches!((holder.access, access), (Access::Read, Access::Read)) {
            "another thread is waiting to write it: the writer waits for this thread's read \
             guard, and a new read waits for the writer"
        } else {
            "the request waits for a guard that only this thread can drop"
        };
        panic!(
            "cannot {verb}: waiting would deadlock (sharecell, Sync flavour: this thread holds \
             {holder}; asked to {verb} at {asked}; {why}. Drop the guard first, or use the \
             try_* method to get an error instead of waiting. This check runs in debug builds \
             only; SHARECELL_NO_REENTRANCY_CHECK=1 turns it off)"
        )
    }
}
