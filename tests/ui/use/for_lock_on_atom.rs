use sharecell::{lock_all, Shared};

#[derive(Shared)]
struct Account {
    balance: i64,
    #[shared(mutex)]
    log: Vec<String>,
}

fn withdraw(account: &AccountHandle, amount: i64) {
    let (mut balance, mut log) = lock_all((account.balance().for_lock(), account.log().for_lock()));
    *balance -= amount;
    log.push(format!("withdrew {amount}"));
}

fn main() {}
