//! The 1.0 API in use: a glob import that leaves the prelude alone, std's derives on types
//! generic over the flavour, identity (`as_ptr`, `ById`), weak counts, `Mutex::with` and
//! `ReadGuard::map`.

#[macro_use]
mod common;

mod glob {
    //! `use sharecell::*` brings in no name of the std prelude: `Send`, `Sync`, `Clone`, ...
    //! still mean std's here.
    #![allow(dead_code)]
    use sharecell::*;

    fn prelude_traits<
        T: Send + Sync + Sized + Unpin + Copy + Clone + Default + PartialEq + Eq + PartialOrd + Ord,
    >() {
    }

    fn prelude_more<T: Into<u64> + From<u8> + AsRef<[u8]> + ToOwned + ToString + IntoIterator>() {}

    #[derive(Shared, Clone, Default, Debug, PartialEq)]
    struct Point {
        x: i32,
        label: String,
    }

    #[test]
    fn the_prelude_still_means_std() {
        prelude_traits::<u8>();
        let v: Vec<String> = Vec::new();
        let o: Option<Box<u8>> = None;
        let r: Result<u8, String> = Ok(1);
        drop((v, o, r));
        let p = PointHandle::<SyncFlavor>::new_sync(Point::default());
        std::thread::scope(|s| {
            s.spawn(|| p.x().set(1));
        });
        assert_eq!(p.x().get(), 1);
    }
}

mod flavour_markers {
    use std::collections::HashSet;
    use std::marker::PhantomData;

    use sharecell::{Flavor, LocalFlavor, SyncFlavor};

    /// std's derives on a type generic over the flavour need nothing hand-written.
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
    struct Tag<F: Flavor> {
        id: u32,
        flavour: PhantomData<F>,
    }

    #[derive(Clone, Debug, PartialEq, Eq, Hash)]
    enum Tree<F: Flavor> {
        Leaf(Tag<F>),
        Node(Vec<Tree<F>>),
    }

    #[test]
    fn std_derives_work_on_types_generic_over_the_flavour() {
        let tag = Tag::<SyncFlavor>::default();
        let tree = Tree::Node(vec![Tree::Leaf(tag), Tree::Leaf(Tag { id: 1, ..tag })]);
        let mut set = HashSet::new();
        assert!(set.insert(tree.clone()));
        assert!(!set.insert(tree));
        assert_eq!(format!("{:?}", LocalFlavor::default()), "LocalFlavor");
        assert_eq!(format!("{:?}", SyncFlavor::default()), "SyncFlavor");
        assert!(
            Tag::<LocalFlavor>::default()
                < Tag {
                    id: 1,
                    ..Default::default()
                }
        );
    }
}

mod identity {
    use std::collections::{BTreeSet, HashMap};

    use sharecell::{ById, Flavor, Handle, Shared};

    #[derive(Shared)]
    struct Job {
        name: String,
    }

    fn ids_and_weak_counts<F: Flavor>() {
        let a = JobHandle::<F>::from(Job { name: "a".into() });
        let twin = JobHandle::<F>::from(Job { name: "a".into() });
        assert_eq!(JobHandle::as_ptr(&a), JobHandle::as_ptr(&a.clone()));
        assert_ne!(JobHandle::as_ptr(&a), JobHandle::as_ptr(&twin));
        assert_eq!(<JobHandle<F> as Handle>::as_ptr(&a), JobHandle::as_ptr(&a));

        let mut runs: HashMap<ById<JobHandle<F>>, u32> = HashMap::new();
        *runs.entry(ById(a.clone())).or_default() += 1;
        *runs.entry(ById(a.clone())).or_default() += 1;
        *runs.entry(ById(twin.clone())).or_default() += 1;
        assert_eq!(runs[&ById(a.clone())], 2);
        assert_eq!(runs.len(), 2);
        let ordered: BTreeSet<_> = [ById(a.clone()), ById(twin.clone()), ById(a.clone())].into();
        assert_eq!(ordered.len(), 2);
        assert_eq!(
            ById(a.clone()).name().get_cloned(),
            "a",
            "derefs to the handle"
        );

        drop(runs);
        drop(ordered);
        let weak = JobHandle::downgrade(&a);
        let weak2 = weak.clone();
        assert_eq!((weak.weak_count(), weak.strong_count()), (2, 1));
        drop(a);
        assert_eq!((weak2.weak_count(), weak2.strong_count()), (0, 0));
        assert_eq!(sharecell::WeakHandle::<JobHandle<F>>::new().weak_count(), 0);
    }

    for_both_flavors!(ids_and_weak_counts);
}

mod guards {
    use sharecell::{Flavor, MappedReadGuard, Mutex, ReadGuard, RwLock};

    fn mutex_with_and_mapped_read_guards<F: Flavor>() {
        let log = Mutex::<Vec<String>, F>::new(vec!["a".into()]);
        assert_eq!(log.with(Vec::len), 1);

        let name = RwLock::<String, F>::new("ada lovelace".into());
        let first: MappedReadGuard<'_, String, str, F> =
            ReadGuard::map(name.read(), |n| n.split(' ').next().unwrap_or(""));
        assert_eq!(&*first, "ada");
        assert_eq!(format!("{first} / {first:?}"), "ada / \"ada\"");
        assert!(name.try_write().is_err(), "the mapped guard holds the lock");
        drop(first);
        name.write().push('!');
        let bytes = ReadGuard::map(name.read(), String::as_bytes);
        assert_eq!(bytes.last(), Some(&b'!'));
    }

    for_both_flavors!(mutex_with_and_mapped_read_guards);

    #[test]
    fn a_mapped_sync_read_guard_is_shared_with_scoped_threads() {
        let name = RwLock::<String, sharecell::SyncFlavor>::new("ada".into());
        let guard = ReadGuard::map(name.read(), String::as_str);
        std::thread::scope(|s| {
            s.spawn(|| assert_eq!(&*guard, "ada"));
        });
    }
}
