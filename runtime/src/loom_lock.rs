//! `Mutex` and `RwLock` for the loom build, with std's API, whose `try_*` loom models exactly.
//!
//! loom 0.7's own locks can report a deadlock that cannot happen when a `try_lock` races an
//! acquisition of the same lock (tokio-rs/loom#376): the trying thread is marked blocked as if it
//! waited. Transactions and saves rely on tries that fail and move on, so here who holds the
//! lock is a count behind a loom mutex held only for a moment ([`Gate`]), a wait for the lock is
//! a wait on a loom condition variable, and the value sits in a loom lock that only a holder
//! ever takes, so it never waits there. No loom `try_lock` is ever called.

use core::ops::{Deref, DerefMut};
use std::sync::{LockResult, PoisonError, TryLockError, TryLockResult};

use loom::sync::Condvar;

/// The state of a lock: `WRITER` when held exclusively, else the number of readers.
const WRITER: usize = usize::MAX;

/// Who holds a lock, behind a loom mutex that is only ever held for a moment (never while user
/// code runs), so waiting for it always ends; a wait for the lock itself is a wait on `freed`.
struct Gate {
    state: loom::sync::Mutex<usize>,
    freed: Condvar,
}

impl Gate {
    fn new() -> Self {
        Gate {
            state: loom::sync::Mutex::new(0),
            freed: Condvar::new(),
        }
    }

    fn state(&self) -> loom::sync::MutexGuard<'_, usize> {
        unpoisoned(self.state.lock())
    }

    /// Takes the lock for writing (`exclusive`) or reading, waiting if `wait`; whether it did.
    fn enter(&self, exclusive: bool, wait: bool) -> bool {
        let mut state = self.state();
        loop {
            let free = if exclusive {
                *state == 0
            } else {
                *state != WRITER
            };
            if free {
                *state = if exclusive { WRITER } else { *state + 1 };
                return true;
            }
            if !wait {
                return false;
            }
            state = unpoisoned(self.freed.wait(state));
        }
    }

    fn leave(&self, exclusive: bool) {
        let mut state = self.state();
        *state = if exclusive { 0 } else { *state - 1 };
        drop(state);
        self.freed.notify_all();
    }
}

/// loom's lock guards never poison here: a panic inside a loom model fails the model anyway.
fn unpoisoned<G>(result: LockResult<G>) -> G {
    result.unwrap_or_else(PoisonError::into_inner)
}

/// Not public API: the loom build's mutex.
pub struct Mutex<T> {
    gate: Gate,
    data: loom::sync::Mutex<T>,
}

/// Not public API: the guard of [`Mutex`].
pub struct MutexGuard<'a, T> {
    data: Option<loom::sync::MutexGuard<'a, T>>,
    gate: &'a Gate,
}

impl<T> Mutex<T> {
    pub(crate) fn new(value: T) -> Self {
        Mutex {
            gate: Gate::new(),
            data: loom::sync::Mutex::new(value),
        }
    }

    pub(crate) fn lock(&self) -> LockResult<MutexGuard<'_, T>> {
        self.gate.enter(true, true);
        Ok(self.guard())
    }

    pub(crate) fn try_lock(&self) -> TryLockResult<MutexGuard<'_, T>> {
        if self.gate.enter(true, false) {
            Ok(self.guard())
        } else {
            Err(TryLockError::WouldBlock)
        }
    }

    fn guard(&self) -> MutexGuard<'_, T> {
        MutexGuard {
            data: Some(unpoisoned(self.data.lock())),
            gate: &self.gate,
        }
    }

    pub(crate) fn into_inner(self) -> LockResult<T> {
        self.data.into_inner()
    }

    pub(crate) fn get_mut(&mut self) -> LockResult<&mut T> {
        self.data.get_mut()
    }
}

impl<T> Drop for MutexGuard<'_, T> {
    fn drop(&mut self) {
        drop(self.data.take());
        self.gate.leave(true);
    }
}

impl<T> Deref for MutexGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        self.data.as_deref().expect("a live guard holds the value")
    }
}

impl<T> DerefMut for MutexGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        self.data
            .as_deref_mut()
            .expect("a live guard holds the value")
    }
}

/// Not public API: the loom build's reader-writer lock.
pub struct RwLock<T> {
    gate: Gate,
    data: loom::sync::RwLock<T>,
}

/// Not public API: a read guard of [`RwLock`].
pub struct RwLockReadGuard<'a, T> {
    data: Option<loom::sync::RwLockReadGuard<'a, T>>,
    gate: &'a Gate,
}

/// Not public API: the write guard of [`RwLock`].
pub struct RwLockWriteGuard<'a, T> {
    data: Option<loom::sync::RwLockWriteGuard<'a, T>>,
    gate: &'a Gate,
}

impl<T> RwLock<T> {
    pub(crate) fn new(value: T) -> Self {
        RwLock {
            gate: Gate::new(),
            data: loom::sync::RwLock::new(value),
        }
    }

    pub(crate) fn read(&self) -> LockResult<RwLockReadGuard<'_, T>> {
        self.gate.enter(false, true);
        Ok(self.read_guard())
    }

    pub(crate) fn write(&self) -> LockResult<RwLockWriteGuard<'_, T>> {
        self.gate.enter(true, true);
        Ok(self.write_guard())
    }

    pub(crate) fn try_read(&self) -> TryLockResult<RwLockReadGuard<'_, T>> {
        if self.gate.enter(false, false) {
            Ok(self.read_guard())
        } else {
            Err(TryLockError::WouldBlock)
        }
    }

    pub(crate) fn try_write(&self) -> TryLockResult<RwLockWriteGuard<'_, T>> {
        if self.gate.enter(true, false) {
            Ok(self.write_guard())
        } else {
            Err(TryLockError::WouldBlock)
        }
    }

    fn read_guard(&self) -> RwLockReadGuard<'_, T> {
        RwLockReadGuard {
            data: Some(unpoisoned(self.data.read())),
            gate: &self.gate,
        }
    }

    fn write_guard(&self) -> RwLockWriteGuard<'_, T> {
        RwLockWriteGuard {
            data: Some(unpoisoned(self.data.write())),
            gate: &self.gate,
        }
    }

    pub(crate) fn into_inner(self) -> LockResult<T> {
        self.data.into_inner()
    }

    pub(crate) fn get_mut(&mut self) -> LockResult<&mut T> {
        self.data.get_mut()
    }
}

impl<T> Drop for RwLockReadGuard<'_, T> {
    fn drop(&mut self) {
        drop(self.data.take());
        self.gate.leave(false);
    }
}

impl<T> Drop for RwLockWriteGuard<'_, T> {
    fn drop(&mut self) {
        drop(self.data.take());
        self.gate.leave(true);
    }
}

impl<T> Deref for RwLockReadGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        self.data.as_deref().expect("a live guard holds the value")
    }
}

impl<T> Deref for RwLockWriteGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        self.data.as_deref().expect("a live guard holds the value")
    }
}

impl<T> DerefMut for RwLockWriteGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        self.data
            .as_deref_mut()
            .expect("a live guard holds the value")
    }
}
