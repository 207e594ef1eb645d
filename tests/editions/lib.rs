// The same derive usage, compiled by one crate per edition (each `src/lib.rs` includes this file).

/// A bank account.
#[derive(Shared, Clone, Default)]
pub struct Account {
    /// Account number.
    pub id: u64,
    /// Owner.
    pub owner: String,
    /// Audit log.
    #[shared(mutex)]
    pub log: Vec<String>,
    /// When it was opened.
    #[shared(readonly)]
    pub opened: u64,
}

/// A graph node with its own flavour parameter.
#[derive(Shared)]
#[shared(handle = Node, flavor = F)]
pub struct NodeData<T, F: Flavor = DefaultFlavor> {
    /// Value.
    pub value: T,
    /// Edges.
    pub adjacent: Vec<Node<T, F>>,
}

/// A module that reaches the library through a re-export given by a path relative to it, which
/// a `use` in edition 2015 would read from the crate root instead.
pub mod relative {
    /// The library, re-exported.
    pub mod reexp {
        pub(crate) use sharecell as sc;
    }
    use self::reexp::sc::Shared;

    /// Derived through `crate = reexp::sc`, relative to this module.
    #[derive(Shared)]
    #[shared(crate = reexp::sc)]
    pub struct Setting {
        /// Value.
        pub value: u8,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sharecell::LocalFlavor;

    #[test]
    fn derive_works_in_this_edition() {
        let a = AccountHandle::new_sync(Account { id: 1, opened: 2, ..Account::default() });
        a.id().fetch_add(1);
        a.log().lock().push("x".to_owned());
        let copy = AccountHandle::snapshot(&a);
        assert_eq!((copy.id, copy.log.len(), copy.opened), (2, 1, 2));
        let n = Node::<u8, LocalFlavor>::new_local(NodeData { value: 1, adjacent: Vec::new() });
        n.adjacent().write().push(n.clone());
        assert_eq!(Node::strong_count(&n), 2);
        drop(n.adjacent().take());
        assert_eq!(Node::strong_count(&n), 1);
        let setting = relative::SettingHandle::new_local(relative::Setting { value: 3 });
        assert_eq!(setting.value().get(), 3);
        let weak: relative::WeakSettingHandle<LocalFlavor> =
            relative::SettingHandle::downgrade(&setting);
        assert!(weak.upgrade().is_some());
    }

    /// The weak handle is imported next to the derive's output (an edition-2015 `use` would
    /// start at the crate root): found in a function body too.
    #[test]
    fn derive_in_a_function_body() {
        #[derive(Shared)]
        #[shared(weak = WeakCounter)]
        struct Counter {
            hits: u32,
        }
        let c = CounterHandle::<LocalFlavor>::new_local(Counter { hits: 4 });
        let weak: WeakCounter<LocalFlavor> = CounterHandle::downgrade(&c);
        let default_name: Option<WeakCounter> = None;
        assert!(default_name.is_none());
        assert_eq!(weak.upgrade().map(|c| c.hits().get()), Some(4));
    }
}
