use sharecell::{lock_all, Shared};

#[derive(Shared)]
struct Account {
    #[shared(mutex)]
    balance: i64,        // changed with the log: Mutexes (RefCell / Mutex), taken together
    #[shared(mutex)]
    log: Vec<String>,
    owner: String,       // other types: an RwLock (RefCell / RwLock)
    visits: u64,         // scalars: an Atom (Cell / atomic)
    #[shared(readonly)]
    id: u64,             // never changes: a plain &u64
}

fn main() {
    let account = AccountHandle::new_local(Account { balance: 100, log: vec![], owner: "ada".into(), visits: 0, id: 7 });
    let teller = account.clone(); // an Arc clone
    std::thread::spawn(move || {
        teller.visits().fetch_add(1);
        let (mut balance, mut log) = lock_all((teller.balance().for_lock(), teller.log().for_lock()));
        *balance -= 30; // no thread sees the new balance without its log line
        log.push("withdrew 30".into());
    }).join().unwrap();
    println!("{account:?}"); // AccountHandle { balance: 70, log: ["withdrew 30"], owner: "ada", visits: 1, id: 7 }
}

// The README's 20-line example with `new_local`, line for line: the README quotes this error
// (tests/readme_error.rs checks both).
