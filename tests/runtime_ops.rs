//! Every operation of `Atom`, `RwLock` and `Mutex`, written once generic over the flavour and run
//! for both `LocalFlavor` and `SyncFlavor`: the API (and its results) must be the same in both.

#[macro_use]
mod common;

use std::fmt::Debug;

use sharecell::{Atom, AtomicInteger, Flavor, Mutex, RwLock};

/// The integer types, with what the generic integer test needs to build its values.
trait Int: AtomicInteger + Debug + Default {
    const MIN: Self;
    const MAX: Self;
    fn n(v: u8) -> Self;
}

macro_rules! impl_int {
    ($($t:ty),*) => {$(
        impl Int for $t {
            const MIN: Self = <$t>::MIN;
            const MAX: Self = <$t>::MAX;
            #[allow(clippy::cast_possible_wrap, clippy::cast_lossless)]
            fn n(v: u8) -> Self {
                // Only small values (< 100) are used, which every integer type holds.
                v as $t
            }
        }
    )*};
}

impl_int!(i8, i16, i32, i64, isize, u8, u16, u32, u64, usize);

fn integer_basics<T: Int, F: Flavor>() {
    let n = T::n;
    let a = Atom::<T, F>::new(n(5));
    assert_eq!(a.get(), n(5));
    a.set(n(7));
    assert_eq!(a.get(), n(7));
    assert_eq!(a.replace(n(9)), n(7));
    assert_eq!(a.take(), n(9));
    assert_eq!(a.get(), n(0));
    // `update` returns the previous value.
    assert_eq!(a.update(|x| x.max(n(4))), n(0));
    assert_eq!(a.get(), n(4));
    assert_eq!(a.compare_exchange(n(4), n(6)), Ok(n(4)));
    assert_eq!(a.compare_exchange(n(4), n(8)), Err(n(6)));
    assert_eq!(a.get(), n(6));
    assert_eq!(a.into_inner(), n(6));
}

fn integer_rmw<T: Int, F: Flavor>() {
    let n = T::n;
    let a = Atom::<T, F>::new(n(10));
    assert_eq!(a.fetch_add(n(5)), n(10));
    assert_eq!(a.fetch_sub(n(3)), n(15));
    assert_eq!(a.get(), n(12)); // 0b1100
    assert_eq!(a.fetch_and(n(0b1010)), n(12));
    assert_eq!(a.get(), n(0b1000));
    assert_eq!(a.fetch_or(n(0b0011)), n(0b1000));
    assert_eq!(a.get(), n(0b1011));
    assert_eq!(a.fetch_xor(n(0b1110)), n(0b1011));
    assert_eq!(a.get(), n(0b0101));
    assert_eq!(a.fetch_max(n(9)), n(5));
    assert_eq!(a.fetch_max(n(2)), n(9));
    assert_eq!(a.get(), n(9));
    assert_eq!(a.fetch_min(n(3)), n(9));
    assert_eq!(a.fetch_min(n(7)), n(3));
    assert_eq!(a.get(), n(3));
}

/// Integers wrap on overflow in both flavours, like std's atomics (a `Cell` does not panic in
/// debug builds either).
fn integer_wrapping<T: Int, F: Flavor>() {
    let a = Atom::<T, F>::new(T::MAX);
    assert_eq!(a.fetch_add(T::n(1)), T::MAX);
    assert_eq!(a.get(), T::MIN);
    assert_eq!(a.fetch_sub(T::n(1)), T::MIN);
    assert_eq!(a.get(), T::MAX);
    a.set(T::MIN);
    assert_eq!(a.fetch_sub(T::n(2)), T::MIN);
    // MIN - 2 + 1 wraps to MAX.
    a.fetch_add(T::n(1));
    assert_eq!(a.get(), T::MAX);
}

fn integer_traits<T: Int, F: Flavor>() {
    let mut a = Atom::<T, F>::from(T::n(3));
    {
        let mut guard = a.get_mut();
        assert_eq!(*guard, T::n(3));
        *guard = T::n(42);
        // The guard formats like the value it holds.
        assert_eq!(format!("{guard:?}"), format!("{:?}", T::n(42)));
    }
    assert_eq!(a.get(), T::n(42));
    assert_eq!(format!("{a:?}"), format!("{:?}", T::n(42)));
    assert_eq!(Atom::<T, F>::default().get(), T::default());
}

fn integer_all<T: Int, F: Flavor>() {
    integer_basics::<T, F>();
    integer_rmw::<T, F>();
    integer_wrapping::<T, F>();
    integer_traits::<T, F>();
}

fn atom_integers<F: Flavor>() {
    integer_all::<i8, F>();
    integer_all::<i16, F>();
    integer_all::<i32, F>();
    integer_all::<i64, F>();
    integer_all::<isize, F>();
    integer_all::<u8, F>();
    integer_all::<u16, F>();
    integer_all::<u32, F>();
    integer_all::<u64, F>();
    integer_all::<usize, F>();
}

fn atom_integer_wrapping_exact<F: Flavor>() {
    let a = Atom::<u8, F>::new(250);
    assert_eq!(a.fetch_add(10), 250);
    assert_eq!(a.get(), 4);
    let b = Atom::<i32, F>::new(i32::MIN + 1);
    assert_eq!(b.fetch_sub(3), i32::MIN + 1);
    assert_eq!(b.get(), i32::MAX - 1);
    let c = Atom::<usize, F>::new(0);
    c.fetch_sub(1);
    assert_eq!(c.get(), usize::MAX);
    let d = Atom::<isize, F>::new(isize::MAX);
    d.fetch_add(isize::MAX);
    assert_eq!(d.get(), -2);
}

fn atom_bool<F: Flavor>() {
    let a = Atom::<bool, F>::new(false);
    assert!(!a.fetch_not());
    assert!(a.get());
    assert!(a.fetch_not());
    assert!(!a.get());
    assert!(!a.fetch_or(true));
    assert!(a.get());
    assert!(a.fetch_and(false));
    assert!(!a.get());
    assert!(!a.fetch_xor(true));
    assert!(a.fetch_xor(true));
    assert!(!a.get());
    assert!(!a.replace(true));
    assert!(a.take());
    assert!(!a.get());
    assert_eq!(a.compare_exchange(true, false), Err(false));
    assert_eq!(a.compare_exchange(false, true), Ok(false));
    assert!(a.update(|b| !b));
    assert_eq!(format!("{a:?}"), "false");
    assert!(!Atom::<bool, F>::default().get());
    assert!(Atom::<bool, F>::from(true).into_inner());
}

fn atom_bool_get_mut<F: Flavor>() {
    let mut a = Atom::<bool, F>::new(false);
    *a.get_mut() = true;
    assert!(a.get());
}

fn atom_char<F: Flavor>() {
    let a = Atom::<char, F>::new('a');
    assert_eq!(a.get(), 'a');
    a.set('🦀');
    assert_eq!(a.get(), '🦀');
    assert_eq!(a.replace('é'), '🦀');
    assert_eq!(a.compare_exchange('x', 'y'), Err('é'));
    assert_eq!(a.compare_exchange('é', 'z'), Ok('é'));
    assert_eq!(a.update(|c| c.to_ascii_uppercase()), 'z');
    assert_eq!(format!("{a:?}"), "'Z'");
    assert_eq!(a.take(), 'Z');
    assert_eq!(a.get(), '\0');
    assert_eq!(Atom::<char, F>::default().get(), char::default());
    let mut b = Atom::<char, F>::from('q');
    {
        let mut guard = b.get_mut();
        *guard = '\u{10FFFF}';
        assert_eq!(format!("{guard}"), "\u{10FFFF}");
    }
    assert_eq!(b.into_inner(), '\u{10FFFF}');
}

/// The float tests, once per float type (the body is the same; the literals differ in type).
macro_rules! float_tests {
    ($($name:ident: $t:ident),*) => {$(
        fn $name<F: Flavor>() {
            let a = Atom::<$t, F>::new(1.5);
            assert_eq!(a.fetch_add(0.25), 1.5);
            assert_eq!(a.get(), 1.75);
            assert_eq!(a.fetch_sub(1.0), 1.75);
            assert_eq!(a.get(), 0.75);
            assert_eq!(a.replace(-2.0), 0.75);
            assert_eq!(a.update(|x| x * 3.0), -2.0);
            assert_eq!(a.take(), -6.0);
            assert_eq!(a.get().to_bits(), (0.0 as $t).to_bits());
            assert_eq!(format!("{a:?}"), "0.0");
            assert_eq!(Atom::<$t, F>::default().get().to_bits(), 0);
            // Floats add as floats, not as their bits.
            a.set(0.1);
            a.fetch_add(0.2);
            assert_eq!(a.get(), (0.1 as $t) + 0.2);
            a.set($t::INFINITY);
            a.fetch_sub($t::INFINITY);
            assert!(a.get().is_nan());
        }
    )*};
}

float_tests!(atom_f32_arith: f32, atom_f64_arith: f64);

/// `compare_exchange` compares bits in both flavours: NaN matches the same NaN, `0.0` and `-0.0`
/// do not match each other.
macro_rules! float_cas_tests {
    ($($name:ident: $t:ident),*) => {$(
        fn $name<F: Flavor>() {
            let bits = |r: Result<$t, $t>| r.map(<$t>::to_bits).map_err(<$t>::to_bits);
            let (zero, neg_zero) = ((0.0 as $t).to_bits(), (-0.0 as $t).to_bits());
            let nan = $t::NAN.to_bits();
            let a = Atom::<$t, F>::new($t::NAN);
            assert_eq!(bits(a.compare_exchange($t::NAN, 1.0)), Ok(nan));
            assert_eq!(a.get(), 1.0);
            // A NaN with the other sign bit is another value.
            a.set($t::NAN);
            assert_eq!(bits(a.compare_exchange(-$t::NAN, 2.0)), Err(nan));
            a.set(0.0);
            assert_eq!(bits(a.compare_exchange(-0.0, 3.0)), Err(zero));
            assert_eq!(a.get().to_bits(), zero);
            a.set(-0.0);
            assert_eq!(bits(a.compare_exchange(0.0, 4.0)), Err(neg_zero));
            assert_eq!(bits(a.compare_exchange(-0.0, 5.0)), Ok(neg_zero));
            assert_eq!(a.get(), 5.0);
        }
    )*};
}

float_cas_tests!(atom_f32_compare_exchange: f32, atom_f64_compare_exchange: f64);

fn atom_float_get_mut<F: Flavor>() {
    let mut a = Atom::<f64, F>::new(1.5);
    {
        let mut guard = a.get_mut();
        *guard += 1.0;
        assert_eq!(format!("{guard:?}"), "2.5");
        assert_eq!(format!("{guard}"), "2.5");
    }
    assert_eq!(a.get(), 2.5);
    let mut b = Atom::<f32, F>::from(-0.5);
    *b.get_mut() *= 4.0;
    assert_eq!(b.into_inner(), -2.0);
}

fn rwlock_read_write<F: Flavor>() {
    let lock = RwLock::<Vec<u32>, F>::new(vec![1]);
    {
        let first = lock.read();
        let second = lock.read();
        assert_eq!(*first, [1]);
        assert_eq!(second.len(), 1);
    }
    {
        let mut guard = lock.write();
        guard.push(2);
        assert_eq!(*guard, [1, 2]);
    }
    assert_eq!(*lock.read(), [1, 2]);
    lock.try_write().expect("no guard is alive").push(3);
    assert_eq!(*lock.try_read().expect("no writer is alive"), [1, 2, 3]);
}

fn rwlock_closures<F: Flavor>() {
    let lock = RwLock::<String, F>::new("ada".to_owned());
    assert_eq!(lock.with(String::len), 3);
    let pushed = lock.with_mut(|s| {
        s.push('!');
        s.len()
    });
    assert_eq!(pushed, 4);
    // The lock is released after each closure.
    assert!(lock.try_write().is_ok());
    assert_eq!(lock.get_cloned(), "ada!");
}

fn rwlock_values<F: Flavor>() {
    let lock = RwLock::<String, F>::new("a".to_owned());
    lock.set("b".to_owned());
    assert_eq!(lock.get_cloned(), "b");
    assert_eq!(lock.replace("c".to_owned()), "b");
    assert_eq!(lock.take(), "c");
    assert_eq!(lock.get_cloned(), "");
    lock.set("d".to_owned());
    assert_eq!(lock.into_inner(), "d");
}

fn rwlock_owned_access<F: Flavor>() {
    let mut lock = RwLock::<Vec<u8>, F>::from(vec![1, 2]);
    lock.get_mut().push(3);
    assert_eq!(lock.get_cloned(), [1, 2, 3]);
    assert_eq!(
        RwLock::<Vec<u8>, F>::default().into_inner(),
        Vec::<u8>::new()
    );
    assert_eq!(format!("{lock:?}"), "[1, 2, 3]");
}

fn mutex_lock<F: Flavor>() {
    let mutex = Mutex::<Vec<u32>, F>::new(vec![1]);
    {
        let mut guard = mutex.lock();
        guard.push(2);
        assert_eq!(*guard, [1, 2]);
    }
    mutex.try_lock().expect("no guard is alive").push(3);
    assert_eq!(mutex.with_mut(|v| v.iter().sum::<u32>()), 6);
    assert!(mutex.try_lock().is_ok());
    assert_eq!(mutex.get_cloned(), [1, 2, 3]);
}

fn mutex_values<F: Flavor>() {
    let mut mutex = Mutex::<String, F>::from("a".to_owned());
    mutex.set("b".to_owned());
    assert_eq!(mutex.replace("c".to_owned()), "b");
    assert_eq!(mutex.take(), "c");
    assert_eq!(mutex.get_cloned(), "");
    mutex.get_mut().push('x');
    assert_eq!(format!("{mutex:?}"), "\"x\"");
    assert_eq!(mutex.into_inner(), "x");
    assert_eq!(Mutex::<u8, F>::default().into_inner(), 0);
}

fn guards_format_like_their_value<F: Flavor>() {
    let lock = RwLock::<String, F>::new("ada".to_owned());
    {
        let read = lock.read();
        assert_eq!(format!("{read}"), "ada");
        assert_eq!(format!("{read:?}"), "\"ada\"");
    }
    {
        let write = lock.write();
        assert_eq!(format!("{write}"), "ada");
        assert_eq!(format!("{write:?}"), "\"ada\"");
    }
    let mutex = Mutex::<f64, F>::new(0.5);
    let guard = mutex.lock();
    assert_eq!(format!("{guard} {guard:?} {guard:>6}"), "0.5 0.5    0.5");
}

fn guards_deref_mut<F: Flavor>() {
    let lock = RwLock::<(u8, u8), F>::new((1, 2));
    lock.write().0 = 10;
    assert_eq!(*lock.read(), (10, 2));
    let mutex = Mutex::<(u8, u8), F>::new((1, 2));
    mutex.lock().1 = 20;
    assert_eq!(mutex.get_cloned(), (1, 20));
}

for_both_flavors!(
    atom_integers,
    atom_integer_wrapping_exact,
    atom_bool,
    atom_bool_get_mut,
    atom_char,
    atom_f32_arith,
    atom_f64_arith,
    atom_f32_compare_exchange,
    atom_f64_compare_exchange,
    atom_float_get_mut,
    rwlock_read_write,
    rwlock_closures,
    rwlock_values,
    rwlock_owned_access,
    mutex_lock,
    mutex_values,
    guards_format_like_their_value,
    guards_deref_mut,
);

// ---- Sync: read-modify-writes from many threads lose no update ----

const THREADS: u32 = 4;
const PER_THREAD: u32 = 1000;

/// Runs `f` `PER_THREAD` times on each of `THREADS` threads.
fn hammer(f: impl Fn() + std::marker::Sync) {
    std::thread::scope(|s| {
        for _ in 0..THREADS {
            s.spawn(|| (0..PER_THREAD).for_each(|_| f()));
        }
    });
}

#[test]
fn sync_atom_rmw_from_many_threads() {
    let int = Atom::<u64, sharecell::SyncFlavor>::new(0);
    let float = Atom::<f64, sharecell::SyncFlavor>::new(0.0);
    let updated = Atom::<i32, sharecell::SyncFlavor>::new(0);
    let flips = Atom::<bool, sharecell::SyncFlavor>::new(false);
    hammer(|| {
        int.fetch_add(2);
        float.fetch_add(1.0);
        updated.update(|x| x - 1);
        flips.fetch_not();
    });
    let total = THREADS * PER_THREAD;
    assert_eq!(int.get(), u64::from(total) * 2);
    assert_eq!(float.get(), f64::from(total));
    assert_eq!(updated.get(), -i32::try_from(total).unwrap());
    // An even number of flips.
    assert!(!flips.get());
}

#[test]
fn sync_locks_from_many_threads() {
    let lock = RwLock::<u32, sharecell::SyncFlavor>::new(0);
    let mutex = Mutex::<Vec<u32>, sharecell::SyncFlavor>::new(Vec::new());
    hammer(|| {
        *lock.write() += 1;
        mutex.with_mut(|v| v.push(1));
    });
    assert_eq!(lock.get_cloned(), THREADS * PER_THREAD);
    assert_eq!(mutex.lock().len(), (THREADS * PER_THREAD) as usize);
}
