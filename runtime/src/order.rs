//! The crate's one lock order, written once: every operation that holds more than one lock
//! (`lock_all`, `try_lock_all`, a handle's `snapshot`, a transaction's waits) follows it.
//!
//! Locks are ranked by their address in memory. Two threads that each wait for a lock the other
//! holds would each have to hold a lock that comes later in that order than the one it waits
//! for; when everyone waits only for locks that come after every lock they hold, the thread
//! holding the latest lock never waits, so somebody always makes progress.

use core::mem::size_of;

/// A lock's place in the crate's one lock order: its address, then (only for a lock nested at
/// the very start of another lock's value, which shares its address) its size.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub struct Rank {
    addr: usize,
    size: usize,
}

impl Rank {
    /// A rank no lock has (a placeholder).
    pub(crate) const NONE: Rank = Rank { addr: 0, size: 0 };

    /// The rank of the lock (or field storage) `lock`.
    #[inline]
    pub(crate) fn of<L>(lock: &L) -> Self {
        Rank {
            addr: core::ptr::from_ref(lock).addr(),
            size: size_of::<L>(),
        }
    }
}

/// Sorts `items` into the lock order by `key` (a [`Rank`], or anything ordered that is built
/// from one). The one sort of the crate: insertion sort for a handful of items (what a struct
/// or a `lock_all` tuple has, small enough to inline), the std sort beyond that.
#[inline]
pub(crate) fn sort_by_rank<T, K: Ord>(items: &mut [T], key: impl Fn(&T) -> K) {
    if items.len() <= 16 {
        for i in 1..items.len() {
            let mut j = i;
            while j > 0 && key(&items[j - 1]) > key(&items[j]) {
                items.swap(j - 1, j);
                j -= 1;
            }
        }
    } else {
        items.sort_unstable_by_key(key);
    }
}
