//! What `#[derive(Shared)]` gives a user, through handles of both flavours: one accessor per
//! field with the storage the derive documents, constructors, the `Rc`-style associated functions,
//! `Clone`, `Debug`, `Default`, and the `Handle` trait for generic code.

#[macro_use]
mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Barrier;
use std::thread;

use sharecell::{
    lock_all, Atom, DefaultFlavor, Flavor, Handle, LocalFlavor, Mutex, RwLock, Shared, Snapshot,
    SyncFlavor, WeakHandle,
};

mod bank {
    use sharecell::{Flavor, Shared};

    /// A scalar behind a type alias: the derive cannot see through it, so it needs `atomic`.
    pub type Count = u32;

    /// An account, with one field of every kind.
    #[derive(Shared, Clone, Debug, Default, PartialEq)]
    pub struct Account {
        pub id: u64,
        pub balance: core::primitive::i64,
        pub ratio: std::primitive::f64,
        pub small: ::core::primitive::u16,
        pub active: bool,
        pub initial: char,
        pub owner: String,
        #[shared(atomic)]
        pub visits: Count,
        #[shared(rwlock)]
        pub flagged: bool,
        #[shared(mutex)]
        pub log: Vec<String>,
        #[shared(readonly)]
        pub opened: u64,
        #[shared(rename = label)]
        pub name: String,
        /// Named like a handle-level function's suffix (`strong_count`): no clash.
        pub(crate) count: usize,
        secret: u8,
    }

    impl Account {
        pub fn sample() -> Self {
            Account {
                id: 1,
                balance: -5,
                ratio: 0.5,
                small: 7,
                active: true,
                initial: 'a',
                owner: "ada".to_owned(),
                visits: 3,
                flagged: false,
                log: vec!["opened".to_owned()],
                opened: 2024,
                name: "main".to_owned(),
                count: 0,
                secret: 42,
            }
        }

        /// `secret` is private to this module; tests compare whole values through this.
        pub fn with_secret(self, secret: u8) -> Self {
            Account { secret, ..self }
        }
    }

    /// A private field's accessor is private: usable here, in the struct's module.
    pub fn bump_secret<F: Flavor>(h: &AccountHandle<F>) -> u8 {
        h.secret().fetch_add(1) + 1
    }
}

use bank::{Account, AccountHandle, WeakAccountHandle};

fn sample<F: Flavor>() -> AccountHandle<F> {
    AccountHandle::from(Account::sample())
}

/// Each accessor hands out the storage the derive documents for its field.
fn accessor_types<F: Flavor>() {
    let h = sample::<F>();
    let _: &Atom<u64, F> = h.id();
    let _: &Atom<i64, F> = h.balance();
    let _: &Atom<f64, F> = h.ratio();
    let _: &Atom<u16, F> = h.small();
    let _: &Atom<bool, F> = h.active();
    let _: &Atom<char, F> = h.initial();
    let _: &RwLock<String, F> = h.owner();
    let _: &Atom<u32, F> = h.visits();
    let _: &RwLock<bool, F> = h.flagged();
    let _: &Mutex<Vec<String>, F> = h.log();
    let _: &u64 = h.opened();
    let _: &RwLock<String, F> = h.label();
    let _: &Atom<usize, F> = h.count();
}

/// Changes through one handle are seen through its clone: they share the fields.
fn accessors_share_state<F: Flavor>() {
    let h = sample::<F>();
    let other = h.clone();
    h.id().fetch_add(10);
    h.balance().set(100);
    h.ratio().fetch_sub(0.25);
    h.small().update(|s| s * 2);
    h.active().fetch_not();
    h.initial().set('z');
    h.owner().write().push_str(" lovelace");
    h.visits().fetch_add(1);
    h.flagged().set(true);
    h.log().lock().push("deposit".to_owned());
    h.label().with_mut(|n| n.make_ascii_uppercase());
    h.count().set(9);
    assert_eq!(bank::bump_secret(&h), 43);

    let mut expected = Account::sample().with_secret(43);
    expected.id = 11;
    expected.balance = 100;
    expected.ratio = 0.25;
    expected.small = 14;
    expected.active = false;
    expected.initial = 'z';
    expected.owner = "ada lovelace".to_owned();
    expected.visits = 4;
    expected.flagged = true;
    expected.log.push("deposit".to_owned());
    expected.name = "MAIN".to_owned();
    expected.count = 9;
    assert_eq!(*other.opened(), 2024);
    assert_eq!(other.owner().get_cloned(), "ada lovelace");
    drop(other);
    assert_eq!(AccountHandle::try_unwrap(h).ok(), Some(expected));
}

fn clone_is_a_pointer_copy<F: Flavor>() {
    let h = sample::<F>();
    let c = h.clone();
    assert!(AccountHandle::ptr_eq(&h, &c));
    assert_eq!(AccountHandle::strong_count(&h), 2);
    let distinct = sample::<F>();
    assert!(!AccountHandle::ptr_eq(&h, &distinct));
    drop(c);
    assert_eq!(AccountHandle::strong_count(&h), 1);
}

/// `count()` is the field; `strong_count`/`weak_count` are associated functions.
fn field_named_count_is_not_shadowed<F: Flavor>() {
    let h = sample::<F>();
    let _c = h.clone();
    let _w = AccountHandle::downgrade(&h);
    h.count().set(5);
    assert_eq!(h.count().get(), 5);
    assert_eq!(AccountHandle::strong_count(&h), 2);
    assert_eq!(AccountHandle::weak_count(&h), 1);
}

fn downgrade_and_upgrade<F: Flavor>() {
    let h = sample::<F>();
    let weak: WeakAccountHandle<F> = AccountHandle::downgrade(&h);
    assert_eq!(AccountHandle::weak_count(&h), 1);
    assert_eq!(weak.strong_count(), 1);
    let weak2 = weak.clone();
    assert!(weak.ptr_eq(&weak2));
    assert_eq!(AccountHandle::weak_count(&h), 2);
    let up = weak.upgrade().expect("a handle is alive");
    assert!(AccountHandle::ptr_eq(&h, &up));
    up.id().set(77);
    drop((h, up));
    assert!(weak.upgrade().is_none());
    assert_eq!(weak.strong_count(), 0);
    assert_eq!(format!("{weak:?}"), "(Weak)");
}

/// `WeakXHandle::new()`, like `rc::Weak::new()`, takes its flavour from the context.
fn empty_weak<F: Flavor>() {
    let weak: WeakAccountHandle<F> = WeakAccountHandle::new();
    assert!(weak.upgrade().is_none());
    assert_eq!(weak.strong_count(), 0);
    let default = WeakAccountHandle::<F>::default();
    assert!(default.upgrade().is_none());
    let h = sample::<F>();
    assert!(!AccountHandle::downgrade(&h).ptr_eq(&weak));
}

fn try_unwrap_gives_handle_back<F: Flavor>() {
    let h = sample::<F>();
    let other = h.clone();
    h.id().set(5);
    let back = AccountHandle::try_unwrap(h).expect_err("another handle is alive");
    assert!(AccountHandle::ptr_eq(&back, &other));
    assert_eq!(AccountHandle::strong_count(&back), 2);
    assert_eq!(back.id().get(), 5);
    drop(other);
    let data = AccountHandle::try_unwrap(back).expect("the only handle");
    assert_eq!(data.id, 5);
    assert_eq!(data.owner, "ada");
}

fn into_inner_on_last_handle<F: Flavor>() {
    let h = sample::<F>();
    let other = h.clone();
    let weak = AccountHandle::downgrade(&h);
    other.log().lock().clear();
    assert_eq!(AccountHandle::into_inner(h), None);
    assert_eq!(AccountHandle::strong_count(&other), 1);
    let data = AccountHandle::into_inner(other).expect("the last handle");
    assert!(data.log.is_empty());
    assert!(weak.upgrade().is_none());
}

fn snapshot_copies_values<F: Flavor>() {
    let h = sample::<F>();
    h.owner().set("grace".to_owned());
    h.ratio().set(2.0);
    let snap: Account = AccountHandle::snapshot(&h);
    assert_eq!(snap.owner, "grace");
    assert_eq!(snap.ratio, 2.0);
    // A copy: later changes do not reach it, and the handle keeps its value.
    h.owner().set("hopper".to_owned());
    assert_eq!(snap.owner, "grace");
    assert_eq!(AccountHandle::strong_count(&h), 1);
    assert_eq!(AccountHandle::snapshot(&h).owner, "hopper");
}

fn constructors_from<F: Flavor>() {
    let from: AccountHandle<F> = Account::sample().into();
    let explicit = AccountHandle::<F>::from(Account::sample());
    assert_eq!(
        AccountHandle::snapshot(&from),
        AccountHandle::snapshot(&explicit)
    );
}

/// The handle prints like the struct, under the handle's name.
fn debug_format<F: Flavor>() {
    let h = sample::<F>();
    let expected = format!("{:?}", Account::sample()).replacen("Account", "AccountHandle", 1);
    assert_eq!(format!("{h:?}"), expected);
    let pretty = format!("{:#?}", Account::sample()).replacen("Account", "AccountHandle", 1);
    assert_eq!(format!("{h:#?}"), pretty);
}

/// A locked field prints `<locked>` instead of blocking (in `SyncFlavor`, the guard is held by this
/// very thread, so blocking would deadlock) or panicking (in `LocalFlavor`).
fn debug_never_blocks<F: Flavor>() {
    let h = sample::<F>();
    let write = h.owner().write();
    let lock = h.log().lock();
    let text = format!("{h:?}");
    assert!(text.contains("owner: <locked>"), "{text}");
    assert!(text.contains("log: <locked>"), "{text}");
    assert!(text.contains("name: \"main\""), "{text}");
    drop((write, lock));
    let read = h.owner().read();
    assert!(format!("{h:?}").contains("owner: \"ada\""));
    drop(read);
}

fn default_when_struct_is_default<F: Flavor>() {
    let h = AccountHandle::<F>::default();
    assert_eq!(AccountHandle::snapshot(&h), Account::default());
    assert_eq!(AccountHandle::strong_count(&h), 1);
}

// ---- generic code over any handle ----

/// The strong and weak counts while one more clone and one weak handle are alive.
fn share<H: Handle>(h: &H) -> (usize, usize) {
    let _clone = h.clone();
    let _weak = H::downgrade(h);
    (H::strong_count(h), H::weak_count(h))
}

fn flavor_of<H: Handle>() -> &'static str {
    <H::Flavor as Flavor>::NAME
}

fn upgrade_again<H: Handle<Weak = WeakHandle<H>>>(h: &H) -> bool {
    let weak = H::downgrade(h);
    weak.upgrade().is_some_and(|up| H::ptr_eq(&up, h))
}

fn copy_of<H: Snapshot>(h: &H) -> H::Data {
    H::snapshot(h)
}

fn handle_trait_generic_code<F: Flavor>() {
    let h = sample::<F>();
    assert_eq!(share(&h), (2, 1));
    assert_eq!(AccountHandle::strong_count(&h), 1);
    assert_eq!(flavor_of::<AccountHandle<F>>(), F::NAME);
    assert!(upgrade_again(&h));
    let data: <AccountHandle<F> as Handle>::Data = copy_of(&h);
    assert_eq!(data, Account::sample());
    let _: <AccountHandle<F> as Handle>::Weak = <AccountHandle<F> as Handle>::Weak::default();
    let back = <AccountHandle<F> as Handle>::try_unwrap(h.clone()).expect_err("two handles");
    drop(h);
    assert!(<AccountHandle<F> as Handle>::into_inner(back).is_some());
}

for_both_flavors!(
    accessor_types,
    accessors_share_state,
    clone_is_a_pointer_copy,
    field_named_count_is_not_shadowed,
    downgrade_and_upgrade,
    empty_weak,
    try_unwrap_gives_handle_back,
    into_inner_on_last_handle,
    snapshot_copies_values,
    constructors_from,
    debug_format,
    debug_never_blocks,
    default_when_struct_is_default,
    handle_trait_generic_code,
    opaque_fields_still_work,
    many_fields_snapshot_and_print_in_order,
    a_struct_without_fields_still_derives,
);

/// A struct without fields (or whose fields are all left out by `#[cfg]`) still has a handle.
#[derive(Shared, Clone, Debug, Default, PartialEq)]
struct Empty {
    #[cfg(any())]
    never: u8,
}

fn a_struct_without_fields_still_derives<F: Flavor>() {
    let empty = EmptyHandle::<F>::from(Empty::default());
    assert_eq!(EmptyHandle::snapshot(&empty), Empty::default());
    assert_eq!(format!("{empty:?}"), "EmptyHandle");
    let other = empty.clone();
    assert!(EmptyHandle::ptr_eq(&empty, &other));
}

/// More fields than the runtime's tuples hold (12): the derive nests them, and `snapshot`,
/// `Debug` and the lock order still see every field, in declaration order.
#[derive(Shared, Clone, Debug, Default, PartialEq)]
struct Wide {
    f00: u8,
    f01: String,
    #[shared(mutex)]
    f02: Vec<u8>,
    f03: u16,
    f04: String,
    #[shared(readonly)]
    f05: u32,
    f06: Option<String>,
    #[shared(mutex)]
    f07: String,
    f08: bool,
    #[shared(swap)]
    f09: String,
    #[shared(once)]
    f10: Option<u64>,
    f11: char,
    f12: String,
    #[shared(mutex)]
    f13: Vec<String>,
    #[shared(padded)]
    f14: i64,
    f15: String,
    f16: u64,
    f17: String,
    f18: i8,
    f19: String,
    f20: u32,
    f21: String,
    f22: u8,
    f23: String,
    f24: String,
    f25: f32,
}

fn many_fields_snapshot_and_print_in_order<F: Flavor>() {
    let data = Wide {
        f00: 1,
        f01: "one".into(),
        f02: vec![2],
        f05: 5,
        f07: "seven".into(),
        f10: Some(10),
        f13: vec!["thirteen".into()],
        f14: -14,
        f24: "twenty-four".into(),
        f25: 2.5,
        ..Wide::default()
    };
    let wide = WideHandle::<F>::from(data.clone());
    assert_eq!(WideHandle::snapshot(&wide), data);
    wide.f24().set("changed".into());
    wide.f13().lock().push("more".into());
    let copy = WideHandle::snapshot(&wide);
    assert_eq!(copy.f24, "changed");
    assert_eq!(copy.f13, ["thirteen", "more"]);

    let printed = format!("{wide:?}");
    let names: Vec<usize> = (0..26)
        .map(|i| {
            let name = format!("f{i:02}: ");
            printed
                .find(&name)
                .unwrap_or_else(|| panic!("{name} missing: {printed}"))
        })
        .collect();
    assert!(
        names.windows(2).all(|w| w[0] < w[1]),
        "declaration order: {printed}"
    );
    assert!(
        printed.starts_with("WideHandle { f00: 1, f01: \"one\", f02: [2], "),
        "{printed}"
    );
    assert!(
        printed.ends_with("f24: \"changed\", f25: 2.5 }"),
        "{printed}"
    );
}

#[test]
fn constructors_pick_the_flavour() {
    let default: AccountHandle = AccountHandle::new(Account::sample());
    let local: AccountHandle<LocalFlavor> = AccountHandle::new_local(Account::sample());
    let sync: AccountHandle<SyncFlavor> = AccountHandle::new_sync(Account::sample());
    assert_eq!(flavor_of::<AccountHandle>(), DefaultFlavor::NAME);
    assert_eq!(flavor_of::<AccountHandle<LocalFlavor>>(), "Local");
    assert_eq!(flavor_of::<AccountHandle<SyncFlavor>>(), "Sync");
    assert_eq!(AccountHandle::snapshot(&default), Account::sample());
    assert_eq!(AccountHandle::snapshot(&local), Account::sample());
    assert_eq!(AccountHandle::snapshot(&sync), Account::sample());
}

// ---- a struct whose field types are not Clone, Debug or Default ----

struct Opaque(u8);

#[derive(Shared)]
struct Holder {
    opaque: Opaque,
    #[shared(mutex)]
    guarded: Opaque,
    #[shared(readonly)]
    fixed: Opaque,
    n: u32,
}

fn holder<F: Flavor>() -> HolderHandle<F> {
    HolderHandle::from(Holder {
        opaque: Opaque(1),
        guarded: Opaque(2),
        fixed: Opaque(3),
        n: 4,
    })
}

/// Everything but `snapshot`, `Debug` and `Default` works, including `Clone` of the handle.
fn opaque_fields_still_work<F: Flavor>() {
    let h = holder::<F>();
    let c = h.clone();
    c.opaque().write().0 += 10;
    c.guarded().lock().0 += 20;
    c.n().fetch_add(1);
    assert_eq!(h.opaque().read().0, 11);
    assert_eq!(h.guarded().with_mut(|g| g.0), 22);
    assert_eq!(h.fixed().0, 3);
    assert_eq!(share(&h), (3, 1));
    assert!(upgrade_again(&h));
    let Err(h) = HolderHandle::try_unwrap(h) else {
        panic!("a clone is alive, so try_unwrap must give the handle back");
    };
    drop(c);
    let data = HolderHandle::into_inner(h).expect("the last handle");
    assert_eq!(
        (data.opaque.0, data.guarded.0, data.fixed.0, data.n),
        (11, 22, 3, 5)
    );
}

// ---- Sync: snapshot and into_inner across threads ----

#[derive(Shared, Clone)]
struct Pair {
    left: Vec<u32>,
    right: Vec<u32>,
}

/// A writer changes both lock fields together, under both write locks taken with `lock_all` (in
/// the crate's lock order, as `snapshot` takes its read locks); a snapshot never sees them differ.
#[test]
fn sync_snapshot_holds_lock_fields_together() {
    let pair = PairHandle::new_sync(Pair {
        left: vec![],
        right: vec![],
    });
    thread::scope(|s| {
        s.spawn(|| {
            for i in 0..500 {
                let (mut left, mut right) =
                    lock_all((pair.left().for_write(), pair.right().for_write()));
                left.push(i);
                right.push(i);
            }
        });
        for _ in 0..500 {
            let snap = PairHandle::snapshot(&pair);
            assert_eq!(snap.left, snap.right);
        }
    });
    let done = PairHandle::snapshot(&pair);
    assert_eq!(done.left.len(), 500);
    assert_eq!(done.left, done.right);
}

/// When every thread calls `into_inner` on its clone, exactly one gets the data.
#[test]
fn sync_into_inner_exactly_once() {
    let pair = PairHandle::new_sync(Pair {
        left: vec![1],
        right: vec![2],
    });
    let winners = AtomicUsize::new(0);
    let barrier = Barrier::new(4);
    thread::scope(|s| {
        for _ in 0..4 {
            let (mine, winners, barrier) = (pair.clone(), &winners, &barrier);
            s.spawn(move || {
                barrier.wait();
                if let Some(data) = PairHandle::into_inner(mine) {
                    assert_eq!((data.left, data.right), (vec![1], vec![2]));
                    winners.fetch_add(1, Ordering::Relaxed);
                }
            });
        }
        drop(pair);
    });
    assert_eq!(winners.into_inner(), 1);
}

/// `Debug` does not wait for a guard that another thread holds.
#[test]
fn sync_debug_while_other_thread_holds_a_guard() {
    let h = sample::<SyncFlavor>();
    let barrier = Barrier::new(2);
    thread::scope(|s| {
        s.spawn(|| {
            let guard = h.log().lock();
            barrier.wait(); // the guard is held
            barrier.wait(); // the main thread has printed
            drop(guard);
        });
        barrier.wait();
        let text = format!("{h:?}");
        barrier.wait();
        assert!(text.contains("log: <locked>"), "{text}");
        assert!(text.contains("owner: \"ada\""), "{text}");
    });
}
