//! Several locks at once: lock requests, [`lock_all`] and [`try_lock_all`] (and the requests
//! an `Atom` only pretends to have, to say that it is no lock).
//!
//! Deadlock freedom rests on the crate's one lock order (order.rs), which `lock_all` follows
//! whatever order the caller named the requests in.

use core::any::type_name;
use core::fmt;

use crate::atom::Atom;
use crate::error::{Access, TryLockError};
use crate::flavor::{DefaultFlavor, Flavor};
use crate::guard::{MutexGuard, ReadGuard, WriteGuard};
use crate::mutex::Mutex;
use crate::order::{sort_by_rank, Rank};
use crate::rwlock::RwLock;
use crate::value::AtomicValue;

/// What `lock_all` needs to know of a request before taking anything.
#[derive(Clone, Copy)]
pub struct Key {
    rank: Rank,
    access: Access,
    /// For the message when a field is requested twice.
    value_type: &'static str,
}

pub(crate) mod sealed {
    pub trait Sealed {}
}

/// A request for one lock, made by [`RwLock::for_read`], [`RwLock::for_write`] or
/// [`Mutex::for_lock`]. It holds nothing until it is passed to [`lock_all`] or
/// [`try_lock_all`], which turn it into its [`Guard`](Request::Guard).
///
/// Implemented by [`ReadRequest`], [`WriteRequest`], [`LockRequest`] and `Option` of any of
/// them (a request that only some calls need) only: the trait is sealed; the hidden items are
/// not public API.
pub trait Request: sealed::Sealed + Sized {
    /// The guard this request becomes: [`ReadGuard`], [`WriteGuard`] or [`MutexGuard`].
    type Guard;

    /// `None` for a request that takes nothing (`None::<R>`).
    #[doc(hidden)]
    fn __key(&self) -> Option<Key>;

    /// Blocks (`SyncFlavor`) or panics (`LocalFlavor`) when `block`, else returns the error.
    #[doc(hidden)]
    #[track_caller]
    fn __acquire(self, block: bool) -> Result<Self::Guard, TryLockError>;

    /// Debug builds, `SyncFlavor`: panics, before anything is taken, when this thread holds a
    /// guard in the way of this request (waiting for it could never end).
    #[doc(hidden)]
    #[track_caller]
    fn __precheck(&self);
}

macro_rules! request {
    ($(#[$doc:meta])* $name:ident, $lock:ident, $guard:ident, $access:ident,
     |$l:ident| $block:expr, $try:expr) => {
        $(#[$doc])*
        #[must_use = "a request takes nothing until it is passed to `lock_all` or `try_lock_all`"]
        pub struct $name<'a, T, F: Flavor = DefaultFlavor> {
            lock: &'a $lock<T, F>,
        }

        impl<'a, T, F: Flavor> $name<'a, T, F> {
            #[inline]
            pub(crate) fn new(lock: &'a $lock<T, F>) -> Self {
                $name { lock }
            }
        }

        impl<T, F: Flavor> sealed::Sealed for $name<'_, T, F> {}

        impl<'a, T: 'a, F: Flavor> Request for $name<'a, T, F> {
            type Guard = $guard<'a, T, F>;

            #[inline]
            fn __key(&self) -> Option<Key> {
                Some(Key {
                    rank: Rank::of(self.lock),
                    access: Access::$access,
                    value_type: type_name::<T>(),
                })
            }

            #[inline]
            #[track_caller]
            fn __precheck(&self) {
                self.lock.precheck(Access::$access);
            }

            #[inline]
            #[track_caller]
            fn __acquire(self, block: bool) -> Result<Self::Guard, TryLockError> {
                let $l = self.lock;
                if block {
                    Ok($block)
                } else {
                    $try
                }
            }
        }

        impl<T, F: Flavor> Clone for $name<'_, T, F> {
            #[inline]
            fn clone(&self) -> Self {
                *self
            }
        }

        impl<T, F: Flavor> Copy for $name<'_, T, F> {}

        impl<T, F: Flavor> fmt::Debug for $name<'_, T, F> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct(stringify!($name))
                    .field("value_type", &type_name::<T>())
                    .finish_non_exhaustive()
            }
        }
    };
}

request!(
    /// A request for shared access to an [`RwLock`], from [`RwLock::for_read`]; becomes a
    /// [`ReadGuard`] in [`lock_all`].
    ReadRequest, RwLock, ReadGuard, Read, |l| l.read(), l.try_read()
);
request!(
    /// A request for exclusive access to an [`RwLock`], from [`RwLock::for_write`]; becomes a
    /// [`WriteGuard`] in [`lock_all`].
    WriteRequest, RwLock, WriteGuard, Write, |l| l.write(), l.try_write()
);
request!(
    /// A request for a [`Mutex`], from [`Mutex::for_lock`]; becomes a [`MutexGuard`] in
    /// [`lock_all`].
    LockRequest, Mutex, MutexGuard, Lock, |l| l.lock(), l.try_lock()
);

impl<R: Request> sealed::Sealed for Option<R> {}

/// An optional request: `None` takes nothing and gives `None` back, `Some(request)` gives
/// `Some(guard)`. For locks that only some calls need, in one `lock_all` tuple:
/// `old_last.as_ref().map(|n| n.next().for_write())`.
impl<R: Request> Request for Option<R> {
    type Guard = Option<R::Guard>;

    #[inline]
    fn __key(&self) -> Option<Key> {
        self.as_ref().and_then(Request::__key)
    }

    #[inline]
    #[track_caller]
    fn __precheck(&self) {
        if let Some(request) = self {
            request.__precheck();
        }
    }

    #[inline]
    #[track_caller]
    fn __acquire(self, block: bool) -> Result<Self::Guard, TryLockError> {
        match self {
            Some(request) => request.__acquire(block).map(Some),
            None => Ok(None),
        }
    }
}

impl<T, F: Flavor> RwLock<T, F> {
    /// A request for shared access, to pass to [`lock_all`] or [`try_lock_all`] together with
    /// other requests. Takes nothing by itself.
    #[inline]
    pub fn for_read(&self) -> ReadRequest<'_, T, F> {
        ReadRequest::new(self)
    }

    /// A request for exclusive access, to pass to [`lock_all`] or [`try_lock_all`] together
    /// with other requests. Takes nothing by itself.
    #[inline]
    pub fn for_write(&self) -> WriteRequest<'_, T, F> {
        WriteRequest::new(self)
    }
}

impl<T, F: Flavor> Mutex<T, F> {
    /// A request for the mutex, to pass to [`lock_all`] or [`try_lock_all`] together with
    /// other requests. Takes nothing by itself.
    #[inline]
    pub fn for_lock(&self) -> LockRequest<'_, T, F> {
        LockRequest::new(self)
    }
}

/// `lock_all` requests, which an `Atom` cannot make: written only so that the mistake is one
/// error, saying what to do (a lock field), and not "no method named `for_lock`".
impl<T: AtomicValue, F: Flavor> Atom<T, F> {
    /// Not available: an `Atom` is not a lock. See [`NotALock`].
    #[doc(hidden)]
    pub fn for_lock(&self) -> LockRequest<'_, T, F>
    where
        Self: NotALock,
    {
        self.__not_a_lock()
    }

    /// Not available: an `Atom` is not a lock. See [`NotALock`].
    #[doc(hidden)]
    pub fn for_read(&self) -> ReadRequest<'_, T, F>
    where
        Self: NotALock,
    {
        self.__not_a_lock()
    }

    /// Not available: an `Atom` is not a lock. See [`NotALock`].
    #[doc(hidden)]
    pub fn for_write(&self) -> WriteRequest<'_, T, F>
    where
        Self: NotALock,
    {
        self.__not_a_lock()
    }
}

/// Implemented by no type: the bound of the `for_lock`, `for_read` and `for_write` that an
/// [`Atom`] has only to explain, in one error, that [`lock_all`] takes lock fields. Not public
/// API.
#[diagnostic::on_unimplemented(
    message = "an `Atom` field cannot be locked: `lock_all` takes `Mutex` and `RwLock` fields",
    label = "`{Self}` is not a lock",
    note = "to hold this field together with others, write `#[shared(mutex)]` (or `#[shared(rwlock)]`) on it",
    note = "an `Atom` changes alone: its `update`, `compare_exchange` and `fetch_*` are atomic by themselves"
)]
#[doc(hidden)]
pub trait NotALock {
    #[doc(hidden)]
    fn __not_a_lock<R>(&self) -> R;
}

/// What [`lock_all`] and [`try_lock_all`] accept: a tuple of 1 to 12 [`Request`]s of any kinds,
/// an array `[R; N]` or a `Vec<R>` of one request type. The guards come back in the same shape
/// and in the same order.
///
/// Implemented for those shapes only (the trait is sealed); the hidden items are not public
/// API.
pub trait LockRequests: sealed::Sealed {
    /// The guards, in the shape and order of the requests.
    type Guards;

    #[doc(hidden)]
    #[track_caller]
    fn __acquire_all(self, block: bool) -> Result<Self::Guards, TryLockError>;
}

/// Takes every requested lock, in the crate's one lock order, and returns the guards in the
/// order of the requests.
///
/// `requests` is a tuple of 1 to 12 requests of any kinds ([`RwLock::for_read`],
/// [`RwLock::for_write`], [`Mutex::for_lock`], or an `Option` of one, whose guard is then an
/// `Option` too), of fields of one handle or of many; or an array or `Vec` of one request type,
/// such as the balances of all accounts.
///
/// When which locks to take depends on data behind one of them (the last child of a tree
/// node, whose link an append changes), read it first, take everything with `lock_all`, and
/// start again if it changed in between: `examples/tree.rs` shows the pattern.
///
/// Whatever order the requests are written in, the locks are taken in ascending order of
/// their address, the order that every sharecell operation holding several locks follows
/// (`lock_all`, [`try_lock_all`], a handle's `snapshot`). So code that takes several sharecell
/// locks at once only through these operations, holding no other sharecell guard meanwhile,
/// cannot deadlock on them, and the guards hold an invariant across fields and handles for as
/// long as they live.
///
/// ```
/// use sharecell::{lock_all, Shared};
///
/// #[derive(Shared)]
/// struct Account {
///     #[shared(mutex)]
///     balance: i64,
/// }
///
/// fn transfer(from: &AccountHandle, to: &AccountHandle, amount: i64) -> bool {
///     let (mut from, mut to) = lock_all((from.balance().for_lock(), to.balance().for_lock()));
///     if *from < amount {
///         return false;
///     }
///     *from -= amount;
///     *to += amount;
///     true
/// }
///
/// let a = AccountHandle::new(Account { balance: 100 });
/// let b = AccountHandle::new(Account { balance: 0 });
/// assert!(transfer(&a, &b, 30));
/// assert!(!transfer(&b, &a, 31));
/// assert_eq!((a.balance().get_cloned(), b.balance().get_cloned()), (70, 30));
/// ```
///
/// # Panics
///
/// When the same field is requested twice (in any kinds): a bug in the caller, reported
/// before anything is taken. `LocalFlavor`: when a request conflicts with a guard that is
/// still alive, like [`RwLock::read`] and friends; debug builds name where that guard was
/// taken. `SyncFlavor`, debug builds only: when this thread holds a guard that a request
/// would wait for forever (see [`RwLock`]). After a panic nothing requested is held.
#[inline]
#[track_caller]
pub fn lock_all<R: LockRequests>(requests: R) -> R::Guards {
    match requests.__acquire_all(true) {
        Ok(guards) => guards,
        // Blocking acquisition fails only on a field requested twice.
        Err(error) => duplicate_panic(error),
    }
}

/// Takes every requested lock if none is in the way, like [`lock_all`] without waiting:
/// never blocks (`SyncFlavor`) and never panics (`LocalFlavor`).
///
/// ```
/// use sharecell::{try_lock_all, LocalFlavor, Mutex, RwLock};
///
/// let name = RwLock::<String, LocalFlavor>::new("ada".to_owned());
/// let log = Mutex::<Vec<String>, LocalFlavor>::new(Vec::new());
///
/// let reading = name.read();
/// assert!(try_lock_all((name.for_write(), log.for_lock())).is_err());
/// assert!(log.try_lock().is_ok(), "a failed try_lock_all holds nothing");
/// drop(reading);
///
/// let (mut name, mut log) = try_lock_all((name.for_write(), log.for_lock())).unwrap();
/// log.push(format!("renamed {name}"));
/// name.push_str(" lovelace");
/// ```
///
/// # Errors
///
/// When a guard that is still alive (on this thread or another) holds a requested lock in
/// the way, or when the same field is requested twice ([`TryLockError::is_duplicate`]). Then
/// nothing requested is held.
#[inline]
#[cfg_attr(debug_assertions, track_caller)]
pub fn try_lock_all<R: LockRequests>(requests: R) -> Result<R::Guards, TryLockError> {
    requests.__acquire_all(false)
}

#[cold]
#[track_caller]
fn duplicate_panic(error: TryLockError) -> ! {
    panic!(
        "lock_all: {error} (sharecell: each field may be requested at most once per call; a \
         second request for the same field could only deadlock or panic)"
    )
}

/// Sorts `order` (each request's key and its position among the requests) into the lock
/// order, requests that take nothing first. Fails on a field requested twice.
#[inline]
fn sort(order: &mut [(Option<Key>, usize)]) -> Result<(), TryLockError> {
    sort_by_rank(order, |(key, _)| key.map(|k| k.rank));
    for pair in order.windows(2) {
        let [(Some(a), i), (Some(b), j)] = [pair[0], pair[1]] else {
            continue;
        };
        if a.rank == b.rank {
            let later = if i > j { a } else { b };
            return Err(TryLockError::duplicate(
                later.access,
                later.value_type,
                (i.min(j), i.max(j)),
            ));
        }
    }
    Ok(())
}

/// The guard of a request that `acquire_all` has taken.
#[inline]
fn taken<G>(guard: Option<G>) -> G {
    guard.expect("sharecell: every request is taken before the guards are returned")
}

/// Takes the requests of one type in the order `order`, which `sort` has checked.
#[inline]
#[track_caller]
fn acquire_sorted<R: Request>(
    order: &[(Option<Key>, usize)],
    requests: &mut [Option<R>],
    guards: &mut [Option<R::Guard>],
    block: bool,
) -> Result<(), TryLockError> {
    if block {
        for request in requests.iter().flatten() {
            request.__precheck();
        }
    }
    for &(_, i) in order {
        if let Some(request) = requests[i].take() {
            guards[i] = Some(request.__acquire(block)?);
        }
    }
    Ok(())
}

impl<R: Request, const N: usize> sealed::Sealed for [R; N] {}

impl<R: Request, const N: usize> LockRequests for [R; N] {
    type Guards = [R::Guard; N];

    #[inline]
    #[track_caller]
    fn __acquire_all(self, block: bool) -> Result<Self::Guards, TryLockError> {
        let mut order: [(Option<Key>, usize); N] = core::array::from_fn(|i| (self[i].__key(), i));
        sort(&mut order)?;
        let mut requests = self.map(Some);
        let mut guards: [Option<R::Guard>; N] = core::array::from_fn(|_| None);
        acquire_sorted(&order, &mut requests, &mut guards, block)?;
        Ok(guards.map(taken))
    }
}

impl<R: Request> sealed::Sealed for Vec<R> {}

impl<R: Request> LockRequests for Vec<R> {
    type Guards = Vec<R::Guard>;

    #[inline]
    #[track_caller]
    fn __acquire_all(self, block: bool) -> Result<Self::Guards, TryLockError> {
        let mut order: Vec<(Option<Key>, usize)> =
            self.iter().map(Request::__key).zip(0..).collect();
        sort(&mut order)?;
        let mut requests: Vec<Option<R>> = self.into_iter().map(Some).collect();
        let mut guards: Vec<Option<R::Guard>> = requests.iter().map(|_| None).collect();
        acquire_sorted(&order, &mut requests, &mut guards, block)?;
        Ok(guards.into_iter().map(taken).collect())
    }
}

/// Tuples of requests: each element is taken by a direct call (the flavours' panics report
/// the caller's line through `#[track_caller]`, which a call through a closure would lose).
macro_rules! tuple_requests {
    ($($idx:tt $R:ident $r:ident $g:ident),+) => {
        impl<$($R: Request),+> sealed::Sealed for ($($R,)+) {}

        impl<$($R: Request),+> LockRequests for ($($R,)+) {
            type Guards = ($($R::Guard,)+);

            #[inline]
            #[track_caller]
            fn __acquire_all(self, block: bool) -> Result<Self::Guards, TryLockError> {
                let mut order = [$((self.$idx.__key(), $idx)),+];
                sort(&mut order)?;
                if block {
                    $(self.$idx.__precheck();)+
                }
                let ($($r,)+) = self;
                $(
                    let mut $r = Some($r);
                    let mut $g = None;
                )+
                for &(_, i) in &order {
                    match i {
                        $($idx => if let Some(request) = $r.take() {
                            $g = Some(request.__acquire(block)?);
                        },)+
                        _ => {}
                    }
                }
                Ok(($(taken($g),)+))
            }
        }
    };
}

tuple_requests!(0 R0 r0 g0);
tuple_requests!(0 R0 r0 g0, 1 R1 r1 g1);
tuple_requests!(0 R0 r0 g0, 1 R1 r1 g1, 2 R2 r2 g2);
tuple_requests!(0 R0 r0 g0, 1 R1 r1 g1, 2 R2 r2 g2, 3 R3 r3 g3);
tuple_requests!(0 R0 r0 g0, 1 R1 r1 g1, 2 R2 r2 g2, 3 R3 r3 g3, 4 R4 r4 g4);
tuple_requests!(0 R0 r0 g0, 1 R1 r1 g1, 2 R2 r2 g2, 3 R3 r3 g3, 4 R4 r4 g4, 5 R5 r5 g5);
tuple_requests!(
    0 R0 r0 g0, 1 R1 r1 g1, 2 R2 r2 g2, 3 R3 r3 g3, 4 R4 r4 g4, 5 R5 r5 g5, 6 R6 r6 g6
);
tuple_requests!(
    0 R0 r0 g0, 1 R1 r1 g1, 2 R2 r2 g2, 3 R3 r3 g3, 4 R4 r4 g4, 5 R5 r5 g5, 6 R6 r6 g6,
    7 R7 r7 g7
);
tuple_requests!(
    0 R0 r0 g0, 1 R1 r1 g1, 2 R2 r2 g2, 3 R3 r3 g3, 4 R4 r4 g4, 5 R5 r5 g5, 6 R6 r6 g6,
    7 R7 r7 g7, 8 R8 r8 g8
);
tuple_requests!(
    0 R0 r0 g0, 1 R1 r1 g1, 2 R2 r2 g2, 3 R3 r3 g3, 4 R4 r4 g4, 5 R5 r5 g5, 6 R6 r6 g6,
    7 R7 r7 g7, 8 R8 r8 g8, 9 R9 r9 g9
);
tuple_requests!(
    0 R0 r0 g0, 1 R1 r1 g1, 2 R2 r2 g2, 3 R3 r3 g3, 4 R4 r4 g4, 5 R5 r5 g5, 6 R6 r6 g6,
    7 R7 r7 g7, 8 R8 r8 g8, 9 R9 r9 g9, 10 R10 r10 g10
);
tuple_requests!(
    0 R0 r0 g0, 1 R1 r1 g1, 2 R2 r2 g2, 3 R3 r3 g3, 4 R4 r4 g4, 5 R5 r5 g5, 6 R6 r6 g6,
    7 R7 r7 g7, 8 R8 r8 g8, 9 R9 r9 g9, 10 R10 r10 g10, 11 R11 r11 g11
);
