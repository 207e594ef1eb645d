//! `Arc` and `Weak` for the loom build: loom's `Arc` has no `Weak`, so this pair emulates std's
//! with loom primitives and no `unsafe`.
//!
//! Every strong handle holds a clone of a loom `Arc<T>`; a shared `slot` holds one more while any
//! strong handle is alive, and `upgrade` clones from it. Whether a handle is the last one (count
//! 2: itself and the slot) is decided, and the handle released, under the slot's mutex, so an
//! `upgrade` and the last drop cannot interleave: either the upgrade wins and keeps the value
//! alive, or it finds the slot empty. Cloning a strong handle needs no lock: it can only happen
//! while another strong handle exists, so it never turns a "not last" into a "last".
//!
//! This models sharecell's own use of weak pointers (upgrade racing the last drop, `into_inner`
//! handing the value to exactly one caller); std's lock-free `Arc`/`Weak` algorithm itself is
//! std's to verify, and runs under Miri and ThreadSanitizer in runtime/tests/stress.rs.

use core::ops::Deref;

use loom::sync::{Arc as LoomArc, Mutex};

struct Shared<T> {
    slot: Mutex<Option<LoomArc<T>>>,
}

/// Not public API: the loom build's `Arc`, named by the `SyncFlavor`'s pointer type.
pub struct Arc<T> {
    /// `None` only while `into_inner`/`try_unwrap` take the value out.
    value: Option<LoomArc<T>>,
    shared: LoomArc<Shared<T>>,
}

/// Not public API: the loom build's `Weak`.
pub struct Weak<T> {
    /// `None` for `Weak::new()`, which points nowhere.
    shared: Option<LoomArc<Shared<T>>>,
}

/// The slot's content; loom's mutex never poisons.
fn slot<T>(shared: &Shared<T>) -> loom::sync::MutexGuard<'_, Option<LoomArc<T>>> {
    shared
        .slot
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn unwrap_unique<T>(value: LoomArc<T>) -> T {
    match LoomArc::try_unwrap(value) {
        Ok(value) => value,
        Err(_) => unreachable!("the last strong handle holds the only loom Arc"),
    }
}

impl<T> Arc<T> {
    pub(crate) fn new(value: T) -> Self {
        let value = LoomArc::new(value);
        let shared = LoomArc::new(Shared {
            slot: Mutex::new(Some(value.clone())),
        });
        Arc {
            value: Some(value),
            shared,
        }
    }

    fn value(&self) -> &LoomArc<T> {
        match &self.value {
            Some(value) => value,
            None => unreachable!("only a handle being consumed has no value"),
        }
    }

    pub(crate) fn downgrade(this: &Self) -> Weak<T> {
        Weak {
            shared: Some(this.shared.clone()),
        }
    }

    pub(crate) fn ptr_eq(a: &Self, b: &Self) -> bool {
        LoomArc::ptr_eq(a.value(), b.value())
    }

    pub(crate) fn strong_count(this: &Self) -> usize {
        LoomArc::strong_count(this.value()) - 1
    }

    pub(crate) fn weak_count(this: &Self) -> usize {
        // Every strong and every weak handle holds `shared`.
        LoomArc::strong_count(&this.shared).saturating_sub(Self::strong_count(this))
    }

    /// Gives up this handle. Returns the value's loom `Arc`, now unique, if it was the last one.
    fn release(&mut self) -> Option<LoomArc<T>> {
        let value = self.value.take()?;
        let mut held = slot(&self.shared);
        if LoomArc::strong_count(&value) == 2 {
            *held = None;
            return Some(value);
        }
        // Dropped under the lock, so two handles released together cannot both see "not last".
        drop(value);
        None
    }

    pub(crate) fn into_inner(mut this: Self) -> Option<T> {
        this.release().map(unwrap_unique)
    }

    pub(crate) fn try_unwrap(mut this: Self) -> Result<T, Self> {
        let last = {
            let mut held = slot(&this.shared);
            let last = LoomArc::strong_count(this.value()) == 2;
            if last {
                *held = None;
            }
            last
        };
        match (last, this.value.take()) {
            (true, Some(value)) => Ok(unwrap_unique(value)),
            (_, value) => {
                this.value = value;
                Err(this)
            }
        }
    }
}

impl<T> Deref for Arc<T> {
    type Target = T;
    fn deref(&self) -> &T {
        self.value()
    }
}

impl<T> Clone for Arc<T> {
    fn clone(&self) -> Self {
        Arc {
            value: Some(self.value().clone()),
            shared: self.shared.clone(),
        }
    }
}

impl<T> Drop for Arc<T> {
    fn drop(&mut self) {
        // The value itself is dropped here, after the slot's lock is released.
        drop(self.release());
    }
}

impl<T> Weak<T> {
    pub(crate) fn new() -> Self {
        Weak { shared: None }
    }

    pub(crate) fn upgrade(&self) -> Option<Arc<T>> {
        let shared = self.shared.as_ref()?;
        let value = slot(shared).clone()?;
        Some(Arc {
            value: Some(value),
            shared: shared.clone(),
        })
    }

    pub(crate) fn ptr_eq(&self, other: &Self) -> bool {
        match (&self.shared, &other.shared) {
            (Some(a), Some(b)) => LoomArc::ptr_eq(a, b),
            (None, None) => true,
            _ => false,
        }
    }

    pub(crate) fn strong_count(&self) -> usize {
        self.shared.as_ref().map_or(0, |shared| {
            slot(shared)
                .as_ref()
                .map_or(0, |value| LoomArc::strong_count(value) - 1)
        })
    }

    /// Like `sync::Weak::weak_count`: 0 once the value is gone.
    pub(crate) fn weak_count(&self) -> usize {
        match &self.shared {
            Some(shared) if self.strong_count() > 0 => {
                LoomArc::strong_count(shared).saturating_sub(self.strong_count())
            }
            _ => 0,
        }
    }
}

impl<T> Clone for Weak<T> {
    fn clone(&self) -> Self {
        Weak {
            shared: self.shared.clone(),
        }
    }
}
