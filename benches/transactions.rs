//! Several locks at once: `lock_all` against the code people write by hand. Results and how to
//! read them: BENCHMARKS.md.
//!
//! 1. One thread, no contention (`tx/...` groups, one pair each, `sharecell` then `std`, run
//!    back to back): `lock_all` of two fields or of two handles, against taking the same std
//!    locks (or `RefCell` borrows) one after the other by hand, doing the same work. Both sides
//!    start from `black_box(&handle)`, so the compiler sees neither the pointer nor the values.
//! 2. The bank (`bank/...` groups): accounts with a mutex balance, two threads each doing random
//!    transfers (seeded xorshift), each transfer taking the two balances with `lock_all`;
//!    against one std `Mutex<Vec<i64>>` over all accounts, and against padded per-account std
//!    mutexes taken in index order by hand (compared with the padded handles: same layout).
//!    Reported time: wall time per round, one round = one transfer by each thread (as in
//!    `benches/contention.rs`). Stderr splits every run by whether each thread had a core to
//!    itself or the two took turns on one, with the median of each: the two regimes differ
//!    several times over, in opposite directions for per-account and global locks.

use std::cell::RefCell;
use std::hint::black_box;
use std::rc::Rc;
use std::sync::atomic::AtomicUsize;
use std::sync::atomic::Ordering::SeqCst;
use std::sync::{Arc, Mutex as StdMutex, RwLock as StdRwLock};
use std::thread;
use std::time::{Duration, Instant};

use criterion::measurement::WallTime;
use criterion::{criterion_group, criterion_main, BenchmarkGroup, Criterion, SamplingMode};
use sharecell::{lock_all, Shared};

#[path = "support.rs"]
mod support;
use support::pair;

/// Two mutex fields and two rwlock fields of one handle.
#[derive(Shared, Default)]
struct Pair {
    #[shared(mutex)]
    a: i64,
    #[shared(mutex)]
    b: i64,
    #[shared(rwlock)]
    c: i64,
    #[shared(rwlock)]
    d: i64,
}

/// The hand-written `SyncFlavor` handle that `PairHandle<SyncFlavor>` replaces.
#[derive(Default)]
struct PairArc {
    a: StdMutex<i64>,
    b: StdMutex<i64>,
    c: StdRwLock<i64>,
    d: StdRwLock<i64>,
}

/// The hand-written `LocalFlavor` handle that `PairHandle<LocalFlavor>` replaces.
#[derive(Default)]
struct PairRc {
    a: RefCell<i64>,
    b: RefCell<i64>,
    c: RefCell<i64>,
    d: RefCell<i64>,
}

/// A bank account: a balance behind a mutex.
#[derive(Shared)]
struct Account {
    #[shared(mutex)]
    balance: i64,
}

/// The same account with its balance on a cache line of its own.
#[derive(Shared)]
#[shared(padded)]
struct PaddedAccount {
    #[shared(mutex)]
    balance: i64,
}

fn two_fields_sync(c: &mut Criterion) {
    let h = PairHandle::new_sync(Pair {
        c: 1,
        ..Pair::default()
    });
    let s = Arc::new(PairArc {
        c: StdRwLock::new(1),
        ..PairArc::default()
    });
    pair(
        c,
        "tx/sync/mutex+mutex",
        || {
            let h = black_box(&h);
            let (mut a, mut b) = lock_all((h.a().for_lock(), h.b().for_lock()));
            *a += 1;
            *b -= 1;
        },
        || {
            let s = black_box(&s);
            let mut a = s.a.lock().unwrap();
            let mut b = s.b.lock().unwrap();
            *a += 1;
            *b -= 1;
        },
    );
    // The same with the requests named in the other order: one of the two orders is against
    // the address order, so `lock_all` swaps them.
    pair(
        c,
        "tx/sync/mutex+mutex_reversed",
        || {
            let h = black_box(&h);
            let (mut b, mut a) = lock_all((h.b().for_lock(), h.a().for_lock()));
            *a += 1;
            *b -= 1;
        },
        || {
            let s = black_box(&s);
            let mut b = s.b.lock().unwrap();
            let mut a = s.a.lock().unwrap();
            *a += 1;
            *b -= 1;
        },
    );
    pair(
        c,
        "tx/sync/write+write",
        || {
            let h = black_box(&h);
            let (mut c, mut d) = lock_all((h.c().for_write(), h.d().for_write()));
            *c += 1;
            *d -= 1;
        },
        || {
            let s = black_box(&s);
            let mut c = s.c.write().unwrap();
            let mut d = s.d.write().unwrap();
            *c += 1;
            *d -= 1;
        },
    );
    pair(
        c,
        "tx/sync/read+write",
        || {
            let h = black_box(&h);
            let (c, mut d) = lock_all((h.c().for_read(), h.d().for_write()));
            *d += *c;
        },
        || {
            let s = black_box(&s);
            let c = s.c.read().unwrap();
            let mut d = s.d.write().unwrap();
            *d += *c;
        },
    );
    // One lock alone, for scale: what each of the two costs.
    pair(
        c,
        "tx/sync/one_mutex",
        || *black_box(&h).a().lock() += 1,
        || *black_box(&s).a.lock().unwrap() += 1,
    );
}

/// Two handles, one balance each: a transfer.
fn two_handles_sync(c: &mut Criterion) {
    let x = AccountHandle::new_sync(Account { balance: 0 });
    let y = AccountHandle::new_sync(Account { balance: 0 });
    let xs = Arc::new(StdMutex::new(0_i64));
    let ys = Arc::new(StdMutex::new(0_i64));
    let mut group = c.benchmark_group("tx/sync/two_handles");
    group.bench_function("sharecell", |b| {
        b.iter(|| {
            let (x, y) = black_box((&x, &y));
            let (mut from, mut to) = lock_all((x.balance().for_lock(), y.balance().for_lock()));
            *from -= 1;
            *to += 1;
        })
    });
    group.bench_function("std", |b| {
        b.iter(|| {
            let (x, y) = black_box((&xs, &ys));
            let mut from = x.lock().unwrap();
            let mut to = y.lock().unwrap();
            *from -= 1;
            *to += 1;
        })
    });
    // What a transfer between any two accounts needs by hand to be deadlock-free: one order
    // for everyone, here the address.
    group.bench_function("std_ordered", |b| {
        b.iter(|| {
            let (x, y) = black_box((&xs, &ys));
            let (mut from, mut to) = if Arc::as_ptr(x) < Arc::as_ptr(y) {
                let from = x.lock().unwrap();
                (from, y.lock().unwrap())
            } else {
                let to = y.lock().unwrap();
                (x.lock().unwrap(), to)
            };
            *from -= 1;
            *to += 1;
        })
    });
    group.finish();
}

fn two_fields_local(c: &mut Criterion) {
    let h = PairHandle::new_local(Pair {
        c: 1,
        ..Pair::default()
    });
    let s = Rc::new(PairRc {
        c: RefCell::new(1),
        ..PairRc::default()
    });
    pair(
        c,
        "tx/local/mutex+mutex",
        || {
            let h = black_box(&h);
            let (mut a, mut b) = lock_all((h.a().for_lock(), h.b().for_lock()));
            *a += 1;
            *b -= 1;
        },
        || {
            let s = black_box(&s);
            let mut a = s.a.borrow_mut();
            let mut b = s.b.borrow_mut();
            *a += 1;
            *b -= 1;
        },
    );
    pair(
        c,
        "tx/local/read+write",
        || {
            let h = black_box(&h);
            let (c, mut d) = lock_all((h.c().for_read(), h.d().for_write()));
            *d += *c;
        },
        || {
            let s = black_box(&s);
            let c = s.c.borrow();
            let mut d = s.d.borrow_mut();
            *d += *c;
        },
    );
}

/// What every account holds at the start.
const START: i64 = 1_000;

/// Each thread's random stream.
const SEEDS: [u64; 2] = [0x9e37_79b9_7f4a_7c15, 0xd1b5_4a32_d192_ed03];

/// A bank as the workload sees it: transfers between two different accounts.
trait Bank: Sync {
    /// Moves `amount` from `from` to `to` if the balance of `from` covers it.
    fn transfer(&self, from: usize, to: usize, amount: i64);
    /// The sum of all balances (it never changes).
    fn total(&self) -> i64;
    /// How many accounts.
    fn accounts(&self) -> usize;
}

impl Bank for Vec<AccountHandle<sharecell::SyncFlavor>> {
    #[inline]
    fn transfer(&self, from: usize, to: usize, amount: i64) {
        let (mut from, mut to) = lock_all((
            self[from].balance().for_lock(),
            self[to].balance().for_lock(),
        ));
        if *from >= amount {
            *from -= amount;
            *to += amount;
        }
    }
    fn total(&self) -> i64 {
        self.iter().map(|a| a.balance().get_cloned()).sum()
    }
    fn accounts(&self) -> usize {
        self.len()
    }
}

impl Bank for Vec<PaddedAccountHandle<sharecell::SyncFlavor>> {
    #[inline]
    fn transfer(&self, from: usize, to: usize, amount: i64) {
        let (mut from, mut to) = lock_all((
            self[from].balance().for_lock(),
            self[to].balance().for_lock(),
        ));
        if *from >= amount {
            *from -= amount;
            *to += amount;
        }
    }
    fn total(&self) -> i64 {
        self.iter().map(|a| a.balance().get_cloned()).sum()
    }
    fn accounts(&self) -> usize {
        self.len()
    }
}

/// One lock over every account.
impl Bank for StdMutex<Vec<i64>> {
    #[inline]
    fn transfer(&self, from: usize, to: usize, amount: i64) {
        let mut balances = self.lock().unwrap();
        if balances[from] >= amount {
            balances[from] -= amount;
            balances[to] += amount;
        }
    }
    fn total(&self) -> i64 {
        self.lock().unwrap().iter().sum()
    }
    fn accounts(&self) -> usize {
        self.lock().unwrap().len()
    }
}

/// A std mutex on a cache line of its own, as `#[shared(padded)]` stores a field.
#[repr(align(128))]
struct PaddedStdMutex(StdMutex<i64>);

/// Per-account std mutexes, padded, one `Arc` each like the padded handles; the lower index is
/// taken first (one order for everyone, so no deadlock).
impl Bank for Vec<Arc<PaddedStdMutex>> {
    #[inline]
    fn transfer(&self, from: usize, to: usize, amount: i64) {
        let (mut from, mut to) = if from < to {
            let from = self[from].0.lock().unwrap();
            (from, self[to].0.lock().unwrap())
        } else {
            let to = self[to].0.lock().unwrap();
            (self[from].0.lock().unwrap(), to)
        };
        if *from >= amount {
            *from -= amount;
            *to += amount;
        }
    }
    fn total(&self) -> i64 {
        self.iter().map(|a| *a.0.lock().unwrap()).sum()
    }
    fn accounts(&self) -> usize {
        self.len()
    }
}

/// xorshift64: a fixed, cheap random stream.
#[inline]
fn next(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

/// `rounds` random transfers between two different accounts of `accounts` (a power of two).
fn transfers(bank: &impl Bank, accounts: usize, seed: u64, rounds: u64) {
    let mask = accounts - 1;
    let mut rng = seed;
    for _ in 0..rounds {
        let r = next(&mut rng);
        let from = r as usize & mask;
        let mut to = (r >> 16) as usize & mask;
        if to == from {
            to = (to + 1) & mask;
        }
        let amount = (r >> 32) as i64 % 64 + 1;
        bank.transfer(from, to, amount);
    }
}

/// How often a disturbed run is repeated before its least disturbed attempt is kept.
const ATTEMPTS: usize = 5;

/// Nanoseconds this thread has spent runnable but waiting for a CPU (Linux schedstat; 0 where
/// unavailable). Other processes on the machine show up here, not in our code.
fn run_queue_wait() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1)?.parse().ok())
        .unwrap_or(0)
}

/// One thread's share of a run.
struct Run {
    start: Instant,
    end: Instant,
    waited: u64,
}

/// Waits, spinning, until both threads are here. A spinning start (rather than `Barrier`, whose
/// wake-up tends to put the woken thread on the waker's CPU) makes the scheduler give each
/// thread a core of its own before the clock starts.
fn start_together(arrived: &AtomicUsize) {
    arrived.fetch_add(1, SeqCst);
    while arrived.load(SeqCst) < 2 {
        std::hint::spin_loop();
    }
}

fn timed(arrived: &AtomicUsize, work: impl FnOnce()) -> Run {
    let before = run_queue_wait();
    start_together(arrived);
    let start = Instant::now();
    work();
    let end = Instant::now();
    let waited = run_queue_wait() - before;
    Run { start, end, waited }
}

/// Two threads, `rounds` transfers each, started together. Returns the time from the first
/// thread's start to the last thread's end (thread start-up is outside it) and the longer time
/// either thread waited for a CPU meanwhile.
fn two_threads(bank: &impl Bank, accounts: usize, rounds: u64) -> (Duration, u64) {
    let arrived = AtomicUsize::new(0);
    let [a, b] = thread::scope(|s| {
        SEEDS
            .map(|seed| {
                let arrived = &arrived;
                s.spawn(move || timed(arrived, || transfers(bank, accounts, seed, rounds)))
            })
            .map(|thread| thread.join().unwrap())
    });
    (
        a.end.max(b.end) - a.start.min(b.start),
        a.waited.max(b.waited),
    )
}

/// The question is what the transfers cost when each thread has a core, so a run in which a
/// thread waited for a CPU for more than 1% of it is repeated, up to `ATTEMPTS` times, and the
/// least disturbed attempt is kept. Such a run had a thread time-share a core: with another
/// process, or with the other thread (after a futex wake-up the scheduler may put both threads
/// on one core for tens of milliseconds; they then run one after the other). Returns the time
/// and whether it is still disturbed. Checks afterwards (untimed) that no money appeared or
/// vanished.
fn measure(
    bank: &impl Bank,
    accounts: usize,
    rounds: u64,
    attempts: &mut Attempts,
) -> (Duration, bool) {
    let total = bank.total();
    let mut best = (u64::MAX, Duration::ZERO);
    let mut result = None;
    for _ in 0..ATTEMPTS {
        let (wall, waited) = two_threads(bank, accounts, rounds);
        let stacked = u128::from(waited) * 100 > wall.as_nanos();
        attempts.record(wall, rounds, stacked);
        if !stacked {
            result = Some((wall, false));
            break;
        }
        best = best.min((waited, wall));
    }
    assert_eq!(bank.total(), total, "a transfer lost or made money");
    result.unwrap_or((best.1, true))
}

/// Every timed run of one benchmark (retries included, warm-up's short runs left out), by
/// whether each thread had a core to itself: ns per round.
#[derive(Default)]
struct Attempts {
    own_core: Vec<f64>,
    shared_core: Vec<f64>,
}

impl Attempts {
    fn record(&mut self, wall: Duration, rounds: u64, stacked: bool) {
        if rounds < 10_000 {
            return;
        }
        let ns = wall.as_nanos() as f64 / rounds as f64;
        if stacked {
            self.shared_core.push(ns);
        } else {
            self.own_core.push(ns);
        }
    }

    fn summary(runs: &mut [f64]) -> String {
        runs.sort_by(f64::total_cmp);
        match runs.len() {
            0 => "none".to_owned(),
            n => format!("{n}, median {:.1} ns/round", runs[n / 2]),
        }
    }
}

/// One benchmark of a bank group. Criterion gets the least disturbed attempt of each sample;
/// stderr gets every attempt, split by whether the threads ran on a core each or took turns
/// on one, with the median of each (the two regimes differ by up to 6x).
fn bench_bank(group: &mut BenchmarkGroup<'_, WallTime>, id: &str, name: &str, bank: &impl Bank) {
    let accounts = bank.accounts();
    let (mut samples, mut disturbed) = (0, 0);
    let mut attempts = Attempts::default();
    group.bench_function(name, |b| {
        b.iter_custom(|rounds| {
            let (time, still_disturbed) = measure(bank, accounts, rounds, &mut attempts);
            samples += 1;
            disturbed += usize::from(still_disturbed);
            time
        });
    });
    if samples > 0 {
        eprintln!(
            "{id}/{name}: {disturbed} of {samples} samples kept a run in which a thread waited \
             >1% for a CPU; runs with a core per thread: {}; runs sharing a core: {}",
            Attempts::summary(&mut attempts.own_core),
            Attempts::summary(&mut attempts.shared_core),
        );
    }
}

/// The same transfers on one thread: the cost of a transfer with nobody in the way.
fn bench_bank_alone(group: &mut BenchmarkGroup<'_, WallTime>, name: &str, bank: &impl Bank) {
    let accounts = bank.accounts();
    group.bench_function(name, |b| {
        b.iter_custom(|rounds| {
            let start = Instant::now();
            transfers(bank, accounts, SEEDS[0], rounds);
            start.elapsed()
        });
    });
}

/// Every bank of `accounts` accounts, each starting at `START`.
struct Banks {
    handles: Vec<AccountHandle<sharecell::SyncFlavor>>,
    padded: Vec<PaddedAccountHandle<sharecell::SyncFlavor>>,
    global: StdMutex<Vec<i64>>,
    per_account: Vec<Arc<PaddedStdMutex>>,
}

fn banks(accounts: usize) -> Banks {
    assert!(accounts.is_power_of_two() && accounts >= 2);
    Banks {
        handles: (0..accounts)
            .map(|_| AccountHandle::new_sync(Account { balance: START }))
            .collect(),
        padded: (0..accounts)
            .map(|_| PaddedAccountHandle::new_sync(PaddedAccount { balance: START }))
            .collect(),
        global: StdMutex::new(vec![START; accounts]),
        per_account: (0..accounts)
            .map(|_| Arc::new(PaddedStdMutex(StdMutex::new(START))))
            .collect(),
    }
}

/// Large batches: every sample runs the same (large) number of rounds, so the barrier's
/// release and the threads' start are a negligible part of it.
fn bank_group<'a>(c: &'a mut Criterion, name: &str) -> BenchmarkGroup<'a, WallTime> {
    let mut group = c.benchmark_group(name);
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(50)
        .measurement_time(Duration::from_secs(3));
    group
}

fn bank(c: &mut Criterion) {
    for accounts in [64, 4] {
        let banks = banks(accounts);
        let id = format!("bank/two_threads/{accounts}_accounts");
        let mut group = bank_group(c, &id);
        bench_bank(&mut group, &id, "lock_all", &banks.handles);
        bench_bank(&mut group, &id, "lock_all_padded", &banks.padded);
        bench_bank(
            &mut group,
            &id,
            "std_per_account_padded",
            &banks.per_account,
        );
        bench_bank(&mut group, &id, "std_global", &banks.global);
        group.finish();
    }
    let banks = banks(64);
    let mut group = bank_group(c, "bank/one_thread/64_accounts");
    bench_bank_alone(&mut group, "lock_all", &banks.handles);
    bench_bank_alone(&mut group, "lock_all_padded", &banks.padded);
    bench_bank_alone(&mut group, "std_per_account_padded", &banks.per_account);
    bench_bank_alone(&mut group, "std_global", &banks.global);
    group.finish();
}

criterion_group! {
    name = benches;
    config = support::config();
    targets = two_fields_sync, two_handles_sync, two_fields_local, bank
}
criterion_main!(benches);
