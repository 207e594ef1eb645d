//! The one error type of the `try_*` methods.

use core::fmt;

/// What a `try_*` call (or a guard) asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Access {
    Read,
    Write,
    Lock,
}

impl Access {
    /// The verb of the method: `read`, `write` or `lock`.
    pub(crate) const fn verb(self) -> &'static str {
        match self {
            Access::Read => "read",
            Access::Write => "write",
            Access::Lock => "lock",
        }
    }
}

/// The error of [`RwLock::try_read`](crate::RwLock::try_read),
/// [`RwLock::try_write`](crate::RwLock::try_write), [`Mutex::try_lock`](crate::Mutex::try_lock)
/// and [`try_lock_all`](crate::try_lock_all), in both flavours: the value is held by a guard that
/// is still alive, on this thread or another, or (`try_lock_all` only) one field was requested
/// twice in the same call.
///
/// ```
/// use sharecell::{LocalFlavor, RwLock};
///
/// let name = RwLock::<String, LocalFlavor>::new("ada".to_owned());
/// let reading = name.read();
/// let err = name.try_write().unwrap_err();
/// assert_eq!(err.to_string(), "cannot write: the value is locked by a guard that is still alive");
/// drop(reading);
/// assert!(name.try_write().is_ok());
/// ```
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct TryLockError {
    access: Access,
    /// When the same field was requested twice in one `lock_all`/`try_lock_all`: the type of
    /// its value and the positions of the two requests; `None` when a guard is in the way.
    duplicate: Option<(&'static str, usize, usize)>,
    /// `SyncFlavor`: a refused read may be waiting behind a writer that is only queued.
    writer_may_wait: bool,
    /// `SyncFlavor`, debug builds: this thread holds a guard on the value, so waiting for it
    /// could never end (only a checked acquisition, as serialization makes, says so).
    own_guard: bool,
    /// `SyncFlavor`, release builds: a checked acquisition gave up after waiting this long.
    waited: Option<core::time::Duration>,
}

impl TryLockError {
    pub(crate) const fn new(access: Access) -> Self {
        TryLockError {
            access,
            duplicate: None,
            writer_may_wait: false,
            own_guard: false,
            waited: None,
        }
    }

    /// A checked `SyncFlavor` request that gave up after `waited` (release builds, which cannot
    /// tell this thread's guards from others').
    #[cfg(not(all(debug_assertions, not(loom))))]
    pub(crate) const fn waited(access: Access, waited: core::time::Duration) -> Self {
        TryLockError {
            waited: Some(waited),
            ..TryLockError::new(access)
        }
    }

    /// A `SyncFlavor` request that would wait for a guard of this thread's own (only debug
    /// builds know this thread's guards: reentrancy.rs).
    #[cfg(all(debug_assertions, not(loom)))]
    pub(crate) const fn own_guard(access: Access) -> Self {
        TryLockError {
            access,
            duplicate: None,
            writer_may_wait: false,
            own_guard: true,
            waited: None,
        }
    }

    /// The error of a refused `SyncFlavor` `try_*`: std's lock also refuses a read while a writer
    /// waits for it, so the message must not claim that a writer holds it.
    pub(crate) const fn lock_busy(access: Access) -> Self {
        TryLockError {
            access,
            duplicate: None,
            writer_may_wait: true,
            own_guard: false,
            waited: None,
        }
    }

    /// The error of a `try_lock_all` that named one field twice, at positions `first` and
    /// `second` of its requests.
    pub(crate) const fn duplicate(
        access: Access,
        value_type: &'static str,
        (first, second): (usize, usize),
    ) -> Self {
        TryLockError {
            access,
            duplicate: Some((value_type, first, second)),
            writer_may_wait: false,
            own_guard: false,
            waited: None,
        }
    }

    /// `true` when a read was refused (a writer holds the value, or in the `SyncFlavor` is
    /// waiting for it).
    pub const fn is_read(&self) -> bool {
        matches!(self.access, Access::Read)
    }

    /// `true` when [`try_lock_all`](crate::try_lock_all) was given the same field twice: a bug
    /// in the caller, not contention. Retrying cannot succeed.
    ///
    /// ```
    /// use sharecell::{try_lock_all, LocalFlavor, RwLock};
    ///
    /// let name = RwLock::<String, LocalFlavor>::new("ada".to_owned());
    /// let err = try_lock_all((name.for_read(), name.for_write())).unwrap_err();
    /// assert!(err.is_duplicate());
    /// let message = err.to_string();
    /// assert!(message.starts_with("cannot lock all: requests 0 and 1 (counting from 0) are the same field"));
    /// assert!(message.contains("String"), "names the value's type");
    /// ```
    pub const fn is_duplicate(&self) -> bool {
        self.duplicate.is_some()
    }

    /// Panics with this error's message, at the caller's line: the `LocalFlavor`'s answer to a
    /// conflicting `read`, `write` or `lock`, as `RefCell` would. `holder` describes the guard in
    /// the way (in debug builds: where it was taken).
    #[cold]
    #[track_caller]
    pub(crate) fn conflict_panic(self, holder: &dyn fmt::Display) -> ! {
        let asked = core::panic::Location::caller();
        let verb = self.access.verb();
        panic!(
            "{self} (sharecell, Local flavour: this thread still holds {holder}; asked to {verb} \
             at {asked}; drop the guard first, or use the try_* method to get an error instead \
             of a panic)"
        )
    }
}

impl fmt::Display for TryLockError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some((value_type, first, second)) = self.duplicate {
            return write!(
                f,
                "cannot lock all: requests {first} and {second} (counting from 0) are the same \
                 field, of type `{value_type}`"
            );
        }
        if let Some(waited) = self.waited {
            let verb = self.access.verb();
            return write!(
                f,
                "cannot {verb}: the value stayed locked for {waited:?}; a checked wait gives up \
                 there, as the guard in the way may be this thread's own (release builds keep no \
                 record of a thread's guards)"
            );
        }
        if self.own_guard {
            let verb = self.access.verb();
            return write!(
                f,
                "cannot {verb}: this thread holds a guard on the value, so waiting for it would \
                 never end"
            );
        }
        f.write_str(match self.access {
            Access::Read if self.writer_may_wait => {
                "cannot read: a writer holds the value or is waiting for it (a waiting writer goes \
                 before new readers)"
            }
            Access::Read => {
                "cannot read: the value is locked for writing by a guard that is still alive"
            }
            Access::Write => "cannot write: the value is locked by a guard that is still alive",
            Access::Lock => "cannot lock: the value is locked by a guard that is still alive",
        })
    }
}

impl fmt::Debug for TryLockError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = f.debug_struct("TryLockError");
        out.field("access", &self.access);
        if let Some((value_type, first, second)) = self.duplicate {
            out.field("duplicate", &value_type)
                .field("requests", &(first, second));
        }
        out.finish()
    }
}

impl std::error::Error for TryLockError {}
