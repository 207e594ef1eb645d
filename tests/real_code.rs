//! Ordinary Rust that the derive must accept: shapes met when porting real code (a connection
//! pool, a doubly linked list, a DOM tree), each checked end to end.

mod visibility {
    //! Field types less visible than the struct: the handle keeps the struct's visibility and
    //! each accessor the field's, and no private type ends up in a public signature.
    pub mod pool {
        use sharecell::Shared;

        /// Private to this module.
        #[derive(Clone, Debug, Default, PartialEq)]
        struct Backoff {
            millis: u32,
        }

        /// Crate-visible, used by a `pub` struct's `pub(crate)` field.
        #[derive(Clone, Debug, PartialEq)]
        pub(crate) struct Limits {
            pub(crate) max: u32,
        }

        #[derive(Shared)]
        pub(crate) struct Conn {
            backoff: Backoff,
            pub(crate) retries: u32,
        }

        #[derive(Shared)]
        pub struct Pool {
            pub(crate) limits: Limits,
            pub size: u32,
        }

        pub(crate) fn conn() -> ConnHandle<sharecell::LocalFlavor> {
            let conn = ConnHandle::new_local(Conn {
                backoff: Backoff { millis: 10 },
                retries: 0,
            });
            conn.backoff().with_mut(|b| b.millis *= 2);
            conn
        }

        pub(crate) fn backoff_millis(conn: &ConnHandle<sharecell::LocalFlavor>) -> u32 {
            conn.backoff().read().millis
        }

        pub fn pool() -> PoolHandle<sharecell::SyncFlavor> {
            PoolHandle::new_sync(Pool {
                limits: Limits { max: 4 },
                size: 1,
            })
        }
    }

    #[test]
    fn private_field_types_derive_and_work() {
        use sharecell::Shared;
        let conn = pool::conn();
        conn.retries().fetch_add(1);
        assert_eq!(pool::backoff_millis(&conn), 20);
        let copy = pool::ConnHandle::snapshot(&conn);
        assert_eq!(copy.retries, 1);
        assert!(format!("{conn:?}").contains("millis: 20"));

        let pool = pool::pool();
        assert_eq!(pool.limits().read().max, 4);
        assert_eq!(pool.size().get(), 1);
        let data = pool::PoolHandle::into_inner(pool).expect("the only handle");
        assert_eq!(data.limits, pool::Limits { max: 4 });
    }
}

mod recursion {
    //! Handles that reach themselves through other types, aliases and tuples: the derive sees
    //! only tokens, so these are the shapes where it cannot tell a handle by its name alone.
    use sharecell::{Flavor, Shared};

    // Two handle types that point at each other, without and with `flavor = F`.
    #[derive(Shared, Clone, Debug)]
    pub struct Block {
        pub stmts: Vec<StmtHandle>,
    }

    #[derive(Shared, Clone, Debug)]
    pub struct Stmt {
        pub text: String,
        pub nested: Option<BlockHandle>,
    }

    #[derive(Shared)]
    #[shared(handle = Scope, flavor = F)]
    pub struct ScopeData<F: Flavor = sharecell::DefaultFlavor> {
        pub names: Vec<String>,
        pub items: Vec<Item<F>>,
    }

    #[derive(Shared)]
    #[shared(handle = Item, flavor = F)]
    pub struct ItemData<F: Flavor = sharecell::DefaultFlavor> {
        pub name: String,
        pub body: Option<Scope<F>>,
    }

    // A link written through a type alias.
    pub type Link<T, F> = Option<NodeRef<T, F>>;

    #[derive(Shared)]
    #[shared(handle = NodeRef, flavor = F)]
    pub struct NodeData<T, F: Flavor = sharecell::DefaultFlavor> {
        pub value: T,
        pub next: Link<T, F>,
    }

    /// Neither `Debug` nor `Clone`.
    pub struct Label(pub &'static str);

    // A recursive field inside a tuple with a part that is neither `Debug` nor `Clone`: the
    // struct derives, without `Debug` and `snapshot`.
    #[derive(Shared)]
    pub struct Tagged {
        pub id: u32,
        pub edges: Vec<(TaggedHandle, Label)>,
    }

    fn block_with_one_stmt() -> (BlockHandle, StmtHandle) {
        let stmt = StmtHandle::new(Stmt {
            text: "x = 1".to_owned(),
            nested: None,
        });
        let block = BlockHandle::new(Block {
            stmts: vec![stmt.clone()],
        });
        (block, stmt)
    }

    #[test]
    fn handles_pointing_at_each_other_debug_snapshot_and_unwrap() {
        let (block, stmt) = block_with_one_stmt();
        assert_eq!(
            format!("{block:?}"),
            r#"BlockHandle { stmts: [StmtHandle { text: "x = 1", nested: None }] }"#
        );
        // A cycle through both types prints without hanging.
        stmt.nested().set(Some(block.clone()));
        assert_eq!(
            format!("{block:?}"),
            r#"BlockHandle { stmts: [StmtHandle { text: "x = 1", nested: Some(BlockHandle { .. }) }] }"#
        );
        let copy = BlockHandle::snapshot(&block);
        assert_eq!(copy.stmts.len(), 1);
        stmt.nested().set(None);
        drop(copy);
        let data = BlockHandle::try_unwrap(block)
            .map_err(|_| ())
            .expect("one handle");
        assert!(StmtHandle::ptr_eq(&data.stmts[0], &stmt));
    }

    fn scopes<F: Flavor>() {
        let scope = Scope::<F>::from(ScopeData {
            names: vec!["main".to_owned()],
            items: Vec::new(),
        });
        let item = Item::<F>::from(ItemData {
            name: "main".to_owned(),
            body: Some(scope.clone()),
        });
        scope.items().with_mut(|items| items.push(item.clone()));
        assert_eq!(
            format!("{item:?}"),
            r#"Item { name: "main", body: Some(Scope { names: ["main"], items: [Item { .. }] }) }"#
        );
        let copy = Item::snapshot(&item);
        assert_eq!(copy.name, "main");
        scope.items().set(Vec::new());
        let data = Item::try_unwrap(item).map_err(|_| ()).expect("one handle");
        assert!(data.body.is_some());
    }

    #[test]
    fn handles_pointing_at_each_other_with_their_own_flavour() {
        scopes::<sharecell::LocalFlavor>();
        scopes::<sharecell::SyncFlavor>();
    }

    #[test]
    fn links_through_a_type_alias() {
        let tail = NodeRef::<u8, sharecell::SyncFlavor>::from(NodeData {
            value: 2,
            next: None,
        });
        let head = NodeRef::from(NodeData {
            value: 1,
            next: Some(tail),
        });
        assert_eq!(
            format!("{head:?}"),
            "NodeRef { value: 1, next: Some(NodeRef { value: 2, next: None }) }"
        );
        assert_eq!(NodeRef::snapshot(&head).value, 1);
        let data = NodeRef::into_inner(head).expect("one handle");
        assert_eq!(data.next.map(|n| n.value().get_cloned()), Some(2));
    }

    #[test]
    fn recursive_tuple_with_a_plain_part_derives_without_debug() {
        let leaf = TaggedHandle::new(Tagged {
            id: 2,
            edges: Vec::new(),
        });
        let root = TaggedHandle::new(Tagged {
            id: 1,
            edges: vec![(leaf.clone(), Label("child"))],
        });
        let labels: Vec<&str> = root.edges().read().iter().map(|(_, l)| l.0).collect();
        assert_eq!(labels, ["child"]);
        let data = TaggedHandle::try_unwrap(root)
            .map_err(|_| ())
            .expect("one handle");
        assert!(TaggedHandle::ptr_eq(&data.edges[0].0, &leaf));
    }
}

mod own_impls {
    //! `no_debug` and `no_default`: the user writes the handle's `Debug` and `Default`.
    use std::fmt;

    use sharecell::{Flavor, Shared};

    #[derive(Shared)]
    #[shared(no_debug, no_default)]
    pub struct Secret {
        pub user: String,
        pub token: String,
    }

    impl<F: Flavor> fmt::Debug for SecretHandle<F> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.debug_struct("Secret")
                .field("user", self.user())
                .finish_non_exhaustive()
        }
    }

    impl<F: Flavor> Default for SecretHandle<F> {
        fn default() -> Self {
            Self::from(Secret {
                user: "guest".to_owned(),
                token: String::new(),
            })
        }
    }

    #[test]
    fn users_write_their_own_debug_and_default() {
        let s = SecretHandle::<sharecell::LocalFlavor>::default();
        assert_eq!(format!("{s:?}"), r#"Secret { user: "guest", .. }"#);
    }
}

mod raw_identifiers {
    use sharecell::Shared;

    #[derive(Shared)]
    pub struct r#Token {
        pub r#type: String,
        pub r#match: u8,
    }

    #[derive(Shared)]
    #[shared(handle = r#Link, flavor = r#F)]
    pub struct LinkData<F: sharecell::Flavor = sharecell::DefaultFlavor> {
        pub next: Option<r#Link<F>>,
    }

    #[test]
    fn raw_names_in_attributes() {
        let tail = Link::<sharecell::LocalFlavor>::from(LinkData { next: None });
        let head = Link::from(LinkData { next: Some(tail) });
        assert!(head.next().read().is_some());
    }

    #[test]
    fn debug_prints_raw_identifiers_as_std_does() {
        let t = TokenHandle::new_local(r#Token {
            r#type: "kw".to_owned(),
            r#match: 1,
        });
        assert_eq!(t.r#type().get_cloned(), "kw");
        assert_eq!(format!("{t:?}"), r#"TokenHandle { type: "kw", match: 1 }"#);
    }
}

mod internal_names {
    //! Names the expansion uses internally can also be the user's.
    use sharecell::Shared;

    #[derive(Shared)]
    pub struct Borrowed<'__sharecell> {
        pub name: &'__sharecell str,
    }

    #[test]
    fn a_lifetime_named_like_the_internal_one() {
        let text = String::from("ada");
        let h = BorrowedHandle::new_local(Borrowed { name: &text });
        assert_eq!(*h.name().read(), "ada");
        assert_eq!(BorrowedHandle::snapshot(&h).name, "ada");
        assert!(format!("{h:?}").contains("ada"));
    }
}

mod deprecation {
    //! A deprecated struct or field: the expansion itself raises no warning (this module denies
    //! them), the user's own uses still do (`tests/ui/use/deprecated_field_accessor.rs`).
    #![deny(warnings)]
    #![allow(deprecated)] // for the test's own uses below; the derive must not need it

    mod defs {
        #![deny(deprecated)]
        use sharecell::Shared;

        #[deprecated(note = "use Config2")]
        #[derive(Shared)]
        pub struct Config {
            pub verbose: bool,
        }

        #[derive(Shared, Clone, Default, Debug)]
        pub struct Settings {
            #[deprecated(note = "use `level`")]
            pub verbose: bool,
            pub level: u8,
        }
    }

    #[test]
    fn deprecated_items_derive_without_warnings() {
        use sharecell::Shared;
        let c = defs::ConfigHandle::new_local(defs::Config { verbose: true });
        assert!(c.verbose().get());
        let s = defs::SettingsHandle::new_local(defs::Settings::default());
        assert!(!s.verbose().get());
        assert_eq!(defs::SettingsHandle::snapshot(&s).level, 0);
    }
}

mod not_handles {
    //! Types the derive must not mistake for handles: a std `JoinHandle` (neither `Clone` nor a
    //! sharecell handle) and sharecell's own cells under `flavor = F`.
    use sharecell::{Flavor, RwLock, Shared};

    #[derive(Shared)]
    pub struct Worker {
        pub name: String,
        pub thread: Option<std::thread::JoinHandle<()>>,
    }

    #[derive(Shared)]
    #[shared(flavor = F)]
    pub struct Table<F: Flavor = sharecell::DefaultFlavor> {
        pub rows: Vec<RwLock<u32, F>>,
    }

    #[test]
    fn a_join_handle_field_derives_and_debugs() {
        let worker = WorkerHandle::new_sync(Worker {
            name: "w".into(),
            thread: Some(std::thread::spawn(|| {})),
        });
        assert!(format!("{worker:?}").starts_with("WorkerHandle { name: \"w\", thread: Some("));
        let thread = worker.thread().write().take();
        thread.expect("set above").join().expect("the thread ends");
    }

    #[test]
    fn cells_under_the_flavour_parameter_derive_and_debug() {
        let table = TableHandle::<sharecell::LocalFlavor>::from(Table {
            rows: vec![RwLock::new(1), RwLock::new(2)],
        });
        assert_eq!(format!("{table:?}"), "TableHandle { rows: [1, 2] }");
        assert_eq!(table.rows().read()[1].get_cloned(), 2);
    }
}
