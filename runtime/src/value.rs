//! Which scalar types an [`Atom`](crate::Atom) can hold, and how each is stored.
//!
//! Every [`AtomicValue`] names the std atomic that stores it in the `SyncFlavor`. Floats live in
//! `AtomicU32`/`AtomicU64` and `char` in `AtomicU32`, as their bits; everything else in its own
//! atomic. The `LocalFlavor` stores the value itself in a `Cell`.

use crate::backend::atomic::{
    AtomicBool, AtomicI16, AtomicI32, AtomicI64, AtomicI8, AtomicIsize, AtomicU16, AtomicU32,
    AtomicU64, AtomicU8, AtomicUsize, Ordering,
};

mod sealed {
    pub trait Sealed {}
}

/// A scalar that an [`Atom`](crate::Atom) can hold: `bool`, `char`, the integers up to 64 bits,
/// `isize`, `usize`, `f32` and `f64`.
///
/// The trait is sealed: these are exactly the types with a lock-free atomic on every platform
/// sharecell supports. Anything else goes behind a lock: write `#[shared(rwlock)]` or
/// `#[shared(mutex)]` on the field.
///
/// Floats and `char` are stored as their bits, so [`Atom::compare_exchange`](crate::Atom::compare_exchange)
/// compares bits in both flavours: `NaN` matches the same `NaN`, and `0.0` does not match `-0.0`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be stored in an `Atom`",
    label = "not an atomic scalar",
    note = "an `Atom` holds bool, char, i8..i64, u8..u64, isize, usize, f32 or f64",
    note = "to keep this field behind a lock, write `#[shared(rwlock)]` or `#[shared(mutex)]` on it"
)]
pub trait AtomicValue: Copy + core::fmt::Debug + sealed::Sealed + 'static {
    /// The std atomic that stores this type in the `SyncFlavor`.
    #[doc(hidden)]
    type Atomic: Send + Sync;
    #[doc(hidden)]
    fn __atomic(self) -> Self::Atomic;
    #[doc(hidden)]
    fn __load(a: &Self::Atomic, order: Ordering) -> Self;
    #[doc(hidden)]
    fn __store(a: &Self::Atomic, v: Self, order: Ordering);
    #[doc(hidden)]
    fn __swap(a: &Self::Atomic, v: Self, order: Ordering) -> Self;
    #[doc(hidden)]
    fn __compare_exchange(
        a: &Self::Atomic,
        current: Self,
        new: Self,
        success: Ordering,
        failure: Ordering,
    ) -> Result<Self, Self>;
    #[doc(hidden)]
    fn __compare_exchange_weak(
        a: &Self::Atomic,
        current: Self,
        new: Self,
        success: Ordering,
        failure: Ordering,
    ) -> Result<Self, Self>;
    #[doc(hidden)]
    fn __into_inner(a: Self::Atomic) -> Self;
    /// Equality as the atomic sees it: bit equality (differs from `==` only for floats).
    #[doc(hidden)]
    fn __same(a: Self, b: Self) -> bool;
}

/// Scalars with `fetch_add` and `fetch_sub`: the integers (wrapping on overflow, like std's
/// atomics) and the floats.
pub trait AtomicArith: AtomicValue {
    #[doc(hidden)]
    fn __add(self, v: Self) -> Self;
    #[doc(hidden)]
    fn __sub(self, v: Self) -> Self;
    #[doc(hidden)]
    fn __fetch_add(a: &Self::Atomic, v: Self) -> Self;
    #[doc(hidden)]
    fn __fetch_sub(a: &Self::Atomic, v: Self) -> Self;
}

/// Scalars with `fetch_and`, `fetch_or` and `fetch_xor`: the integers and `bool`.
pub trait AtomicBitwise: AtomicValue {
    #[doc(hidden)]
    fn __and(self, v: Self) -> Self;
    #[doc(hidden)]
    fn __or(self, v: Self) -> Self;
    #[doc(hidden)]
    fn __xor(self, v: Self) -> Self;
    #[doc(hidden)]
    fn __fetch_and(a: &Self::Atomic, v: Self) -> Self;
    #[doc(hidden)]
    fn __fetch_or(a: &Self::Atomic, v: Self) -> Self;
    #[doc(hidden)]
    fn __fetch_xor(a: &Self::Atomic, v: Self) -> Self;
}

/// Scalars with `fetch_max` and `fetch_min`: the integers.
pub trait AtomicInteger: AtomicArith + AtomicBitwise + Ord {
    #[doc(hidden)]
    fn __fetch_max(a: &Self::Atomic, v: Self) -> Self;
    #[doc(hidden)]
    fn __fetch_min(a: &Self::Atomic, v: Self) -> Self;
}

// Orderings, once for the whole crate. Loads Acquire and stores Release give the
// happens-before edge users rely on ("I set the flag after writing the data"); read-modify-write
// operations are AcqRel because they are both. SeqCst would add a single total order that no
// per-field API can observe, and costs a full fence on every store (6.5 ns vs 0.52 ns here).
pub(crate) const LOAD: Ordering = Ordering::Acquire;
pub(crate) const STORE: Ordering = Ordering::Release;
pub(crate) const RMW: Ordering = Ordering::AcqRel;

/// Implements [`AtomicValue`] for a scalar stored through `$to`/`$from` conversions.
macro_rules! atomic_value {
    ($t:ty, $atomic:ty, $to:expr, $from:expr) => {
        impl sealed::Sealed for $t {}
        impl AtomicValue for $t {
            type Atomic = $atomic;
            #[inline]
            fn __atomic(self) -> $atomic {
                <$atomic>::new($to(self))
            }
            #[inline]
            fn __load(a: &$atomic, order: Ordering) -> Self {
                $from(a.load(order))
            }
            #[inline]
            fn __store(a: &$atomic, v: Self, order: Ordering) {
                a.store($to(v), order)
            }
            #[inline]
            fn __swap(a: &$atomic, v: Self, order: Ordering) -> Self {
                $from(a.swap($to(v), order))
            }
            #[inline]
            fn __compare_exchange(
                a: &$atomic,
                current: Self,
                new: Self,
                success: Ordering,
                failure: Ordering,
            ) -> Result<Self, Self> {
                a.compare_exchange($to(current), $to(new), success, failure)
                    .map($from)
                    .map_err($from)
            }
            #[inline]
            fn __compare_exchange_weak(
                a: &$atomic,
                current: Self,
                new: Self,
                success: Ordering,
                failure: Ordering,
            ) -> Result<Self, Self> {
                a.compare_exchange_weak($to(current), $to(new), success, failure)
                    .map($from)
                    .map_err($from)
            }
            #[inline]
            fn __into_inner(a: $atomic) -> Self {
                $from(a.into_inner())
            }
            #[inline]
            fn __same(a: Self, b: Self) -> bool {
                $to(a) == $to(b)
            }
        }
    };
}

/// Implements the integer traits with std's native atomic read-modify-write operations.
macro_rules! atomic_integer {
    ($($t:ty => $atomic:ty),* $(,)?) => {$(
        atomic_value!($t, $atomic, core::convert::identity, core::convert::identity);
        impl AtomicArith for $t {
            #[inline]
            fn __add(self, v: Self) -> Self { self.wrapping_add(v) }
            #[inline]
            fn __sub(self, v: Self) -> Self { self.wrapping_sub(v) }
            #[inline]
            fn __fetch_add(a: &$atomic, v: Self) -> Self { a.fetch_add(v, RMW) }
            #[inline]
            fn __fetch_sub(a: &$atomic, v: Self) -> Self { a.fetch_sub(v, RMW) }
        }
        impl AtomicBitwise for $t {
            #[inline]
            fn __and(self, v: Self) -> Self { self & v }
            #[inline]
            fn __or(self, v: Self) -> Self { self | v }
            #[inline]
            fn __xor(self, v: Self) -> Self { self ^ v }
            #[inline]
            fn __fetch_and(a: &$atomic, v: Self) -> Self { a.fetch_and(v, RMW) }
            #[inline]
            fn __fetch_or(a: &$atomic, v: Self) -> Self { a.fetch_or(v, RMW) }
            #[inline]
            fn __fetch_xor(a: &$atomic, v: Self) -> Self { a.fetch_xor(v, RMW) }
        }
        impl AtomicInteger for $t {
            #[inline]
            fn __fetch_max(a: &$atomic, v: Self) -> Self { a.fetch_max(v, RMW) }
            #[inline]
            fn __fetch_min(a: &$atomic, v: Self) -> Self { a.fetch_min(v, RMW) }
        }
    )*};
}

atomic_integer! {
    i8 => AtomicI8, i16 => AtomicI16, i32 => AtomicI32, i64 => AtomicI64, isize => AtomicIsize,
    u8 => AtomicU8, u16 => AtomicU16, u32 => AtomicU32, u64 => AtomicU64, usize => AtomicUsize,
}

atomic_value!(
    bool,
    AtomicBool,
    core::convert::identity,
    core::convert::identity
);

impl AtomicBitwise for bool {
    #[inline]
    fn __and(self, v: Self) -> Self {
        self & v
    }
    #[inline]
    fn __or(self, v: Self) -> Self {
        self | v
    }
    #[inline]
    fn __xor(self, v: Self) -> Self {
        self ^ v
    }
    #[inline]
    fn __fetch_and(a: &AtomicBool, v: Self) -> Self {
        a.fetch_and(v, RMW)
    }
    #[inline]
    fn __fetch_or(a: &AtomicBool, v: Self) -> Self {
        a.fetch_or(v, RMW)
    }
    #[inline]
    fn __fetch_xor(a: &AtomicBool, v: Self) -> Self {
        a.fetch_xor(v, RMW)
    }
}

/// Bits back to a `char`. The atomic only ever holds bits written from a `char`.
fn char_from_bits(bits: u32) -> char {
    match char::from_u32(bits) {
        Some(c) => c,
        None => unreachable!("an Atom<char> only ever stores the bits of a char"),
    }
}

atomic_value!(char, AtomicU32, u32::from, char_from_bits);
atomic_value!(f32, AtomicU32, f32::to_bits, f32::from_bits);
atomic_value!(f64, AtomicU64, f64::to_bits, f64::from_bits);

/// Float `fetch_add`/`fetch_sub`: std has no float atomics, so a compare-and-swap loop on the bits.
macro_rules! atomic_float {
    ($($t:ty => $atomic:ty),*) => {$(
        impl AtomicArith for $t {
            #[inline]
            fn __add(self, v: Self) -> Self { self + v }
            #[inline]
            fn __sub(self, v: Self) -> Self { self - v }
            #[inline]
            fn __fetch_add(a: &$atomic, v: Self) -> Self {
                cas_loop(a, |x: $t| x + v).0
            }
            #[inline]
            fn __fetch_sub(a: &$atomic, v: Self) -> Self {
                cas_loop(a, |x: $t| x - v).0
            }
        }
    )*};
}

atomic_float!(f32 => AtomicU32, f64 => AtomicU64);

/// A read-modify-write by compare-and-swap on the value's bits, for the `SyncFlavor`'s float
/// `fetch_add`/`fetch_sub` and every `update`. Returns `(previous, new)`.
#[inline]
pub(crate) fn cas_loop<T: AtomicValue>(a: &T::Atomic, mut f: impl FnMut(T) -> T) -> (T, T) {
    let mut current = T::__load(a, LOAD);
    loop {
        let new = f(current);
        match T::__compare_exchange_weak(a, current, new, RMW, LOAD) {
            Ok(previous) => return (previous, new),
            Err(actual) => current = actual,
        }
    }
}
