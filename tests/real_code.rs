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

        pub(crate) fn conn() -> ConnHandle<sharecell::Local> {
            let conn = ConnHandle::new_local(Conn {
                backoff: Backoff { millis: 10 },
                retries: 0,
            });
            conn.backoff().with_mut(|b| b.millis *= 2);
            conn
        }

        pub(crate) fn backoff_millis(conn: &ConnHandle<sharecell::Local>) -> u32 {
            conn.backoff().read().millis
        }

        pub fn pool() -> PoolHandle<sharecell::Sync> {
            PoolHandle::new_sync(Pool {
                limits: Limits { max: 4 },
                size: 1,
            })
        }
    }

    #[test]
    fn private_field_types_derive_and_work() {
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
