//! Transactions: locks taken in any order, as the code finds them, without deadlock.
//!
//! [`lock_all`](crate::lock_all) needs every lock up front. A [`transaction`] takes them one by
//! one while the body walks the data (a tree's ancestors, the accounts listed in a bank), and
//! stays deadlock-free with one rule on top of the crate's lock order (order.rs):
//!
//! - a lock that comes *after* every lock the attempt holds is waited for (waits in the lock
//!   order cannot form a cycle);
//! - a lock that comes *before* one the attempt holds is only tried; if it is busy, the attempt
//!   ends (the body's `?` returns [`Restart`], which drops every guard of the attempt), the
//!   transaction backs off and runs the body again.
//!
//! Because an attempt may end, the body must not change anything before it holds every lock it
//! needs: a change through a guard of the attempt (`DerefMut`) marks the attempt as changed, and
//! taking a lock after that panics, in every build. An attempt that has changed something can
//! therefore never restart, and nothing it changed is ever undone.
//!
//! In the `LocalFlavor` there is no other thread: every lock is free unless this thread holds
//! it, a conflict panics as `RefCell` does, and no attempt ever restarts.

use core::any::Any;
use core::cell::{Cell, OnceCell, RefCell};
use core::fmt;
use core::mem::ManuallyDrop;
use core::ops::{Deref, DerefMut};
use core::panic::Location;

use crate::error::Access;
use crate::field::HoldStop;
use crate::flavor::Flavor;
use crate::guard::{MutexGuard, ReadGuard, WriteGuard};
use crate::kinds::{MutexKind, RwLockKind};
use crate::lock::{acquire_checked, try_acquire};
use crate::mutex::Mutex;
use crate::order::Rank;
use crate::reentrancy::{own_guard_panic, LockKey, Tracked};
use crate::rwlock::RwLock;
use crate::TryLockError;

/// Runs `body` as a transaction: every lock it takes through `tx` ([`Transaction::read`],
/// [`Transaction::write`], [`Transaction::lock`]), in any order, is held until the body
/// returns, and the transaction cannot deadlock against other transactions,
/// [`lock_all`](crate::lock_all), a handle's `snapshot`, or single locks.
///
/// A lock that comes after every lock the attempt holds in the crate's lock order is waited
/// for; one that comes before is only tried, and if it is busy, the `?` on it ends the attempt:
/// every guard is dropped, the transaction backs off, and `body` runs again. Returns what the
/// successful attempt returned.
///
/// # The one rule: take every lock before the first change
///
/// A change through a guard of the attempt (anything that goes through `DerefMut`: `*g += 1`,
/// `g.push(..)`) marks the attempt as changed, and taking a lock after that panics, in every
/// build, whatever the timing. So an attempt that changed something never restarts, and no
/// change is ever rolled back. Reading through a write guard is not a change.
///
/// # The body may run more than once
///
/// `body` is `FnMut`: effects outside the locks (printing, sending, counting) happen once per
/// attempt. Do them after the transaction returns, or after the last lock is taken (from there
/// on the attempt cannot restart). To give up without changing anything, return `Ok` with a
/// value that says so (`Ok(false)`, `Ok(Err(reason))`).
///
/// Locks held outside the transaction stay outside its bookkeeping: inside the body, take locks
/// through `tx` only (a plain `read`/`lock` there waits while the attempt holds its guards,
/// which the lock order cannot protect). Atom, swap and once fields take no lock and are not
/// part of transactions: read them as usual; their values are not held still.
///
/// ```
/// use sharecell::{transaction, Shared};
///
/// #[derive(Shared)]
/// struct Account {
///     #[shared(mutex)]
///     balance: i64,
/// }
///
/// #[derive(Shared)]
/// struct Bank {
///     #[shared(mutex)]
///     accounts: Vec<AccountHandle>,
/// }
///
/// /// Moves `amount` from the account at `from` to the one at `to`, if it is there.
/// fn transfer(bank: &BankHandle, from: usize, to: usize, amount: i64) -> bool {
///     transaction(|tx| {
///         let accounts = tx.lock(bank.accounts())?;
///         // Found while walking: kept alive for the rest of the attempt.
///         let a = tx.keep(accounts[from].clone());
///         let b = tx.keep(accounts[to].clone());
///         let mut a = tx.lock(a.balance())?;
///         let mut b = tx.lock(b.balance())?;
///         // Every lock is held: from here on, change freely.
///         if *a < amount {
///             return Ok(false);
///         }
///         *a -= amount;
///         *b += amount;
///         Ok(true)
///     })
/// }
///
/// let bank = BankHandle::new(Bank {
///     accounts: vec![
///         AccountHandle::new(Account { balance: 100 }),
///         AccountHandle::new(Account { balance: 0 }),
///     ],
/// });
/// assert!(transfer(&bank, 0, 1, 30));
/// assert!(!transfer(&bank, 1, 0, 31));
/// let accounts = bank.accounts().get_cloned();
/// assert_eq!(accounts[0].balance().get_cloned(), 70);
/// assert_eq!(accounts[1].balance().get_cloned(), 30);
/// ```
///
/// # Panics
///
/// When a lock is taken after a change (the rule above), and when the attempt takes one field
/// twice in conflicting ways (a write and anything else; two reads are fine). `LocalFlavor`:
/// when a lock is held by a guard outside the transaction, like `RefCell`. `SyncFlavor`: when a
/// transaction takes a lock inside the body of another that holds locks (the inner one would
/// wait while the outer one holds its guards); debug builds also when this thread holds a
/// guard, outside the transaction, on a lock the attempt asks for.
#[track_caller]
#[inline]
pub fn transaction<R>(mut body: impl FnMut(&Transaction) -> Result<R, Restart>) -> R {
    let mut tx = Transaction::new();
    loop {
        if let Ok(value) = body(&tx) {
            return value;
        }
        tx.restart();
    }
}

/// One attempt of a [`transaction`]: takes locks for it, and keeps handles alive while it runs.
/// Handed to the body by `transaction`; not made otherwise.
//
// Cost: every field is a `Cell` of a plain value, and no function that is not inlined ever gets
// the transaction's address (the cold paths take values; what needs the heap is behind one
// pointer, `extra`, and its functions get that pointer). A body of a fixed shape then keeps the
// whole transaction in registers: in the `LocalFlavor` its machine code is that of the same
// borrows by hand.
pub struct Transaction {
    /// The locks this attempt holds or held (`SyncFlavor` only: `LocalFlavor` needs no order).
    held: Locks,
    /// Whether this transaction has marked the thread as inside one (`ACTIVE`): at its first
    /// `SyncFlavor` lock.
    marked: Cell<bool>,
    /// Where the attempt first changed something through one of its guards.
    changed_at: Cell<Option<&'static Location<'static>>>,
    /// A lock was busy: the attempt is over, and every further request says so.
    failed: Cell<bool>,
    /// Which attempt this is, from 1.
    attempt: Cell<u32>,
    /// What needs the heap, made at the first need: the values kept alive for the rest of the
    /// attempt ([`keep`](Self::keep)), the locks past the first few. Dropped by hand, in
    /// `Drop`, so that the drop glue reads no field by address.
    extra: ManuallyDrop<OnceCell<Box<Extra>>>,
}

/// What a [`Transaction`] keeps on the heap.
#[derive(Default)]
struct Extra {
    /// The entries of the lock list past [`INLINE`].
    spill: RefCell<Vec<Entry>>,
    /// What [`Transaction::keep`] keeps.
    kept: Kept,
}

/// The error that ends an attempt of a [`transaction`]: a lock the attempt asked for out of the
/// lock order was busy. Return it from the body with `?`; the transaction then drops every
/// guard of the attempt, backs off, and runs the body again.
///
/// Only a [`Transaction`] makes one.
pub struct Restart {
    _private: (),
}

impl fmt::Debug for Restart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Restart")
    }
}

impl fmt::Display for Restart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(
            "a lock this transaction asked for out of the lock order was busy: the attempt ends \
             and the transaction runs again",
        )
    }
}

impl std::error::Error for Restart {}

/// One lock of the attempt past the first few (`SyncFlavor`), in [`Extra::spill`].
#[derive(Clone, Copy)]
struct Entry {
    rank: Rank,
    access: Access,
    at: &'static Location<'static>,
    /// Its guard is alive.
    live: bool,
}

/// How [`Transaction::plan`] says to take a lock.
enum Plan {
    Wait,
    Try,
}

/// An entry number for a guard whose lock the attempt does not track (`LocalFlavor`).
const UNTRACKED: usize = usize::MAX;

#[cfg(not(loom))]
std::thread_local! {
    /// Whether this thread runs the body of a transaction that holds `SyncFlavor` locks: a
    /// transaction inside it would wait while the outer one holds its guards.
    static ACTIVE: Cell<bool> = const { Cell::new(false) };
}

// loom's threads share one OS thread: each needs loom's own thread-locals.
#[cfg(loom)]
loom::thread_local! {
    static ACTIVE: Cell<bool> = Cell::new(false);
}

/// Whether this thread runs a transaction's body.
#[cfg(feature = "serde")]
pub(crate) fn in_transaction() -> bool {
    ACTIVE.try_with(Cell::get).unwrap_or(false)
}

/// Marks this thread as inside a transaction that holds `SyncFlavor` locks.
#[inline]
#[track_caller]
fn mark_active() {
    let nested = ACTIVE.try_with(|a| a.replace(true)).unwrap_or(false);
    if nested {
        nested_panic();
    }
}

#[cold]
#[track_caller]
fn nested_panic() -> ! {
    panic!(
        "sharecell: a transaction took a lock inside another transaction's body; take the \
         locks through the outer transaction's `tx` instead (a nested transaction would wait \
         while the outer one holds its guards, which can deadlock)"
    );
}

/// The small list of the locks an attempt holds: the first four in place, a column per part
/// (so that reading one part never copies a whole entry); the rest in [`Extra::spill`].
struct Locks {
    len: Cell<usize>,
    /// Bit `i`: the guard of entry `i` (< [`INLINE`]) is alive.
    live: Cell<u8>,
    ranks: [Cell<Rank>; INLINE],
    accesses: [Cell<Access>; INLINE],
    places: [Cell<Option<&'static Location<'static>>>; INLINE],
}

/// How many entries [`Locks`] keeps in place.
const INLINE: usize = 4;

impl Locks {
    #[inline]
    fn new() -> Self {
        Locks {
            len: Cell::new(0),
            live: Cell::new(0),
            ranks: [const { Cell::new(Rank::NONE) }; INLINE],
            accesses: [const { Cell::new(Access::Read) }; INLINE],
            places: [const { Cell::new(None) }; INLINE],
        }
    }

    /// Calls `f` with the columns of entry `index` if it is kept in place. A `match`, so that
    /// each call names its entry by a constant offset: an index only known at run time would
    /// keep the whole transaction out of registers.
    #[inline(always)]
    fn slot<R>(
        &self,
        index: usize,
        f: impl FnOnce(&Cell<Rank>, &Cell<Access>, &Cell<Option<&'static Location<'static>>>) -> R,
    ) -> Option<R> {
        let [r0, r1, r2, r3] = &self.ranks;
        let [a0, a1, a2, a3] = &self.accesses;
        let [p0, p1, p2, p3] = &self.places;
        Some(match index {
            0 => f(r0, a0, p0),
            1 => f(r1, a1, p1),
            2 => f(r2, a2, p2),
            3 => f(r3, a3, p3),
            _ => return None,
        })
    }

    /// Calls `f` with each live entry kept in place (written out, for constant offsets as in
    /// [`slot`](Self::slot)).
    #[inline(always)]
    fn scan<E>(&self, mut f: impl FnMut(usize, Rank, Access) -> Result<(), E>) -> Result<(), E> {
        let (len, live) = (self.len.get(), self.live.get());
        let [r0, r1, r2, r3] = &self.ranks;
        let [a0, a1, a2, a3] = &self.accesses;
        if len > 0 && live & 1 != 0 {
            f(0, r0.get(), a0.get())?;
        }
        if len > 1 && live & 2 != 0 {
            f(1, r1.get(), a1.get())?;
        }
        if len > 2 && live & 4 != 0 {
            f(2, r2.get(), a2.get())?;
        }
        if len > 3 && live & 8 != 0 {
            f(3, r3.get(), a3.get())?;
        }
        Ok(())
    }

    /// Entry `index`, if it is kept in place, is no longer held; `false` if it is spilled.
    #[inline]
    fn release(&self, index: usize) -> bool {
        if index < INLINE {
            self.live.set(self.live.get() & !(1 << index));
        }
        index < INLINE
    }
}

/// Judges a request (`rank`, `access`) against one lock the attempt holds: a conflict on the
/// same field is the held access and entry; a held lock at or after the request makes it a
/// try.
#[inline(always)]
fn judge(
    held: Rank,
    held_access: Access,
    index: usize,
    rank: Rank,
    access: Access,
    try_only: &mut bool,
) -> Result<(), (Access, usize)> {
    if held == rank && (held_access != Access::Read || access != Access::Read) {
        return Err((held_access, index));
    }
    if held >= rank {
        *try_only = true;
    }
    Ok(())
}

/// The heap part's functions, each out of line: they get the heap part's address, never the
/// transaction's (see [`Transaction`]). Spilled entry `index` counts from [`INLINE`].
impl Extra {
    /// Makes one, once per transaction that needs it.
    #[cold]
    #[inline(never)]
    fn new_boxed() -> Box<Extra> {
        Box::default()
    }

    /// Drops one.
    #[cold]
    #[inline(never)]
    fn drop_boxed(extra: Box<Extra>) {
        drop(extra);
    }

    /// Forgets what an attempt kept and spilled, for the next one.
    #[cold]
    #[inline(never)]
    fn reset(&mut self) {
        self.spill.get_mut().clear();
        self.kept = Kept::default();
    }

    /// Appends a lock just taken to the spilled entries.
    #[inline(never)]
    fn push(&self, entry: Entry) {
        self.spill.borrow_mut().push(entry);
    }

    /// Spilled entry `index` is no longer held.
    #[inline(never)]
    fn release(&self, index: usize) {
        if let Some(entry) = self.spill.borrow_mut().get_mut(index - INLINE) {
            entry.live = false;
        }
    }

    /// Judges `rank`/`access` against the spilled entries still held: as
    /// [`Transaction::place`] (`true`: only try).
    #[inline(never)]
    fn place(&self, rank: Rank, access: Access) -> Result<bool, (Access, usize)> {
        let mut try_only = false;
        for (i, entry) in self.spill.borrow().iter().enumerate() {
            if entry.live {
                judge(
                    entry.rank,
                    entry.access,
                    i + INLINE,
                    rank,
                    access,
                    &mut try_only,
                )?;
            }
        }
        Ok(try_only)
    }

    /// Where spilled entry `index` was taken.
    #[cold]
    #[inline(never)]
    fn place_of(&self, index: usize) -> Option<&'static Location<'static>> {
        self.spill.borrow().get(index - INLINE).map(|e| e.at)
    }
}

impl Transaction {
    #[inline]
    fn new() -> Self {
        Transaction {
            held: Locks::new(),
            marked: Cell::new(false),
            changed_at: Cell::new(None),
            failed: Cell::new(false),
            attempt: Cell::new(1),
            extra: ManuallyDrop::new(OnceCell::new()),
        }
    }

    /// A transaction of one hold, outside any `transaction` (a save's nested cell).
    #[cfg(feature = "serde")]
    pub(crate) fn lone() -> Self {
        Transaction::new()
    }

    /// Which attempt of the transaction this is: 1 for the first run of the body, 2 after one
    /// restart, and so on. In the `LocalFlavor` it is always 1.
    #[inline]
    #[must_use]
    pub fn attempt(&self) -> u32 {
        self.attempt.get()
    }

    /// Shared access to an [`RwLock`] for the rest of the attempt.
    ///
    /// # Errors
    ///
    /// [`Restart`], when the lock comes before one the attempt holds and is busy (or an earlier
    /// request of this attempt was): return it with `?`.
    ///
    /// # Panics
    ///
    /// See [`transaction`].
    #[inline(always)]
    #[track_caller]
    pub fn read<'a, T, F: Flavor>(
        &'a self,
        lock: &'a RwLock<T, F>,
    ) -> Result<TxGuard<'a, ReadGuard<'a, T, F>>, Restart> {
        let rank = Rank::of(lock);
        let guard = match self.plan(rank, Access::Read, <F::RwLock<T> as RwLockKind<T>>::BLOCKS)? {
            Plan::Wait => lock.read(),
            Plan::Try => match lock.try_read() {
                Ok(guard) => guard,
                Err(_) => return Err(self.busy(lock.key(), Access::Read)),
            },
        };
        Ok(self.track(
            guard,
            rank,
            Access::Read,
            <F::RwLock<T> as RwLockKind<T>>::BLOCKS,
        ))
    }

    /// Exclusive access to an [`RwLock`] for the rest of the attempt. Changing the value through
    /// the guard ends the attempt's growing phase (see [`transaction`]).
    ///
    /// # Errors
    ///
    /// As [`read`](Self::read).
    ///
    /// # Panics
    ///
    /// See [`transaction`].
    #[inline(always)]
    #[track_caller]
    pub fn write<'a, T, F: Flavor>(
        &'a self,
        lock: &'a RwLock<T, F>,
    ) -> Result<TxGuard<'a, WriteGuard<'a, T, F>>, Restart> {
        let rank = Rank::of(lock);
        let guard = match self.plan(rank, Access::Write, <F::RwLock<T> as RwLockKind<T>>::BLOCKS)? {
            Plan::Wait => lock.write(),
            Plan::Try => match lock.try_write() {
                Ok(guard) => guard,
                Err(_) => return Err(self.busy(lock.key(), Access::Write)),
            },
        };
        Ok(self.track(
            guard,
            rank,
            Access::Write,
            <F::RwLock<T> as RwLockKind<T>>::BLOCKS,
        ))
    }

    /// A [`Mutex`] for the rest of the attempt. Changing the value through the guard ends the
    /// attempt's growing phase (see [`transaction`]).
    ///
    /// # Errors
    ///
    /// As [`read`](Self::read).
    ///
    /// # Panics
    ///
    /// See [`transaction`].
    #[inline(always)]
    #[track_caller]
    pub fn lock<'a, T, F: Flavor>(
        &'a self,
        lock: &'a Mutex<T, F>,
    ) -> Result<TxGuard<'a, MutexGuard<'a, T, F>>, Restart> {
        let rank = Rank::of(lock);
        let guard = match self.plan(rank, Access::Lock, <F::Mutex<T> as MutexKind<T>>::BLOCKS)? {
            Plan::Wait => lock.lock(),
            Plan::Try => match lock.try_lock() {
                Ok(guard) => guard,
                Err(_) => return Err(self.busy(lock.key(), Access::Lock)),
            },
        };
        Ok(self.track(
            guard,
            rank,
            Access::Lock,
            <F::Mutex<T> as MutexKind<T>>::BLOCKS,
        ))
    }

    /// Keeps `value` (typically a handle found while walking) alive for the rest of the attempt
    /// and lends it back, so that guards can borrow its fields: a handle that is a local
    /// variable of the body would be dropped while its guards still need it.
    ///
    /// ```
    /// use sharecell::{transaction, Shared, WeakHandle};
    ///
    /// #[derive(Shared)]
    /// struct Node {
    ///     #[shared(rwlock)]
    ///     parent: WeakHandle<NodeHandle>,
    ///     #[shared(rwlock)]
    ///     name: String,
    /// }
    ///
    /// let root = NodeHandle::new(Node { parent: WeakHandle::new(), name: "root".into() });
    /// let leaf = NodeHandle::new(Node { parent: NodeHandle::downgrade(&root), name: "leaf".into() });
    ///
    /// let path = transaction(|tx| {
    ///     let mut names = vec![tx.read(leaf.name())?.clone()];
    ///     let mut node = &leaf;
    ///     loop {
    ///         let parent = tx.read(node.parent())?.upgrade();
    ///         let Some(parent) = parent else { break };
    ///         node = tx.keep(parent);
    ///         names.push(tx.read(node.name())?.clone());
    ///     }
    ///     Ok(names.join(" < "))
    /// });
    /// assert_eq!(path, "leaf < root");
    /// ```
    #[inline]
    pub fn keep<T: 'static>(&self, value: T) -> &T {
        self.extra().kept.push(value)
    }

    /// How to take a lock for the attempt, after the rule and the same-field check: wait for it
    /// (it comes after every lock the attempt holds, or the flavour never waits), or only try.
    #[inline(always)]
    #[track_caller]
    fn plan(&self, rank: Rank, access: Access, blocks: bool) -> Result<Plan, Restart> {
        if let Some(changed_at) = self.changed_at.get() {
            lock_after_change(access, changed_at);
        }
        if !blocks {
            // One thread: nothing to order. A conflict panics as `RefCell` does.
            return Ok(Plan::Wait);
        }
        if self.failed.get() {
            return Err(Restart { _private: () });
        }
        match self.place(rank, access) {
            Ok(plan) => Ok(plan),
            Err((held, index)) => taken_twice(held, self.place_of(index), access),
        }
    }

    /// A lock out of the order was busy: the attempt is over.
    #[inline(always)]
    #[track_caller]
    fn busy(&self, key: LockKey, access: Access) -> Restart {
        // Debug builds: a guard of this thread outside the transaction would make every
        // attempt fail here for ever.
        if cfg!(debug_assertions) {
            own_guard_panic(key, access);
        }
        self.failed.set(true);
        Restart { _private: () }
    }

    /// Wraps a guard just taken, recording its lock (`SyncFlavor`) for later requests.
    #[inline(always)]
    #[track_caller]
    fn track<G>(&self, guard: G, rank: Rank, access: Access, blocks: bool) -> TxGuard<'_, G> {
        if !blocks {
            return TxGuard::new(guard, self, UNTRACKED);
        }
        TxGuard::new(guard, self, self.record(rank, access))
    }

    /// Records a lock just taken (`SyncFlavor`); its entry number.
    #[inline(always)]
    #[track_caller]
    fn record(&self, rank: Rank, access: Access) -> usize {
        self.mark();
        let locks = &self.held;
        let index = locks.len.get();
        let at = Location::caller();
        let in_place = locks.slot(index, |r, a, p| {
            r.set(rank);
            a.set(access);
            p.set(Some(at));
        });
        if in_place.is_some() {
            locks.live.set(locks.live.get() | 1 << index);
        } else {
            self.extra().push(Entry {
                rank,
                access,
                at,
                live: true,
            });
        }
        locks.len.set(index + 1);
        index
    }

    /// The heap part, made at the first need.
    #[inline]
    fn extra(&self) -> &Extra {
        // Not `get_or_init`, whose closure would get the cell's address.
        if self.extra.get().is_none() {
            let _ = self.extra.set(Extra::new_boxed());
        }
        self.extra
            .get()
            .expect("sharecell: the heap part of a transaction was just made")
    }

    /// Holds a lock for a save (see `save.rs`), for the rest of the attempt: like a request of
    /// the body, but never a panic: a lock this thread holds in the way, or (`LocalFlavor`) any
    /// guard in the way, is an error; and release builds, which do not know this thread's
    /// guards, wait at most `CHECKED_WAIT` for a lock in the order.
    pub(crate) fn hold<G>(
        &self,
        rank: Rank,
        key: LockKey,
        access: Access,
        blocks: bool,
        try_lock: impl Fn() -> Option<G>,
        wait: impl FnOnce() -> G,
    ) -> Result<(G, Tracked), HoldStop> {
        if self.failed.get() {
            return Err(HoldStop::Restart(Restart { _private: () }));
        }
        if !blocks {
            return acquire_checked(key, access, false, try_lock, wait).map_err(HoldStop::Busy);
        }
        let taken = match self.place(rank, access) {
            Ok(Plan::Wait) => {
                acquire_checked(key, access, true, try_lock, wait).map_err(HoldStop::Busy)?
            }
            Ok(Plan::Try) => match try_acquire(key, access, true, try_lock) {
                Ok(taken) => taken,
                Err(_) => {
                    self.failed.set(true);
                    return Err(HoldStop::Restart(Restart { _private: () }));
                }
            },
            // The save reached a field it holds already: a cycle through a lock cell.
            Err(_) => return Err(HoldStop::Busy(TryLockError::new(access))),
        };
        self.record(rank, access);
        Ok(taken)
    }

    /// Where a request stands against the locks the attempt holds: it may wait when it comes
    /// after all of them, else only try (also a second read of a field the attempt reads: a
    /// writer may be queued in between). A conflicting second request for one field is the
    /// access and entry number of the guard in the way.
    #[inline(always)]
    fn place(&self, rank: Rank, access: Access) -> Result<Plan, (Access, usize)> {
        let locks = &self.held;
        let len = locks.len.get();
        let mut try_only = false;
        locks.scan(|i, held, held_access| {
            judge(held, held_access, i, rank, access, &mut try_only)
        })?;
        if len > INLINE {
            if let Some(extra) = self.extra.get() {
                try_only |= extra.place(rank, access)?;
            }
        }
        Ok(if try_only { Plan::Try } else { Plan::Wait })
    }

    /// Where entry `index` of the attempt was taken.
    #[inline(always)]
    fn place_of(&self, index: usize) -> Option<&'static Location<'static>> {
        match self.held.slot(index, |_, _, place| place.get()) {
            Some(place) => place,
            None => self.extra.get().and_then(|extra| extra.place_of(index)),
        }
    }

    /// The first `SyncFlavor` lock of the transaction marks the thread as inside one.
    #[inline(always)]
    #[track_caller]
    fn mark(&self) {
        if !self.marked.get() {
            mark_active();
            self.marked.set(true);
        }
    }

    /// A guard of the attempt goes: its lock no longer orders later requests. For a spilled
    /// entry, the heap part where [`drop_guard`] marks it.
    #[inline(always)]
    fn release(&self, entry: usize) -> Option<&Extra> {
        if entry == UNTRACKED || self.held.release(entry) {
            return None;
        }
        self.extra.get().map(|extra| &**extra)
    }

    /// A guard of the attempt is about to change its value.
    #[inline]
    #[track_caller]
    fn changing(&self) {
        if self.changed_at.get().is_none() {
            self.changed_at.set(Some(Location::caller()));
        }
    }

    /// Ends an attempt whose body returned [`Restart`]: forgets it, then backs off before the
    /// next one.
    #[inline(always)]
    fn restart(&mut self) {
        self.held.len.set(0);
        self.held.live.set(0);
        if let Some(extra) = self.extra.get_mut() {
            extra.reset();
        }
        self.changed_at.set(None);
        self.failed.set(false);
        let attempt = self.attempt.get();
        self.attempt.set(attempt.saturating_add(1));
        back_off(attempt);
    }
}

/// The transaction is over (also when its body panicked): the thread is no longer inside it.
impl Drop for Transaction {
    #[inline]
    fn drop(&mut self) {
        if self.marked.get() {
            let _ = ACTIVE.try_with(|a| a.set(false));
        }
        if let Some(extra) = self.extra.take() {
            Extra::drop_boxed(extra);
        }
    }
}

impl fmt::Debug for Transaction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transaction")
            .field("attempt", &self.attempt.get())
            .field(
                "locks",
                &(self.held.live.get().count_ones() as usize
                    + self.extra.get().map_or(0, |extra| {
                        extra.spill.borrow().iter().filter(|e| e.live).count()
                    })),
            )
            .field("changed", &self.changed_at.get().is_some())
            .finish_non_exhaustive()
    }
}

/// Waits a little before attempt `attempt + 1`, more after each restart, with jitter so that
/// two transactions that keep meeting fall out of step: a few spins, then yields, then short
/// sleeps (at most about a millisecond).
#[cold]
fn back_off(attempt: u32) {
    // loom explores every interleaving: a wait there is a yield to the other model threads.
    if cfg!(loom) {
        crate::backend::yield_now();
        return;
    }
    let jitter = u64::from(jitter());
    match attempt {
        0..=3 => {
            for _ in 0..(16u64 << attempt) + jitter % 64 {
                core::hint::spin_loop();
            }
        }
        4..=7 => std::thread::yield_now(),
        _ => {
            let micros = (1u64 << (attempt - 8).min(10)).min(1000);
            std::thread::sleep(std::time::Duration::from_micros(
                micros / 2 + jitter % micros.max(1),
            ));
        }
    }
}

/// A cheap pseudo-random number per call (xorshift on a thread-local seed).
fn jitter() -> u32 {
    thread_local! {
        static SEED: Cell<u32> = const { Cell::new(0) };
    }
    SEED.try_with(|seed| {
        let mut x = seed.get();
        if x == 0 {
            // Each thread starts from its own seed: the address of its own local.
            x = (core::ptr::from_ref(seed).addr() as u32) | 1;
        }
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        seed.set(x);
        x
    })
    .unwrap_or(1)
}

#[cold]
#[track_caller]
fn lock_after_change(access: Access, changed_at: &'static Location<'static>) -> ! {
    panic!(
        "sharecell: cannot {} in this transaction: a lock was taken after a change (the \
         attempt changed a value through one of its guards at {changed_at}, then asked for \
         another lock at {}). Take every lock before the first change: an attempt that may \
         still restart must not have changed anything",
        access.verb(),
        Location::caller(),
    )
}

#[cold]
#[track_caller]
fn taken_twice(held: Access, at: Option<&'static Location<'static>>, access: Access) -> ! {
    let guard = match held {
        Access::Read => "a read guard",
        Access::Write => "a write guard",
        Access::Lock => "a mutex guard",
    };
    panic!(
        "{} (sharecell: this transaction holds {guard} on this field, taken at {}; asked to {} \
         it again at {}. Two reads of one field are fine; anything else with a write or a \
         mutex conflicts)",
        TryLockError::new(access),
        at.map_or_else(|| "?".to_owned(), ToString::to_string),
        access.verb(),
        Location::caller(),
    )
}

/// A guard taken by a [`Transaction`]: the field's guard (`G`: [`ReadGuard`], [`WriteGuard`] or
/// [`MutexGuard`]), held until it is dropped or the attempt ends. Derefs to the value; changing
/// the value through it (`DerefMut`) marks the attempt as changed, after which it may take no
/// further lock.
#[must_use = "the value is unlocked again as soon as the guard is dropped"]
pub struct TxGuard<'a, G> {
    /// `Some` until the guard drops. Taken out then, so that the field's guard is dropped by
    /// value: the drop glue, also on the unwinding path, stays small enough to inline, and the
    /// transaction's address never reaches a function that is not inlined (see [`Transaction`]).
    guard: ManuallyDrop<Option<G>>,
    tx: &'a Transaction,
    entry: usize,
    /// Drops `guard`: always [`drop_guard`]. Called through this pointer, so that the drop glue
    /// stays small enough to inline on the unwinding path too, whatever dropping `G` takes
    /// (the call becomes direct, and inlined where it is hot, once the pointer is known).
    release: fn(Option<G>, Option<&Extra>, usize),
}

impl<'a, G> TxGuard<'a, G> {
    #[inline]
    fn new(guard: G, tx: &'a Transaction, entry: usize) -> Self {
        TxGuard {
            guard: ManuallyDrop::new(Some(guard)),
            tx,
            entry,
            release: drop_guard,
        }
    }
}

impl<G> Drop for TxGuard<'_, G> {
    #[inline(always)]
    fn drop(&mut self) {
        let spilled = self.tx.release(self.entry);
        (self.release)(self.guard.take(), spilled, self.entry);
    }
}

/// Drops the guard of a [`TxGuard`] (entry `entry` of the attempt), and marks the entry
/// released if it is in `spilled`.
#[inline]
fn drop_guard<G>(guard: Option<G>, spilled: Option<&Extra>, entry: usize) {
    if let Some(extra) = spilled {
        extra.release(entry);
    }
    drop(guard);
}

impl<G: Deref> Deref for TxGuard<'_, G> {
    type Target = G::Target;
    #[inline]
    fn deref(&self) -> &G::Target {
        self.guard.as_deref().expect(GUARD_GONE)
    }
}

impl<G: DerefMut> DerefMut for TxGuard<'_, G> {
    #[inline]
    #[track_caller]
    fn deref_mut(&mut self) -> &mut G::Target {
        self.tx.changing();
        self.guard.as_deref_mut().expect(GUARD_GONE)
    }
}

/// A [`TxGuard`]'s guard is only taken out when it drops.
const GUARD_GONE: &str = "sharecell: a transaction's guard is there until it drops";

impl<G: Deref<Target: fmt::Debug>> fmt::Debug for TxGuard<'_, G> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl<G: Deref<Target: fmt::Display>> fmt::Display for TxGuard<'_, G> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&**self, f)
    }
}

/// What [`Transaction::keep`] keeps: an append-only list whose entries never move, so each
/// can be lent out for as long as the list lives. Blocks of 1, 2, 4, ... slots, each allocated
/// on first use. The transaction allocates it at the first `keep`.
#[derive(Default)]
struct Kept {
    blocks: [OnceCell<Block>; 32],
    len: Cell<usize>,
}

/// One block of [`Kept`]: its slots, each set once.
type Block = Box<[OnceCell<Box<dyn Any>>]>;

impl Kept {
    fn push<T: 'static>(&self, value: T) -> &T {
        let index = self.len.get();
        self.len.set(index + 1);
        // Slot `index` is slot `index + 1 - 2^b` of block `b`, where 2^b <= index + 1 < 2^(b+1).
        let block = (usize::BITS - 1 - (index + 1).leading_zeros()) as usize;
        let slots = self.blocks[block]
            .get_or_init(|| (0..1usize << block).map(|_| OnceCell::new()).collect());
        slots[index + 1 - (1 << block)]
            .get_or_init(|| Box::new(value))
            .downcast_ref()
            .expect("sharecell: a fresh slot of `keep` holds the value just put there")
    }
}
