//! Which types an [`Atom`](crate::Atom) can hold, and how each is stored.
//!
//! Every [`AtomicValue`] is stored as an [`AtomicScalar`] (its `Repr`: the scalars are their own),
//! and every scalar names the std atomic that stores it in the `SyncFlavor`. Floats live in
//! `AtomicU32`/`AtomicU64` and `char` in `AtomicU32`, as their bits; every other scalar in its
//! own atomic. The `LocalFlavor` stores the value itself in a `Cell`.

use crate::backend::atomic::{
    AtomicBool, AtomicI16, AtomicI32, AtomicI64, AtomicI8, AtomicIsize, AtomicU16, AtomicU32,
    AtomicU64, AtomicU8, AtomicUsize, Ordering,
};

mod sealed {
    pub trait Sealed {}
}

/// A value that an [`Atom`](crate::Atom) can hold: a `Copy` type stored as one of the atomic
/// scalars ([`AtomicScalar`]: `bool`, `char`, the integers up to 64 bits, `isize`, `usize`, `f32`
/// and `f64`).
///
/// The scalars implement it as themselves. Your own fieldless `Copy` enums and newtypes over an
/// atomic value implement it with `#[derive(sharecell::AtomicValue)]`, or by hand: say which
/// scalar stores the value ([`Repr`](Self::Repr)) and how to convert to it and back. Anything
/// else goes behind a lock: write `#[shared(rwlock)]` or `#[shared(mutex)]` on the field.
///
/// ```
/// use sharecell::{Atom, AtomicValue, LocalFlavor, Shared, SyncFlavor};
/// # if sharecell::__private::LOOM { return; } // loom's primitives work inside loom::model only
///
/// #[derive(Clone, Copy, Debug, PartialEq, AtomicValue)]
/// enum QuirksMode {
///     NoQuirks,
///     LimitedQuirks,
///     Quirks,
/// }
///
/// #[derive(Clone, Copy, Debug, PartialEq, AtomicValue)]
/// struct Meters(u32);
///
/// #[derive(Shared)]
/// struct Document {
///     #[shared(atomic)]
///     quirks: QuirksMode,
///     #[shared(atomic)]
///     width: Meters,
/// }
///
/// let doc = DocumentHandle::new_sync(Document { quirks: QuirksMode::NoQuirks, width: Meters(3) });
/// assert_eq!(doc.quirks().replace(QuirksMode::Quirks), QuirksMode::NoQuirks);
/// assert_eq!(doc.width().update(|m| Meters(m.0 * 2)), Meters(3));
/// assert_eq!((doc.quirks().get(), doc.width().get()), (QuirksMode::Quirks, Meters(6)));
///
/// let local = Atom::<QuirksMode, LocalFlavor>::new(QuirksMode::LimitedQuirks);
/// assert_eq!(local.compare_exchange(QuirksMode::LimitedQuirks, QuirksMode::NoQuirks), Ok(QuirksMode::LimitedQuirks));
/// ```
///
/// By hand, for a type the derive does not cover (the conversion back returns `None` for a
/// scalar that is no value of the type):
///
/// ```
/// use sharecell::{Atom, AtomicValue, SyncFlavor};
/// # if sharecell::__private::LOOM { return; } // loom's primitives work inside loom::model only
///
/// /// A percentage, 0 to 100.
/// #[derive(Clone, Copy, Debug, PartialEq)]
/// struct Percent(u8);
///
/// impl AtomicValue for Percent {
///     type Repr = u8;
///     fn into_repr(self) -> u8 {
///         self.0
///     }
///     fn from_repr(repr: u8) -> Option<Self> {
///         (repr <= 100).then_some(Percent(repr))
///     }
/// }
///
/// let done = Atom::<Percent, SyncFlavor>::new(Percent(10));
/// done.set(Percent(55));
/// assert_eq!(done.get(), Percent(55));
/// ```
///
/// # The conversion back never makes an invalid value
///
/// An atom only ever stores what `into_repr` made of a value of `Self`, and only gives back
/// what `from_repr` makes of that: it never builds a value out of arbitrary bits. An
/// implementation must therefore round-trip, `from_repr(into_repr(v)) == Some(v)`; the derive's
/// always do (an enum's `from_repr` matches the discriminants one by one and returns `None`
/// for any other number). Should a hand-written `from_repr` return `None` for a scalar its own
/// `into_repr` made, the atom panics, naming the type, rather than invent a value.
///
/// Floats and `char` are stored as their bits, so [`Atom::compare_exchange`](crate::Atom::compare_exchange)
/// compares representations in both flavours: `NaN` matches the same `NaN`, and `0.0` does
/// not match `-0.0`; a user type compares by its `Repr`. The `fetch_*` arithmetic and bit
/// operations are for the scalars themselves ([`AtomicArith`], [`AtomicBitwise`],
/// [`AtomicInteger`]).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be stored in an `Atom`",
    label = "not an atomic value",
    note = "an `Atom` holds bool, char, i8..i64, u8..u64, isize, usize, f32, f64, or a `Copy` enum or newtype with `#[derive(sharecell::AtomicValue)]`",
    note = "to keep this field behind a lock, write `#[shared(rwlock)]` or `#[shared(mutex)]` on it"
)]
pub trait AtomicValue: Copy + core::fmt::Debug + 'static {
    /// The atomic scalar that stores the value: `Self` for the scalars, the discriminant's
    /// integer for an enum, the field's `Repr` for a newtype.
    type Repr: AtomicScalar;

    /// The scalar that stores `self`.
    fn into_repr(self) -> Self::Repr;

    /// The value that `repr` stores, or `None` when `repr` is no value of `Self`. Must return
    /// `Some(v)` for `into_repr(v)` (see the trait's documentation).
    fn from_repr(repr: Self::Repr) -> Option<Self>;
}

/// A scalar that an [`Atom`](crate::Atom) stores in a std atomic: `bool`, `char`, the integers up
/// to 64 bits, `isize`, `usize`, `f32` and `f64`. The [`Repr`](AtomicValue::Repr) of every
/// [`AtomicValue`].
///
/// The trait is sealed: these are exactly the types with a lock-free atomic on every platform
/// sharecell supports. Its items are hidden: not public API.
pub trait AtomicScalar: AtomicValue<Repr = Self> + sealed::Sealed {
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
pub trait AtomicArith: AtomicScalar {
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
pub trait AtomicBitwise: AtomicScalar {
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

/// Implements [`AtomicValue`] (as itself) and [`AtomicScalar`] for a scalar stored through
/// `$to`/`$from` conversions.
macro_rules! atomic_value {
    ($t:ty, $atomic:ty, $to:expr, $from:expr) => {
        impl sealed::Sealed for $t {}
        impl AtomicValue for $t {
            type Repr = $t;
            #[inline(always)]
            fn into_repr(self) -> $t {
                self
            }
            #[inline(always)]
            fn from_repr(repr: $t) -> Option<$t> {
                Some(repr)
            }
        }
        impl AtomicScalar for $t {
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

/// The value an atom stored as `repr` (see "The conversion back never makes an invalid value"
/// on [`AtomicValue`]).
#[inline(always)]
pub(crate) fn from_stored<T: AtomicValue>(repr: T::Repr) -> T {
    match T::from_repr(repr) {
        Some(value) => value,
        None => not_round_trip::<T>(repr),
    }
}

#[cold]
#[inline(never)]
fn not_round_trip<T: AtomicValue>(repr: T::Repr) -> ! {
    panic!(
        "the `AtomicValue` impl of `{}` does not round-trip: its `from_repr` returned `None` for \
         `{repr:?}`, which only its own `into_repr` can have stored (sharecell never makes a \
         value out of a scalar `from_repr` refuses)",
        core::any::type_name::<T>()
    )
}

/// Whether `a` and `b` are stored as the same scalar (equal bits, for floats and `char`):
/// the equality of `compare_exchange`.
#[inline(always)]
pub(crate) fn same<T: AtomicValue>(a: T, b: T) -> bool {
    T::Repr::__same(a.into_repr(), b.into_repr())
}

/// The std atomic that stores a `T` in the `SyncFlavor`.
pub(crate) type AtomicOf<T> = <<T as AtomicValue>::Repr as AtomicScalar>::Atomic;

/// A read-modify-write by compare-and-swap on the value's representation, for the
/// `SyncFlavor`'s float `fetch_add`/`fetch_sub` and every `update`. Returns `(previous, new)`.
#[inline]
pub(crate) fn cas_loop<T: AtomicValue>(a: &AtomicOf<T>, mut f: impl FnMut(T) -> T) -> (T, T) {
    let mut current = T::Repr::__load(a, LOAD);
    loop {
        let new = f(from_stored(current));
        match T::Repr::__compare_exchange_weak(a, current, new.into_repr(), RMW, LOAD) {
            Ok(previous) => return (from_stored(previous), new),
            Err(actual) => current = actual,
        }
    }
}
