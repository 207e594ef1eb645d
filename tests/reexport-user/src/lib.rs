//! Derives through `crate::deps::cells` with `#[shared(crate = ...)]`. This crate depends on
//! the library only under another name (`framework`), so if the expansion named `::sharecell`
//! anywhere, it would not compile.

/// The library, reached only through a re-export.
mod deps {
    pub use framework as cells;
}

use crate::deps::cells::{self, Flavor, Shared};

/// A setting shared across the app.
#[derive(Shared, Debug, Clone, Default)]
#[shared(crate = cells)]
pub struct Settings {
    /// Verbosity.
    pub verbose: bool,
    /// Name.
    pub name: String,
    /// Log, behind a mutex.
    #[shared(mutex, padded)]
    pub log: Vec<String>,
}

/// A recursive type with its own flavour parameter, through the re-export.
#[derive(Shared)]
#[shared(crate = crate::deps::cells, handle = Node, flavor = F)]
pub struct NodeData<F: Flavor = cells::DefaultFlavor> {
    /// Value.
    pub value: i32,
    /// Edges.
    pub adjacent: Vec<Node<F>>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deps::cells::{LocalFlavor, SyncFlavor};

    #[test]
    fn derive_through_a_reexport_only() {
        let s = SettingsHandle::<SyncFlavor>::new_sync(Settings::default());
        s.verbose().set(true);
        s.log().lock().push("on".to_owned());
        let copy = SettingsHandle::snapshot(&s);
        assert!(copy.verbose);
        assert_eq!(copy.log, ["on"]);
        assert_eq!(
            format!("{s:?}"),
            r#"SettingsHandle { verbose: true, name: "", log: ["on"] }"#
        );
        let weak = SettingsHandle::downgrade(&s);
        assert!(weak.upgrade().is_some());

        let n = Node::<LocalFlavor>::new_local(NodeData {
            value: 1,
            adjacent: Vec::new(),
        });
        n.adjacent().write().push(Node::new_local(NodeData {
            value: 2,
            adjacent: Vec::new(),
        }));
        assert_eq!(n.adjacent().with(|a| a[0].value().get()), 2);
    }
}
