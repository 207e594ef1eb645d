//! Money moving between accounts on several threads, with an auditor who checks that no money
//! is ever created or lost.
//!
//! Each balance is a lock field. A transfer must change two balances as one step, so it takes
//! both locks at once with `lock_all`; the auditor takes every balance at once, so it never sees
//! a transfer half done. `lock_all` takes its locks in one order for the whole crate, whatever
//! order they are written in, so a transfer from A to B and one from B to A at the same moment
//! cannot deadlock.
//!
//! Run: `cargo run --example bank`

use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;

use sharecell::{lock_all, Flavor, Shared, SyncFlavor};

/// A bank account. The derive turns it into the handle type `AccountHandle`.
#[derive(Shared)]
struct Account {
    /// Never changes: a plain `&usize`, no lock.
    #[shared(readonly)]
    id: usize,
    /// Part of an invariant across accounts (the bank's total), so a lock field: a bare `i64`
    /// would be an atom, which cannot be held together with anything else.
    #[shared(mutex)]
    balance: i64,
}

const ACCOUNTS: usize = 8;
const OPENING_BALANCE: i64 = 1_000;
const TELLERS: usize = 4;
const TRANSFERS_PER_TELLER: usize = 10_000;

/// Moves `amount` from `from` to `to`, unless `from` has less than that. Returns whether it did.
///
/// `from` and `to` must be different accounts: asking `lock_all` for one field twice is a bug
/// that panics.
fn transfer<F: Flavor>(from: &AccountHandle<F>, to: &AccountHandle<F>, amount: i64) -> bool {
    let (mut from_balance, mut to_balance) =
        lock_all((from.balance().for_lock(), to.balance().for_lock()));
    if *from_balance < amount {
        return false; // no overdrafts; both guards drop here and nothing changed
    }
    *from_balance -= amount;
    *to_balance += amount;
    true
}

/// The sum of all balances, read while every balance is held, so no transfer is half done.
fn total<F: Flavor>(accounts: &[AccountHandle<F>]) -> i64 {
    let requests: Vec<_> = accounts.iter().map(|a| a.balance().for_lock()).collect();
    let balances = lock_all(requests);
    balances.iter().map(|balance| **balance).sum()
}

/// One teller: random transfers between random accounts. Returns how many went through and
/// how many were refused for lack of money.
fn teller<F: Flavor>(accounts: &[AccountHandle<F>], seed: u64) -> (usize, usize) {
    let mut rng = XorShift::new(seed);
    let (mut done, mut refused) = (0, 0);
    for _ in 0..TRANSFERS_PER_TELLER {
        let from = &accounts[rng.below(ACCOUNTS)];
        let to = &accounts[rng.below(ACCOUNTS)];
        if from.id() == to.id() {
            continue; // a transfer to the same account would request one field twice
        }
        let amount = 1 + rng.below(OPENING_BALANCE as usize / 4) as i64;
        if transfer(from, to, amount) {
            done += 1;
        } else {
            refused += 1;
        }
    }
    (done, refused)
}

fn main() {
    let accounts: Vec<AccountHandle<SyncFlavor>> = (0..ACCOUNTS)
        .map(|id| {
            AccountHandle::new_sync(Account {
                id,
                balance: OPENING_BALANCE,
            })
        })
        .collect();
    let before = total(&accounts);
    assert_eq!(before, ACCOUNTS as i64 * OPENING_BALANCE);

    let tellers_done = AtomicBool::new(false);
    let ((transfers, refused), audits) = thread::scope(|s| {
        let accounts = &accounts;
        let tellers_done = &tellers_done;

        // The auditor: sums every balance, again and again, until the tellers are done.
        let auditor = s.spawn(move || {
            let mut audits = 0;
            loop {
                let finished = tellers_done.load(Ordering::Acquire);
                let seen = total(accounts);
                assert_eq!(seen, before, "audit {audits}: money was created or lost");
                audits += 1;
                if finished {
                    return audits;
                }
            }
        });

        let tellers: Vec<_> = (0..TELLERS)
            .map(|t| s.spawn(move || teller(accounts, 0x9E37_79B9_7F4A_7C15 ^ t as u64)))
            .collect();
        let mut counts = (0, 0);
        for t in tellers {
            let (done, refused) = t.join().expect("a teller panicked");
            counts = (counts.0 + done, counts.1 + refused);
        }
        tellers_done.store(true, Ordering::Release);
        (counts, auditor.join().expect("the auditor panicked"))
    });

    let after = total(&accounts);
    assert_eq!(after, before, "money was created or lost");
    let balances: Vec<i64> = accounts.iter().map(|a| a.balance().get_cloned()).collect();
    println!("balances now: {balances:?}");
    println!(
        "total {before} before, {after} after, {before} in each of {audits} audits; \
         {transfers} transfers ({refused} refused: not enough money)"
    );
}

/// A tiny xorshift pseudo-random generator: the same seed gives the same sequence.
struct XorShift(u64);

impl XorShift {
    fn new(seed: u64) -> Self {
        XorShift(seed.max(1)) // xorshift never leaves 0
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    /// A number in `0..n`.
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}
