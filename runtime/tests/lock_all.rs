//! `lock_all` and `try_lock_all`, in both flavours: guards in the caller's order whatever the
//! memory order, every shape (tuples, arrays, `Vec`), fields of several handles and types, a
//! field requested twice, conflicts, and (`SyncFlavor`) threads that take the same locks in opposite
//! textual orders, alone or against `snapshot`, without deadlocking.
#![cfg(not(loom))]

#[macro_use]
mod common;

use std::thread;

use common::{at, iterations, panic_message, panic_message_and_place};
use sharecell::{lock_all, try_lock_all, Flavor, Mutex, RwLock, Shared, SyncFlavor};

for_both_flavors!(
    tuple_guards_come_back_in_the_callers_order,
    fields_of_several_handles_and_struct_types,
    arrays_and_vecs_keep_the_callers_order,
    twelve_requests_of_mixed_kinds,
    same_field_twice_panics_at_the_callers_line_and_holds_nothing,
    same_field_twice_in_a_vec_panics,
    try_lock_all_reports_a_field_requested_twice,
    try_lock_all_fails_on_a_guard_in_the_way_and_holds_nothing,
    snapshot_after_lock_all_sees_every_change,
    optional_requests_take_only_what_is_there,
);

fn tuple_guards_come_back_in_the_callers_order<F: Flavor>() {
    let name = RwLock::<String, F>::new("ada".to_owned());
    let tags = RwLock::<Vec<u8>, F>::new(vec![1]);
    let log = Mutex::<Vec<String>, F>::new(Vec::new());

    // Each textual order gives the guards in that order, whichever lock comes first in memory.
    {
        let (mut log, name, mut tags) =
            lock_all((log.for_lock(), name.for_read(), tags.for_write()));
        log.push(format!("{} has {} tags", *name, tags.len()));
        tags.push(2);
    }
    {
        let (mut tags, mut log, name) =
            lock_all((tags.for_write(), log.for_lock(), name.for_read()));
        tags.push(3);
        log.push(format!("{} has {} tags", *name, tags.len()));
    }
    assert_eq!(tags.get_cloned(), [1, 2, 3]);
    assert_eq!(log.get_cloned(), ["ada has 1 tags", "ada has 3 tags"]);

    // Everything is released when the guards go.
    assert!(name.try_write().is_ok());
    assert!(tags.try_write().is_ok());
    assert!(log.try_lock().is_ok());
}

#[derive(Shared)]
struct Account {
    #[shared(mutex)]
    balance: i64,
    owner: String,
}

#[derive(Shared)]
struct Journal {
    #[shared(mutex)]
    lines: Vec<String>,
}

fn fields_of_several_handles_and_struct_types<F: Flavor>() {
    let alice = AccountHandle::<F>::from(Account {
        balance: 100,
        owner: "alice".to_owned(),
    });
    let bob = AccountHandle::<F>::from(Account {
        balance: 5,
        owner: "bob".to_owned(),
    });
    let journal = JournalHandle::<F>::from(Journal { lines: Vec::new() });

    let transfer = |from: &AccountHandle<F>, to: &AccountHandle<F>, amount: i64| {
        let (mut from_balance, from_owner, mut to_balance, to_owner, mut lines) = lock_all((
            from.balance().for_lock(),
            from.owner().for_read(),
            to.balance().for_lock(),
            to.owner().for_read(),
            journal.lines().for_lock(),
        ));
        if *from_balance < amount {
            lines.push(format!("refused {amount} from {}", *from_owner));
            return;
        }
        *from_balance -= amount;
        *to_balance += amount;
        lines.push(format!("{amount} from {} to {}", *from_owner, *to_owner));
    };
    transfer(&alice, &bob, 30);
    transfer(&bob, &alice, 50);
    transfer(&bob, &alice, 35);

    assert_eq!(
        (alice.balance().get_cloned(), bob.balance().get_cloned()),
        (105, 0)
    );
    assert_eq!(
        journal.lines().get_cloned(),
        [
            "30 from alice to bob",
            "refused 50 from bob",
            "35 from bob to alice"
        ]
    );
}

fn arrays_and_vecs_keep_the_callers_order<F: Flavor>() {
    let locks: Vec<Mutex<usize, F>> = (0..40).map(Mutex::new).collect();

    // An array, in an order unrelated to memory.
    let [a, b, c] = lock_all([
        locks[7].for_lock(),
        locks[2].for_lock(),
        locks[30].for_lock(),
    ]);
    assert_eq!((*a, *b, *c), (7, 2, 30));
    drop((a, b, c));

    // A `Vec` longer than the small-sort threshold, in reverse then shuffled order.
    let reversed: Vec<_> = locks.iter().rev().map(Mutex::for_lock).collect();
    let guards = lock_all(reversed);
    let values: Vec<usize> = guards.iter().map(|g| **g).collect();
    assert_eq!(values, (0..40).rev().collect::<Vec<_>>());
    drop(guards);

    let shuffled: Vec<usize> = (0..40).map(|i| (i * 17 + 5) % 40).collect();
    let mut guards = lock_all(
        shuffled
            .iter()
            .map(|&i| locks[i].for_lock())
            .collect::<Vec<_>>(),
    );
    for (guard, &i) in guards.iter_mut().zip(&shuffled) {
        assert_eq!(**guard, i);
        **guard += 100;
    }
    drop(guards);
    assert!(locks
        .iter()
        .enumerate()
        .all(|(i, l)| l.get_cloned() == i + 100));

    // Read requests of one `RwLock` type, as an auditor takes them.
    let balances: Vec<RwLock<i64, F>> = (1..=4).map(RwLock::new).collect();
    let total: i64 = lock_all(balances.iter().map(RwLock::for_read).collect::<Vec<_>>())
        .iter()
        .map(|g| **g)
        .sum();
    assert_eq!(total, 10);
    assert!(lock_all(Vec::<sharecell::ReadRequest<'_, i64, F>>::new()).is_empty());
}

fn twelve_requests_of_mixed_kinds<F: Flavor>() {
    let m: Vec<Mutex<u32, F>> = (0..4).map(Mutex::new).collect();
    let r: Vec<RwLock<u32, F>> = (4..12).map(RwLock::new).collect();
    let (g0, g1, g2, g3, g4, g5, g6, g7, mut g8, g9, g10, mut g11) = lock_all((
        m[0].for_lock(),
        r[0].for_read(),
        m[1].for_lock(),
        r[1].for_read(),
        m[2].for_lock(),
        r[2].for_read(),
        m[3].for_lock(),
        r[3].for_read(),
        r[4].for_write(),
        r[5].for_read(),
        r[6].for_read(),
        r[7].for_write(),
    ));
    assert_eq!(
        [*g0, *g1, *g2, *g3, *g4, *g5, *g6, *g7, *g8, *g9, *g10, *g11],
        [0, 4, 1, 5, 2, 6, 3, 7, 8, 9, 10, 11]
    );
    *g8 += 1;
    *g11 += 1;
}

fn same_field_twice_panics_at_the_callers_line_and_holds_nothing<F: Flavor>() {
    let name = RwLock::<String, F>::new("ada".to_owned());
    let log = Mutex::<Vec<u8>, F>::new(Vec::new());
    let (n, l) = (&name, &log);
    let line = line!() + 2;
    let (message, place) =
        panic_message_and_place(|| lock_all((n.for_read(), l.for_lock(), n.for_read())));
    assert_eq!(place, at(line), "the panic points at the caller's line");
    assert!(
        message.contains("requests 0 and 2 (counting from 0) are the same field"),
        "names the two requests: {message}"
    );
    assert!(
        message.contains("String"),
        "names the field's type: {message}"
    );
    assert!(message.contains("lock_all"), "{message}");
    // Nothing was taken: the check comes first.
    assert!(name.try_write().is_ok());
    assert!(log.try_lock().is_ok());
}

fn same_field_twice_in_a_vec_panics<F: Flavor>() {
    let locks: Vec<Mutex<u8, F>> = (0..20).map(Mutex::new).collect();
    let mut requests: Vec<_> = locks.iter().map(Mutex::for_lock).collect();
    requests.push(locks[3].for_lock());
    let message = panic_message(|| lock_all(requests));
    assert!(message.contains("requests 3 and 20 "), "{message}");
    assert!(message.contains("u8"), "{message}");
    assert!(locks.iter().all(|l| l.try_lock().is_ok()));
}

fn try_lock_all_reports_a_field_requested_twice<F: Flavor>() {
    let name = RwLock::<String, F>::new("ada".to_owned());
    let log = Mutex::<Vec<u8>, F>::new(Vec::new());
    let err = try_lock_all((log.for_lock(), name.for_read(), name.for_write())).unwrap_err();
    assert!(err.is_duplicate());
    assert!(err.to_string().contains("requests 1 and 2 "), "{err}");
    assert!(name.try_write().is_ok());
    assert!(log.try_lock().is_ok());
    // A real conflict is not a duplicate.
    let guard = log.lock();
    let err = try_lock_all((log.for_lock(), name.for_read())).unwrap_err();
    assert!(!err.is_duplicate());
    drop(guard);
}

fn try_lock_all_fails_on_a_guard_in_the_way_and_holds_nothing<F: Flavor>() {
    let first = RwLock::<u32, F>::new(1);
    let second = RwLock::<u32, F>::new(2);
    let third = Mutex::<u32, F>::new(3);
    for blocked in 0..3 {
        // Hold one of the three in the way; the others must come back free.
        let write = match blocked {
            0 => Some(first.write()),
            1 => Some(second.write()),
            _ => None,
        };
        let lock = (blocked == 2).then(|| third.lock());
        let err = try_lock_all((third.for_lock(), first.for_read(), second.for_write()))
            .expect_err("a guard is in the way");
        assert_eq!(err.is_read(), blocked == 0, "{err}");
        assert!(!err.is_duplicate());
        drop((write, lock));
        assert!(first.try_write().is_ok(), "nothing is left held");
        assert!(second.try_write().is_ok(), "nothing is left held");
        assert!(third.try_lock().is_ok(), "nothing is left held");
    }
    let (mut c, a, mut b) = try_lock_all((third.for_lock(), first.for_read(), second.for_write()))
        .expect("nothing in the way");
    *c += *a;
    *b += *a;
    drop((c, a, b));
    assert_eq!((second.get_cloned(), third.get_cloned()), (3, 4));
}

#[derive(Shared)]
struct Ledger {
    #[shared(mutex)]
    credit: u64,
    entries: u32,
    debit: String,
    #[shared(mutex)]
    note: Vec<u8>,
}

fn snapshot_after_lock_all_sees_every_change<F: Flavor>() {
    let ledger = LedgerHandle::<F>::from(Ledger {
        credit: 1,
        entries: 0,
        debit: String::new(),
        note: Vec::new(),
    });
    {
        let (mut note, mut credit, mut debit) = lock_all((
            ledger.note().for_lock(),
            ledger.credit().for_lock(),
            ledger.debit().for_write(),
        ));
        *credit += 1;
        debit.push('x');
        note.push(1);
        ledger.entries().fetch_add(1);
    }
    let copy = LedgerHandle::snapshot(&ledger);
    assert_eq!(
        (copy.credit, copy.entries, copy.debit.as_str(), copy.note),
        (2, 1, "x", vec![1])
    );
}

// ---- Local: a conflict with a live guard panics at the caller's line ----

#[test]
fn local_conflict_panics_at_the_callers_line_and_releases_the_rest() {
    let first = RwLock::<u32, sharecell::LocalFlavor>::new(1);
    let second = Mutex::<u32, sharecell::LocalFlavor>::new(2);
    let (guard, l1) = (first.read(), line!());
    let (a, b) = (&first, &second);
    let l2 = line!() + 1;
    let message = panic_message(|| lock_all((b.for_lock(), a.for_write())));
    assert!(message.contains("cannot write"), "{message}");
    assert!(
        message.contains(&format!("asked to write at {}", at(l2))),
        "names the caller's line: {message}"
    );
    if cfg!(debug_assertions) {
        assert!(
            message.contains(&format!("taken at {}", at(l1))),
            "names where the guard in the way was taken: {message}"
        );
    }
    drop(guard);
    assert!(second.try_lock().is_ok(), "the panic left nothing held");
    assert!(first.try_write().is_ok());
}

// ---- Sync: threads ----

#[derive(Shared)]
struct Pair {
    #[shared(mutex)]
    left: i64,
    #[shared(rwlock)]
    right: i64,
}

/// Two threads take the same two locks in opposite textual orders, over and over: with
/// guards taken one by one this deadlocks quickly; `lock_all` never does, and each sees the
/// other's updates whole.
#[test]
fn opposite_textual_orders_on_two_threads_never_deadlock() {
    let pair = PairHandle::new_sync(Pair { left: 0, right: 0 });
    let rounds = iterations(5_000);
    thread::scope(|s| {
        s.spawn(|| {
            for _ in 0..rounds {
                let (mut left, mut right) =
                    lock_all((pair.left().for_lock(), pair.right().for_write()));
                assert_eq!(*left, *right, "both change under one lock_all");
                *left += 1;
                *right += 1;
            }
        });
        s.spawn(|| {
            for _ in 0..rounds {
                let (mut right, mut left) =
                    lock_all((pair.right().for_write(), pair.left().for_lock()));
                assert_eq!(*left, *right, "both change under one lock_all");
                *right += 1;
                *left += 1;
            }
        });
    });
    let expected = 2 * i64::try_from(rounds).expect("small");
    assert_eq!(
        (pair.left().get_cloned(), pair.right().get_cloned()),
        (expected, expected)
    );
}

/// Money moves between the lock fields of two accounts under `lock_all` while another thread
/// snapshots both: every snapshot pair adds up, and nobody deadlocks, whatever the textual
/// and declaration orders.
#[test]
fn lock_all_against_snapshot_on_two_threads() {
    let a = LedgerHandle::new_sync(Ledger {
        credit: 1_000,
        entries: 0,
        debit: String::new(),
        note: Vec::new(),
    });
    let b = LedgerHandle::new_sync(Ledger {
        credit: 1_000,
        entries: 0,
        debit: String::new(),
        note: Vec::new(),
    });
    let rounds = iterations(2_000);
    thread::scope(|s| {
        s.spawn(|| {
            for i in 0..rounds {
                let (from, to) = if i % 2 == 0 { (&a, &b) } else { (&b, &a) };
                let (mut note, mut to_credit, mut from_credit) = lock_all((
                    from.note().for_lock(),
                    to.credit().for_lock(),
                    from.credit().for_lock(),
                ));
                *from_credit -= 1;
                *to_credit += 1;
                note.push(1);
                note.pop();
            }
        });
        s.spawn(|| {
            for _ in 0..rounds {
                let (b_credit, a_credit) = lock_all((b.credit().for_lock(), a.credit().for_lock()));
                assert_eq!(*a_credit + *b_credit, 2_000);
                drop((b_credit, a_credit));
                // A snapshot of one handle holds all its lock fields, in the same order.
                let copy = LedgerHandle::snapshot(&a);
                assert!(copy.credit <= 2_000 && copy.note.is_empty());
            }
        });
    });
    assert_eq!(a.credit().get_cloned() + b.credit().get_cloned(), 2_000);
}

/// `lock_all` waits (it does not fail) while another thread holds one of the locks.
#[test]
fn sync_lock_all_waits_for_another_threads_guard() {
    let left = Mutex::<u32, SyncFlavor>::new(0);
    let right = Mutex::<u32, SyncFlavor>::new(0);
    let (held, release) = (std::sync::Barrier::new(2), std::sync::Barrier::new(2));
    thread::scope(|s| {
        s.spawn(|| {
            let mut guard = right.lock();
            held.wait();
            release.wait();
            *guard = 1;
        });
        held.wait();
        assert!(try_lock_all((left.for_lock(), right.for_lock())).is_err());
        release.wait();
        let (mut l, r) = lock_all((left.for_lock(), right.for_lock()));
        assert_eq!(
            *r, 1,
            "lock_all returned only after the other thread's write"
        );
        *l = *r + 1;
    });
    assert_eq!(left.get_cloned(), 2);
}

fn optional_requests_take_only_what_is_there<F: Flavor>() {
    let a = Mutex::<u8, F>::new(1);
    let b = RwLock::<u8, F>::new(2);
    let none: Option<sharecell::LockRequest<'_, u8, F>> = None;
    let (ga, gb, gn, gc) = lock_all((
        Some(a.for_lock()),
        b.for_read(),
        none,
        None::<sharecell::WriteRequest<'_, u8, F>>,
    ));
    assert_eq!((ga.as_deref(), *gb), (Some(&1), 2));
    assert!(gn.is_none() && gc.is_none());
    assert!(a.try_lock().is_err(), "the `Some` request is held");
    drop((ga, gb));
    // A `Some` request for a field that another request names is still a duplicate.
    let err = try_lock_all((a.for_lock(), Some(a.for_lock()))).unwrap_err();
    assert!(err.is_duplicate());
}
