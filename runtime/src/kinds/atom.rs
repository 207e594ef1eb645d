//! What an [`Atom`](crate::Atom) is made of: [`AtomKind`] on `Cell<T>` and on [`SyncAtom`], the
//! std atomic of `T`.

use core::cell::Cell;

use core::marker::PhantomData;

use crate::value::{
    cas_loop, from_stored, same, AtomicArith, AtomicBitwise, AtomicInteger, AtomicOf, AtomicScalar,
    AtomicValue, LOAD, RMW, STORE,
};

/// The storage of an [`Atom`](crate::Atom) in one flavour (`Cell<T>` or the std atomic).
/// Not public API.
#[doc(hidden)]
pub trait AtomKind<T: AtomicValue>: Sized {
    fn new(value: T) -> Self;
    fn load(&self) -> T;
    fn store(&self, value: T);
    fn swap(&self, value: T) -> T;
    fn compare_exchange(&self, current: T, new: T) -> Result<T, T>;
    /// Applies `f` until it sticks; returns `(previous, new)`.
    fn update(&self, f: impl FnMut(T) -> T) -> (T, T);
    fn into_inner(self) -> T;
    fn fetch_add(&self, value: T) -> T
    where
        T: AtomicArith;
    fn fetch_sub(&self, value: T) -> T
    where
        T: AtomicArith;
    fn fetch_and(&self, value: T) -> T
    where
        T: AtomicBitwise;
    fn fetch_or(&self, value: T) -> T
    where
        T: AtomicBitwise;
    fn fetch_xor(&self, value: T) -> T
    where
        T: AtomicBitwise;
    fn fetch_max(&self, value: T) -> T
    where
        T: AtomicInteger;
    fn fetch_min(&self, value: T) -> T
    where
        T: AtomicInteger;
}

/// `Cell` as atom storage. The read-modify-write operations are a `get` and a `set`: nothing else
/// can run in between on one thread, so they behave exactly like the atomic ones, including
/// wrapping integer arithmetic and bit-wise `compare_exchange` on floats.
impl<T: AtomicValue> AtomKind<T> for Cell<T> {
    #[inline]
    fn new(value: T) -> Self {
        Cell::new(value)
    }
    #[inline]
    fn load(&self) -> T {
        self.get()
    }
    #[inline]
    fn store(&self, value: T) {
        self.set(value);
    }
    #[inline]
    fn swap(&self, value: T) -> T {
        self.replace(value)
    }
    #[inline]
    fn compare_exchange(&self, current: T, new: T) -> Result<T, T> {
        let previous = self.get();
        if same(previous, current) {
            self.set(new);
            Ok(previous)
        } else {
            Err(previous)
        }
    }
    #[inline]
    fn update(&self, mut f: impl FnMut(T) -> T) -> (T, T) {
        let previous = self.get();
        let new = f(previous);
        self.set(new);
        (previous, new)
    }
    #[inline]
    fn into_inner(self) -> T {
        Cell::into_inner(self)
    }
    #[inline]
    fn fetch_add(&self, value: T) -> T
    where
        T: AtomicArith,
    {
        AtomKind::update(self, |x| x.__add(value)).0
    }
    #[inline]
    fn fetch_sub(&self, value: T) -> T
    where
        T: AtomicArith,
    {
        AtomKind::update(self, |x| x.__sub(value)).0
    }
    #[inline]
    fn fetch_and(&self, value: T) -> T
    where
        T: AtomicBitwise,
    {
        AtomKind::update(self, |x| x.__and(value)).0
    }
    #[inline]
    fn fetch_or(&self, value: T) -> T
    where
        T: AtomicBitwise,
    {
        AtomKind::update(self, |x| x.__or(value)).0
    }
    #[inline]
    fn fetch_xor(&self, value: T) -> T
    where
        T: AtomicBitwise,
    {
        AtomKind::update(self, |x| x.__xor(value)).0
    }
    #[inline]
    fn fetch_max(&self, value: T) -> T
    where
        T: AtomicInteger,
    {
        AtomKind::update(self, |x| x.max(value)).0
    }
    #[inline]
    fn fetch_min(&self, value: T) -> T
    where
        T: AtomicInteger,
    {
        AtomKind::update(self, |x| x.min(value)).0
    }
}

/// The storage of an `Atom<T, SyncFlavor>`: the std atomic of `T`'s representation. Not public
/// API. `Send` and `Sync` when `T` is (the atomic always is).
#[doc(hidden)]
pub struct SyncAtom<T: AtomicValue>(AtomicOf<T>, PhantomData<T>);

/// The arithmetic and bit operations (`T: AtomicScalar`, so `T` is its own representation) work
/// on the atomic directly; everything else converts at the boundary.
impl<T: AtomicValue> AtomKind<T> for SyncAtom<T> {
    #[inline]
    fn new(value: T) -> Self {
        SyncAtom(value.into_repr().__atomic(), PhantomData)
    }
    #[inline]
    fn load(&self) -> T {
        from_stored(T::Repr::__load(&self.0, LOAD))
    }
    #[inline]
    fn store(&self, value: T) {
        T::Repr::__store(&self.0, value.into_repr(), STORE);
    }
    #[inline]
    fn swap(&self, value: T) -> T {
        from_stored(T::Repr::__swap(&self.0, value.into_repr(), RMW))
    }
    #[inline]
    fn compare_exchange(&self, current: T, new: T) -> Result<T, T> {
        match T::Repr::__compare_exchange(&self.0, current.into_repr(), new.into_repr(), RMW, LOAD)
        {
            Ok(previous) => Ok(from_stored(previous)),
            Err(actual) => Err(from_stored(actual)),
        }
    }
    #[inline]
    fn update(&self, f: impl FnMut(T) -> T) -> (T, T) {
        cas_loop(&self.0, f)
    }
    #[inline]
    fn into_inner(self) -> T {
        from_stored(T::Repr::__into_inner(self.0))
    }
    #[inline]
    fn fetch_add(&self, value: T) -> T
    where
        T: AtomicArith,
    {
        T::__fetch_add(&self.0, value)
    }
    #[inline]
    fn fetch_sub(&self, value: T) -> T
    where
        T: AtomicArith,
    {
        T::__fetch_sub(&self.0, value)
    }
    #[inline]
    fn fetch_and(&self, value: T) -> T
    where
        T: AtomicBitwise,
    {
        T::__fetch_and(&self.0, value)
    }
    #[inline]
    fn fetch_or(&self, value: T) -> T
    where
        T: AtomicBitwise,
    {
        T::__fetch_or(&self.0, value)
    }
    #[inline]
    fn fetch_xor(&self, value: T) -> T
    where
        T: AtomicBitwise,
    {
        T::__fetch_xor(&self.0, value)
    }
    #[inline]
    fn fetch_max(&self, value: T) -> T
    where
        T: AtomicInteger,
    {
        T::__fetch_max(&self.0, value)
    }
    #[inline]
    fn fetch_min(&self, value: T) -> T
    where
        T: AtomicInteger,
    {
        T::__fetch_min(&self.0, value)
    }
}
