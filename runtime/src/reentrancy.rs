//! Re-entrancy detection: which guards this thread holds, so that in debug builds
//!
//! - a `SyncFlavor` request that can only deadlock (this thread already holds a guard in the way)
//!   panics, naming where that guard was taken and where the request was made, and
//! - a `LocalFlavor` borrow conflict names where the guard in the way was taken.
//!
//! Release builds (and the loom build, whose threads share one OS thread) compile none of the
//! bookkeeping: `Tracked` is empty (a guard is exactly the std guard it wraps), and
//! `blocking_acquire` is the plain blocking call. The environment variable `SHARECELL_NO_REENTRANCY_CHECK` (any value
//! but empty or `0`), read once per process, turns the bookkeeping off in debug builds too.
//!
//! How a `SyncFlavor` request is judged: try the lock first. If that succeeds, nothing can deadlock.
//! If it fails and this thread holds any guard on the same lock, blocking would wait for a guard
//! only this thread can drop: a write or lock waits for every guard, a read waits for a writer,
//! and a read that fails while this thread holds a read means a writer is queued (std's lock
//! lets a queued writer go first), which in turn waits for our read. So the panic replaces a
//! certain deadlock, never a wait that would have ended.

#[cfg(all(debug_assertions, not(loom)))]
pub(crate) use self::debug::{
    blocking_acquire, checked_wait, local_conflict, own_conflict, own_conflict_panic,
    own_guard_panic, register, LockId, LockKey, Tracked,
};
#[cfg(not(all(debug_assertions, not(loom))))]
pub(crate) use self::release::{
    blocking_acquire, checked_wait, local_conflict, own_conflict, own_conflict_panic,
    own_guard_panic, register, LockId, LockKey, Tracked,
};

#[cfg(not(all(debug_assertions, not(loom))))]
mod release {
    use crate::error::{Access, TryLockError};

    /// Debug builds: a guard's registry entry. Here: nothing, so a guard is exactly the std
    /// guard it wraps.
    pub(crate) struct Tracked;

    /// Debug builds: a lock's identity. Here: nothing.
    #[derive(Clone, Copy)]
    pub(crate) struct LockId;

    impl LockId {
        #[inline(always)]
        pub(crate) const fn new() -> Self {
            LockId
        }
    }

    /// Debug builds: what the bookkeeping knows a lock by. Here: nothing.
    #[derive(Clone, Copy)]
    pub(crate) struct LockKey;

    impl LockKey {
        #[inline(always)]
        pub(crate) fn new<L>(_lock: &L, _id: &LockId) -> Self {
            LockKey
        }

        #[inline(always)]
        pub(crate) fn formatting(self) -> Self {
            self
        }
    }

    /// Records a guard just taken (debug builds); here: nothing.
    #[inline(always)]
    pub(crate) fn register(_key: LockKey, _access: Access) -> Tracked {
        Tracked
    }

    /// A `LocalFlavor` borrow failed: panic at the caller's line.
    #[cold]
    #[track_caller]
    pub(crate) fn local_conflict(_key: LockKey, access: Access) -> ! {
        TryLockError::new(access).conflict_panic(&"a guard on this field")
    }

    /// Debug builds: the error when this thread holds a guard in the way. Here: none known.
    #[inline(always)]
    pub(crate) fn own_conflict(_key: LockKey, _access: Access) -> Option<TryLockError> {
        None
    }

    /// Debug builds: panics when this thread holds a guard in the way. Here: nothing.
    #[inline(always)]
    pub(crate) fn own_conflict_panic(_key: LockKey, _access: Access) {}

    /// Debug builds: panics when this thread holds a guard on the lock. Here: nothing.
    #[inline(always)]
    pub(crate) fn own_guard_panic(_key: LockKey, _access: Access) {}

    /// Takes a blocking lock: exactly `block()`.
    #[inline(always)]
    pub(crate) fn blocking_acquire<G>(
        _key: LockKey,
        _access: Access,
        _try_lock: impl FnOnce() -> Option<G>,
        block: impl FnOnce() -> G,
    ) -> (G, Tracked) {
        (block(), Tracked)
    }

    /// How long [`checked_wait`] waits at most.
    pub(crate) const CHECKED_WAIT: std::time::Duration = std::time::Duration::from_secs(1);

    /// Waits for a lock whose `try_lock` failed, for a caller that must not wait for ever
    /// (serialization). Debug builds refuse at once when this thread holds the guard in the way;
    /// here there is no record of this thread's guards, so the wait is bounded instead: the lock
    /// is tried again, with growing pauses, for at most [`CHECKED_WAIT`], then refused.
    pub(crate) fn checked_wait<G>(
        _key: LockKey,
        access: Access,
        try_lock: impl Fn() -> Option<G>,
        _block: impl FnOnce() -> G,
    ) -> Result<(G, Tracked), TryLockError> {
        let start = std::time::Instant::now();
        let mut pause = std::time::Duration::from_micros(1);
        loop {
            if let Some(guard) = try_lock() {
                return Ok((guard, Tracked));
            }
            if start.elapsed() >= CHECKED_WAIT {
                return Err(TryLockError::waited(access, CHECKED_WAIT));
            }
            std::thread::sleep(pause);
            pause = (pause * 2).min(std::time::Duration::from_millis(10));
        }
    }
}

#[cfg(all(debug_assertions, not(loom)))]
mod debug {
    use core::cell::RefCell;
    use core::fmt;
    use core::panic::Location;
    use std::collections::BTreeMap;
    use std::sync::atomic::{AtomicU64, AtomicU8, AtomicUsize, Ordering};

    use crate::error::{Access, TryLockError};
    use crate::lock_graph;

    /// A lock's identity: a lock made later at the same address (the first one dropped with a
    /// guard `mem::forget`-ten) is another lock. A lock that has moved (a cell in a `Vec` that
    /// grew, a value moved out and back) takes a new identity at its next use, so that its
    /// place in the lock order, which is its address, starts afresh in the lock-order graph too:
    /// no thread can hold a lock while it moves, so no order taken at its old address can meet
    /// one taken at the new.
    pub(crate) struct LockId {
        id: AtomicU64,
        /// The address of this `LockId` when `id` was given (0: not used yet).
        at: AtomicUsize,
    }

    static NEXT_ID: AtomicU64 = AtomicU64::new(1);

    impl LockId {
        pub(crate) fn new() -> Self {
            LockId {
                id: AtomicU64::new(NEXT_ID.fetch_add(1, Ordering::Relaxed)),
                at: AtomicUsize::new(0),
            }
        }

        /// The identity, renewed when the lock is used at a new address.
        fn current(&self) -> u64 {
            let here = core::ptr::from_ref(self).addr();
            let at = self.at.load(Ordering::Relaxed);
            if at != here
                && self
                    .at
                    .compare_exchange(at, here, Ordering::Relaxed, Ordering::Relaxed)
                    .is_ok()
                && at != 0
            {
                let new = NEXT_ID.fetch_add(1, Ordering::Relaxed);
                lock_graph::forget(self.id.swap(new, Ordering::Relaxed));
            }
            self.id.load(Ordering::Relaxed)
        }
    }

    /// A lock that is gone leaves the lock-order graph: a lock made later at the same address
    /// has a new identity and starts with no order.
    impl Drop for LockId {
        fn drop(&mut self) {
            lock_graph::forget(*self.id.get_mut());
        }
    }

    /// What the registry knows a lock by: its address and identity, and whether the guard is
    /// taken to format the value (`Debug`), which has no caller's line worth naming.
    #[derive(Clone, Copy)]
    pub(crate) struct LockKey {
        lock: (usize, u64),
        formatting: bool,
    }

    impl LockKey {
        #[inline]
        pub(crate) fn new<L>(lock: &L, id: &LockId) -> Self {
            LockKey {
                lock: (core::ptr::from_ref(lock).addr(), id.current()),
                formatting: false,
            }
        }

        #[inline]
        pub(crate) fn formatting(self) -> Self {
            LockKey {
                formatting: true,
                ..self
            }
        }
    }

    /// Where a guard was taken.
    #[derive(Clone, Copy)]
    enum Origin {
        At(&'static Location<'static>),
        Formatting,
    }

    impl Origin {
        #[track_caller]
        fn of(key: LockKey) -> Self {
            if key.formatting {
                Origin::Formatting
            } else {
                Origin::At(Location::caller())
            }
        }
    }

    /// The registry key of a guard: the lock, then the entry's own number.
    type EntryKey = ((usize, u64), u64);

    /// A guard's entry in this thread's registry (`None` when not registered); the entry goes
    /// when the guard, which owns this, does. Guards are `!Send`, so they are dropped on the
    /// thread whose registry holds the entry.
    pub(crate) struct Tracked(Option<EntryKey>);

    impl Drop for Tracked {
        fn drop(&mut self) {
            if let Some(key) = self.0 {
                // `try_with`: a guard may be dropped while the thread's locals are torn down.
                let _ = HELD.try_with(|r| r.borrow_mut().remove(key));
            }
        }
    }

    #[derive(Clone, Copy)]
    struct Entry {
        access: Access,
        origin: Origin,
    }

    /// The guards this thread holds, ordered by lock: each operation costs `log n`, so holding
    /// many guards (a `lock_all` over thousands of fields) stays cheap.
    struct Registry {
        next_id: u64,
        entries: BTreeMap<EntryKey, Entry>,
        /// The same entries by age (entry number): the lock of each and where it was taken.
        by_age: BTreeMap<u64, (u64, Origin)>,
    }

    thread_local! {
        static HELD: RefCell<Registry> = const {
            RefCell::new(Registry { next_id: 1, entries: BTreeMap::new(), by_age: BTreeMap::new() })
        };
    }

    impl Registry {
        /// The entries of one lock.
        fn of(&self, lock: (usize, u64)) -> impl Iterator<Item = (&EntryKey, &Entry)> + '_ {
            self.entries.range((lock, 0)..=(lock, u64::MAX))
        }

        fn add(&mut self, lock: (usize, u64), access: Access, origin: Origin) -> EntryKey {
            // A successful acquire proves that entries of the same lock in conflict with it are
            // stale (a guard that was `mem::forget`-ten on a `RefCell` since taken apart).
            let stale: Vec<EntryKey> = self
                .of(lock)
                .filter(|(_, e)| conflicts(e.access, access))
                .map(|(k, _)| *k)
                .collect();
            for key in stale {
                self.remove(key);
            }
            let key = (lock, self.next_id);
            self.next_id += 1;
            self.entries.insert(key, Entry { access, origin });
            self.by_age.insert(key.1, (lock.1, origin));
            key
        }

        fn remove(&mut self, key: EntryKey) {
            self.entries.remove(&key);
            self.by_age.remove(&key.1);
        }

        /// The locks whose orders before a new blocking request are recorded: every lock held,
        /// or, beyond [`ORDER_ALL`] held guards, the most recent one only (each lock's order
        /// against the one before it was recorded when it was taken, so the chain still leads
        /// from every held lock to the new one, unless a try took a lock in between).
        fn order_sources(&self) -> Vec<(u64, &'static Location<'static>)> {
            let located = |&(id, origin): &(u64, Origin)| match origin {
                Origin::At(at) => Some((id, at)),
                // A guard taken to format a value is tried, never waited for, and dropped
                // before `fmt` returns.
                Origin::Formatting => None,
            };
            if self.by_age.len() <= ORDER_ALL {
                self.by_age.values().filter_map(located).collect()
            } else {
                self.by_age
                    .values()
                    .rev()
                    .find_map(located)
                    .into_iter()
                    .collect()
            }
        }

        /// The oldest guard on `lock` for which `relevant` holds, and how many more there are.
        fn find(&self, lock: (usize, u64), relevant: impl Fn(Access) -> bool) -> Option<Holder> {
            let mut matching = self.of(lock).filter(|(_, e)| relevant(e.access));
            let (_, first) = matching.next()?;
            Some(Holder {
                access: first.access,
                origin: first.origin,
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

    /// Records a guard just taken, at the caller's line.
    #[inline]
    #[track_caller]
    pub(crate) fn register(key: LockKey, access: Access) -> Tracked {
        record(key, access, Origin::of(key))
    }

    fn record(key: LockKey, access: Access, origin: Origin) -> Tracked {
        if !enabled() {
            return Tracked(None);
        }
        HELD.try_with(|r| Tracked(Some(r.borrow_mut().add(key.lock, access, origin))))
            .unwrap_or(Tracked(None))
    }

    fn holder(key: LockKey, relevant: impl Fn(Access) -> bool) -> Option<Holder> {
        if !enabled() {
            return None;
        }
        HELD.try_with(|r| r.borrow().find(key.lock, relevant))
            .ok()
            .flatten()
    }

    /// A guard this thread holds, for a message: "a read guard on this field, taken at X".
    struct Holder {
        access: Access,
        origin: Origin,
        others: usize,
    }

    impl fmt::Display for Holder {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            let guard = match self.access {
                Access::Read => "a read guard",
                Access::Write => "a write guard",
                Access::Lock => "a mutex guard",
            };
            match self.origin {
                Origin::At(at) => write!(f, "{guard} on this field, taken at {at}")?,
                Origin::Formatting => write!(
                    f,
                    "{guard} on this field, taken to format it with `Debug` (the value's own \
                     `Debug` locks the field again)"
                )?,
            }
            match self.others {
                0 => Ok(()),
                n => write!(f, " (and {n} more guard{})", if n == 1 { "" } else { "s" }),
            }
        }
    }

    #[cold]
    #[track_caller]
    pub(crate) fn local_conflict(key: LockKey, access: Access) -> ! {
        let error = TryLockError::new(access);
        match holder(key, |held| conflicts(held, access)) {
            Some(holder) => error.conflict_panic(&holder),
            None if enabled() => error.conflict_panic(&"a guard on this field"),
            None => error.conflict_panic(
                &"a guard on this field (where it was taken is not tracked: \
                  SHARECELL_NO_REENTRANCY_CHECK is set)",
            ),
        }
    }

    /// Takes a blocking lock: tries first; when that fails and this thread holds a guard on
    /// the lock, waiting could never end, so it panics instead (see the module docs).
    #[inline]
    #[track_caller]
    pub(crate) fn blocking_acquire<G>(
        key: LockKey,
        access: Access,
        try_lock: impl FnOnce() -> Option<G>,
        block: impl FnOnce() -> G,
    ) -> (G, Tracked) {
        if !enabled() {
            return (block(), Tracked(None));
        }
        if let Err(inversion) = check_order(key) {
            inversion_panic(access, &inversion);
        }
        let guard = match try_lock() {
            Some(guard) => guard,
            None => {
                if let Some(holder) = holder(key, |_| true) {
                    deadlock_panic(access, &holder);
                }
                block()
            }
        };
        (guard, register(key, access))
    }

    /// The error of asking for `access` while this thread holds a guard in the way (a write
    /// or mutex guard; or any guard, to write), if it does.
    pub(crate) fn own_conflict(key: LockKey, access: Access) -> Option<TryLockError> {
        holder(key, |held| conflicts(held, access)).map(|_| TryLockError::own_guard(access))
    }

    /// Panics as a blocking request would when this thread holds a guard in the way of
    /// `access` (a request that waits for it could never end), before anything is taken.
    #[track_caller]
    pub(crate) fn own_conflict_panic(key: LockKey, access: Access) {
        if let Some(holder) = holder(key, |held| conflicts(held, access)) {
            deadlock_panic(access, &holder);
        }
    }

    /// A transaction's try found the lock busy: if a guard of this thread (outside the
    /// transaction, which checked its own) is in the way, every attempt would fail the same
    /// way, so it panics, naming where that guard was taken.
    #[cold]
    #[track_caller]
    pub(crate) fn own_guard_panic(key: LockKey, access: Access) {
        if let Some(holder) = holder(key, |held| conflicts(held, access)) {
            let verb = access.verb();
            panic!(
                "cannot {verb} in this transaction: this thread holds {holder}, outside the \
                 transaction (sharecell: asked at {}; the transaction would restart for ever. \
                 Drop the guard before the transaction, or take the lock through it. This \
                 check runs in debug builds only)",
                Location::caller()
            );
        }
    }

    /// Waits for a lock whose `try_lock` failed, unless this thread holds a guard on it: then
    /// the wait could never end, and the answer is an error (no panic, unlike
    /// [`blocking_acquire`]).
    pub(crate) fn checked_wait<G>(
        key: LockKey,
        access: Access,
        _try_lock: impl Fn() -> Option<G>,
        block: impl FnOnce() -> G,
    ) -> Result<(G, Tracked), TryLockError> {
        if holder(key, |_| true).is_some() {
            return Err(TryLockError::own_guard(access));
        }
        // A save waits only in the lock order; an order of the program's own against it is
        // reported where that order is taken, never as a failed save.
        let _ = check_order(key);
        Ok((block(), register(key, access)))
    }

    /// Records, in the process-wide lock-order graph (lock_graph.rs), that each lock this
    /// thread holds was held while it blocked on `key`'s; fails, recording nothing, when one of
    /// those orders is the reverse of one taken before (anywhere in the program).
    #[track_caller]
    fn check_order(key: LockKey) -> Result<(), lock_graph::Inversion> {
        if !order_check_enabled() {
            return Ok(());
        }
        let held = HELD
            .try_with(|r| {
                let r = r.borrow();
                // A lock this thread holds already is the re-entrancy check's to judge.
                if r.of(key.lock).next().is_some() {
                    Vec::new()
                } else {
                    r.order_sources()
                }
            })
            .unwrap_or_default();
        lock_graph::before_acquire(&held, key.lock.1, Location::caller())
    }

    /// How many held guards have their order against a new blocking request recorded one by
    /// one (see `Registry::order_sources`).
    const ORDER_ALL: usize = 16;

    /// Whether the lock-order check is on: the re-entrancy bookkeeping is, and
    /// `SHARECELL_NO_LOCK_ORDER_CHECK` is unset, empty or `0`. Read once.
    fn order_check_enabled() -> bool {
        static STATE: AtomicU8 = AtomicU8::new(0);
        match STATE.load(Ordering::Relaxed) {
            1 => true,
            2 => false,
            _ => {
                let on = std::env::var_os("SHARECELL_NO_LOCK_ORDER_CHECK")
                    .is_none_or(|v| v.is_empty() || v == "0");
                STATE.store(if on { 1 } else { 2 }, Ordering::Relaxed);
                on
            }
        }
    }

    /// The answer to a blocking request that takes two locks in the reverse of an order taken
    /// before: it could deadlock against that order, on another thread, in another run.
    #[cold]
    #[track_caller]
    fn inversion_panic(access: Access, inversion: &lock_graph::Inversion) -> ! {
        let verb = access.verb();
        let via = match inversion.path_len() {
            1 => String::new(),
            n => format!(
                " (through {} other lock{})",
                n - 1,
                if n == 2 { "" } else { "s" }
            ),
        };
        panic!(
            "cannot {verb}: lock-order inversion (sharecell, Sync flavour: this thread holds a \
             lock taken at {held} and asks here, at {asked}, for another; but that other lock \
             was taken first at {earlier_first}, then the held one at {earlier_then}{via}. Two \
             threads taking two locks in opposite orders can deadlock, even if this run did not. \
             Take them in one order everywhere: lock_all and transaction do it for you. This \
             check runs in debug builds only; SHARECELL_NO_LOCK_ORDER_CHECK=1 turns it off)",
            held = inversion.held_site(),
            asked = inversion.site(),
            earlier_first = inversion.earlier_from_site(),
            earlier_then = inversion.earlier_site(),
        )
    }

    /// The `SyncFlavor`'s answer to a request that would wait for a guard of its own thread.
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
