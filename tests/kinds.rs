//! The `swap` (read-mostly) and `once` (set once) storage kinds, in both flavours.

#[macro_use]
mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Barrier;
use std::thread;

use sharecell::{Flavor, Shared, SyncFlavor};

#[derive(Clone, Debug, Default, PartialEq)]
struct Routes {
    paths: Vec<String>,
}

#[derive(Shared)]
struct Server {
    #[shared(swap)]
    routes: Routes,
    #[shared(once)]
    started: Option<u64>,
    #[shared(once, padded)]
    digest: Option<String>,
    hits: u64,
}

fn server<F: Flavor>() -> ServerHandle<F> {
    ServerHandle::from(Server {
        routes: Routes {
            paths: vec!["/".into()],
        },
        started: Some(7),
        digest: None,
        hits: 0,
    })
}

fn swap_reads_writes_and_rcu<F: Flavor>() {
    let s = server::<F>();
    let kept = s.routes().load_full();
    assert_eq!(s.routes().load().paths, ["/"]);
    s.routes().store(Routes {
        paths: vec!["/a".into()],
    });
    assert_eq!(kept.paths, ["/"], "a loaded pointer keeps the old value");
    let previous = s.routes().swap(Routes::default());
    assert_eq!(previous.paths, ["/a"]);
    let before_rcu = s.routes().rcu(|r| {
        let mut r = r.clone();
        r.paths.push("/b".into());
        r
    });
    assert!(before_rcu.paths.is_empty());
    assert_eq!(s.routes().load().paths, ["/b"]);
    assert_eq!(format!("{:?}", s.routes()), r#"Routes { paths: ["/b"] }"#);
}

fn once_set_get_and_init<F: Flavor>() {
    let s = server::<F>();
    assert_eq!(s.started().get(), Some(&7), "initialised from `Some`");
    assert_eq!(s.started().set(8), Err(8));
    assert_eq!(s.digest().get(), None);
    assert_eq!(s.digest().get_or_init(|| "abc".into()), "abc");
    assert_eq!(
        s.digest().get_or_init(|| unreachable!("set already")),
        "abc"
    );
    assert_eq!(s.digest().set("x".into()), Err("x".into()));
    assert_eq!(format!("{:?}", s.started()), "Some(7)");
}

fn snapshot_debug_and_unwrap_see_the_declared_types<F: Flavor>() {
    let s = server::<F>();
    let copy = ServerHandle::snapshot(&s);
    assert_eq!(
        (copy.routes.paths, copy.started, copy.digest),
        (vec!["/".to_owned()], Some(7), None)
    );
    assert_eq!(
        format!("{s:?}"),
        r#"ServerHandle { routes: Routes { paths: ["/"] }, started: Some(7), digest: None, hits: 0 }"#
    );
    // A reader still holds the routes: unwrapping the handle clones them for the data.
    let held = s.routes().load_full();
    let data = ServerHandle::try_unwrap(s)
        .map_err(|_| ())
        .expect("the only handle");
    assert_eq!(data.routes, *held);
    assert_eq!(data.started, Some(7));
}

for_both_flavors!(
    swap_reads_writes_and_rcu,
    once_set_get_and_init,
    snapshot_debug_and_unwrap_see_the_declared_types,
);

/// Four threads race `set`: exactly one wins, and everyone sees its value.
#[test]
fn four_threads_racing_set_one_wins() {
    let s = server::<SyncFlavor>();
    let wins = AtomicUsize::new(0);
    let start = Barrier::new(4);
    thread::scope(|scope| {
        for t in 0..4 {
            let (s, wins, start) = (&s, &wins, &start);
            scope.spawn(move || {
                start.wait();
                if s.digest().set(format!("thread {t}")).is_ok() {
                    wins.fetch_add(1, Ordering::Relaxed);
                }
                assert!(s.digest().get().is_some());
            });
        }
    });
    assert_eq!(wins.load(Ordering::Relaxed), 1);
}

/// `rcu` from several threads loses no update, while readers load without blocking.
#[test]
fn rcu_on_several_threads_loses_no_update() {
    let s = server::<SyncFlavor>();
    let rounds = common::iterations(500);
    thread::scope(|scope| {
        for t in 0..2 {
            let s = &s;
            scope.spawn(move || {
                for i in 0..rounds {
                    s.routes().rcu(|r| {
                        let mut r = r.clone();
                        r.paths.push(format!("{t}/{i}"));
                        r
                    });
                }
            });
        }
        scope.spawn(|| {
            for _ in 0..rounds {
                assert!(!s.routes().load().paths.is_empty());
            }
        });
    });
    assert_eq!(s.routes().load().paths.len(), 1 + 2 * rounds);
}
