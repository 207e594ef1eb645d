use sharecell::Shared;

/// A bank account.
#[derive(Shared, Default, Clone)]
pub struct Account {
    /// Account number.
    pub id: u64,
    pub(crate) owner: String,
    #[shared(mutex)]
    log: Vec<String>,
    #[shared(readonly)]
    pub opened: u64,
}

fn main() {
    let a = AccountHandle::new(Account { id: 1, owner: "x".into(), log: vec![], opened: 3 });
    a.id().fetch_add(1);
    a.log().lock().push("hi".into());
    println!("{a:?} {:?}", AccountHandle::snapshot(&a).id);
    let w = AccountHandle::downgrade(&a);
    let w2: WeakAccountHandle = WeakAccountHandle::new();
    println!("{w:?} {}", w.upgrade().is_some() && w2.upgrade().is_none());
}
