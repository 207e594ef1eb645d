//! Saves are one consistent picture: a bank whose accounts move money concurrently always saves
//! the same total, nested handles included; a save never deadlocks against code that follows
//! the lock order, never waits behind a guard of its own thread, and never locks a field that
//! serde skips.

#[macro_use]
#[path = "../../common/mod.rs"]
mod common;

use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;

use serde::{Deserialize, Serialize};
use sharecell::{
    lock_all, transaction, DefaultFlavor, Flavor, LocalFlavor, Mutex, RwLock, Shared, SyncFlavor,
};

#[derive(Shared, Serialize, Deserialize)]
#[shared(flavor = F)]
struct Account<F: Flavor = DefaultFlavor> {
    #[shared(mutex)]
    balance: i64,
    #[shared(readonly)]
    #[serde(skip)]
    _flavor: core::marker::PhantomData<F>,
}

#[derive(Shared, Serialize, Deserialize)]
#[shared(flavor = F)]
struct Bank<F: Flavor = DefaultFlavor> {
    #[shared(mutex)]
    accounts: Vec<AccountHandle<F>>,
}

/// What a saved bank looks like.
#[derive(Deserialize)]
struct SavedBank {
    accounts: Vec<SavedAccount>,
}

#[derive(Deserialize)]
struct SavedAccount {
    balance: i64,
}

const ACCOUNTS: usize = 8;
const START: i64 = 1_000;

fn bank<F: Flavor>() -> BankHandle<F> {
    BankHandle::from(Bank {
        accounts: (0..ACCOUNTS)
            .map(|_| {
                AccountHandle::from(Account {
                    balance: START,
                    _flavor: core::marker::PhantomData,
                })
            })
            .collect(),
    })
}

/// Moves 1 between two accounts listed in the bank, in one transaction.
fn transfer<F: Flavor>(bank: &BankHandle<F>, from: usize, to: usize) {
    transaction(|tx| {
        let accounts = tx.lock(bank.accounts())?;
        let a = tx.keep(accounts[from].clone());
        let b = tx.keep(accounts[to].clone());
        let mut a = tx.lock(a.balance())?;
        let mut b = tx.lock(b.balance())?;
        *a -= 1;
        *b += 1;
        Ok(())
    });
}

fn total(json: &str) -> i64 {
    let saved: SavedBank = serde_json::from_str(json).expect("a saved bank");
    assert_eq!(saved.accounts.len(), ACCOUNTS);
    saved.accounts.iter().map(|a| a.balance).sum()
}

#[test]
fn saves_during_transfers_always_have_the_same_total() {
    let bank = bank::<SyncFlavor>();
    let done = AtomicBool::new(false);
    let saves = if cfg!(miri) { 5 } else { 200 };
    thread::scope(|s| {
        for w in 0..3 {
            let (bank, done) = (&bank, &done);
            s.spawn(move || {
                let mut i = w;
                while !done.load(Ordering::Relaxed) {
                    transfer(bank, i % ACCOUNTS, (i * 7 + 3) % ACCOUNTS);
                    i += 1;
                }
            });
        }
        for _ in 0..saves {
            let json = serde_json::to_string(&bank).expect("a save");
            assert_eq!(total(&json), START * ACCOUNTS as i64, "{json}");
            // The cell alone is one picture too.
            let json = serde_json::to_string(bank.accounts()).expect("a save of the cell");
            let accounts: Vec<SavedAccount> = serde_json::from_str(&json).unwrap();
            assert_eq!(
                accounts.iter().map(|a| a.balance).sum::<i64>(),
                START * ACCOUNTS as i64
            );
        }
        done.store(true, Ordering::Relaxed);
    });
}

#[test]
fn a_cell_of_handles_saved_against_lock_all_never_deadlocks() {
    // Serializing `accounts` holds the cell, then each account's balance; another thread takes
    // a balance and the cell together with `lock_all`, in the lock order.
    let bank = bank::<SyncFlavor>();
    let rounds = if cfg!(miri) { 5 } else { 500 };
    thread::scope(|s| {
        s.spawn(|| {
            for i in 0..rounds {
                let leaf = bank.accounts().lock()[i % ACCOUNTS].clone();
                let (mut balance, accounts) =
                    lock_all((leaf.balance().for_lock(), bank.accounts().for_lock()));
                assert_eq!(accounts.len(), ACCOUNTS);
                *balance += 0;
            }
        });
        for _ in 0..rounds {
            let json = serde_json::to_string(bank.accounts()).expect("a save of the cell");
            assert!(json.starts_with("[{\"balance\":"), "{json}");
        }
    });
}

#[derive(Shared, Serialize)]
struct Pair {
    #[shared(mutex)]
    a: u32,
    #[shared(mutex)]
    b: u32,
}

/// This thread holds the field later in the lock order; another thread, following the order,
/// holds the earlier one and waits for it. A save must not wait for the earlier field (that
/// wait could never end): it names the field this thread holds.
#[cfg(debug_assertions)]
#[test]
fn a_field_this_thread_holds_is_named_before_anything_is_waited_for() {
    let pair = PairHandle::<SyncFlavor>::new_sync(Pair { a: 1, b: 2 });
    let (a, b) = (pair.a(), pair.b());
    let (low, high, high_name) = if (a as *const Mutex<u32, SyncFlavor>) < (b as *const _) {
        (a, b, "b")
    } else {
        (b, a, "a")
    };
    let mine = high.lock();
    thread::scope(|s| {
        s.spawn(|| drop(lock_all((low.for_lock(), high.for_lock()))));
        // Wait until the other thread holds the low field (and waits for ours).
        while low.try_lock().is_ok() {
            thread::yield_now();
        }
        let err = serde_json::to_string(&pair).unwrap_err().to_string();
        assert!(
            err.starts_with(&format!(
                "cannot serialize field `{high_name}` of `PairHandle`"
            )),
            "{err}"
        );
        drop(mine);
    });
}

/// A field that serde skips is never locked by a save: a guard on it, of this thread or
/// another, is no obstacle.
#[derive(Shared, Serialize, Deserialize)]
#[shared(flavor = F)]
struct Session<F: Flavor = DefaultFlavor> {
    user: String,
    #[shared(mutex)]
    #[serde(skip)]
    scratch: Vec<u8>,
    #[shared(readonly)]
    #[serde(skip)]
    _flavor: core::marker::PhantomData<F>,
}

fn session<F: Flavor>() -> SessionHandle<F> {
    SessionHandle::from(Session {
        user: "ada".to_owned(),
        scratch: vec![1],
        _flavor: core::marker::PhantomData,
    })
}

for_both_flavors!(a_skipped_field_held_by_this_thread_is_no_obstacle);

fn a_skipped_field_held_by_this_thread_is_no_obstacle<F: Flavor>() {
    let handle = session::<F>();
    let mut scratch = handle.scratch().lock();
    scratch.push(2);
    assert_eq!(serde_json::to_string(&handle).unwrap(), r#"{"user":"ada"}"#);
    drop(scratch);
    // A plain snapshot still copies it.
    assert_eq!(SessionHandle::snapshot(&handle).scratch, [1, 2]);
}

#[test]
fn a_skipped_field_held_by_another_thread_is_not_waited_for() {
    let handle = session::<SyncFlavor>();
    let (held_tx, held_rx) = std::sync::mpsc::channel();
    let (done_tx, done_rx) = std::sync::mpsc::channel::<()>();
    thread::scope(|s| {
        let handle = &handle;
        s.spawn(move || {
            let _scratch = handle.scratch().lock();
            held_tx.send(()).unwrap();
            // Held until the save has finished.
            done_rx.recv().unwrap();
        });
        held_rx.recv().unwrap();
        assert_eq!(serde_json::to_string(&handle).unwrap(), r#"{"user":"ada"}"#);
        done_tx.send(()).unwrap();
    });
}

#[test]
fn a_save_inside_a_transaction_is_an_error() {
    // A `SyncFlavor` transaction holding locks: a save (a transaction of its own) would wait
    // while it holds them.
    let handle = session::<SyncFlavor>();
    let err = transaction(|tx| {
        let _user = tx.read(handle.user())?;
        Ok(serde_json::to_string(&handle).unwrap_err().to_string())
    });
    assert!(err.contains("inside a transaction"), "{err}");
}

#[test]
fn nested_handles_shared_twice_are_written_twice() {
    let shared = AccountHandle::<LocalFlavor>::from(Account {
        balance: 5,
        _flavor: core::marker::PhantomData,
    });
    let bank = BankHandle::from(Bank {
        accounts: vec![shared.clone(), shared],
    });
    assert_eq!(
        serde_json::to_string(&bank).unwrap(),
        r#"{"accounts":[{"balance":5},{"balance":5}]}"#
    );
    let cell = RwLock::<Vec<u8>, LocalFlavor>::new(vec![1, 2]);
    assert_eq!(serde_json::to_string(&cell).unwrap(), "[1,2]");
}
