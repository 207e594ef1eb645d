//! What the generator draws from: `#[shared(...)]` entries that the derive must accept, entries
//! it must reject, and names. Each good entry says what it means, so the case knows its effect.

/// The meaning of one `#[shared(...)]` entry.
#[derive(Clone, Copy)]
pub(super) enum Key {
    Handle(&'static str),
    Weak(&'static str),
    /// `true` when the path moves the runtime away from `sharecell`.
    Crate(bool),
    Flavor(&'static str),
    Padded,
    /// `atomic`, `rwlock`, `mutex` or `readonly`.
    Storage,
    /// The new accessor name, without `r#`.
    Rename(&'static str),
    /// `padded` or `unpadded` on a field.
    Pad,
    /// A mistake; `false` when it is garbage a parser cannot be expected to read past.
    Bad {
        recoverable: bool,
    },
}

#[derive(Clone, Copy)]
pub(super) struct Entry(pub(super) &'static str, pub(super) Key);

const fn bad(text: &'static str) -> Entry {
    Entry(text, Key::Bad { recoverable: true })
}

const fn garbage(text: &'static str) -> Entry {
    Entry(text, Key::Bad { recoverable: false })
}

pub(super) const CONTAINER_GOOD: &[Entry] = &[
    Entry("handle = Node", Key::Handle("Node")),
    Entry("handle = \"H\"", Key::Handle("H")),
    Entry("handle = NodeHandle", Key::Handle("NodeHandle")),
    Entry("handle = Account", Key::Handle("Account")),
    Entry("handle = WeakNode", Key::Handle("WeakNode")),
    Entry("weak = WeakNode", Key::Weak("WeakNode")),
    Entry("weak = \"W\"", Key::Weak("W")),
    Entry("weak = H", Key::Weak("H")),
    Entry("weak = Account", Key::Weak("Account")),
    Entry("weak = NodeHandle", Key::Weak("NodeHandle")),
    Entry("crate = ::sharecell", Key::Crate(false)),
    Entry("crate = sharecell", Key::Crate(false)),
    Entry("crate = \"::sharecell\"", Key::Crate(false)),
    Entry("crate = ::reexport::cells", Key::Crate(true)),
    Entry("crate = \"my_framework::cells\"", Key::Crate(true)),
    Entry("flavor = F", Key::Flavor("F")),
    Entry("flavor = \"F\"", Key::Flavor("F")),
    Entry("flavor = T", Key::Flavor("T")),
    Entry("flavor = G", Key::Flavor("G")),
    Entry("padded", Key::Padded),
];

pub(super) const CONTAINER_BAD: &[Entry] = &[
    bad("handle"),
    bad("handle = 5"),
    bad("handle = \"two words\""),
    bad("handle = \"5\""),
    bad("handle = 'a"),
    bad("handle(Node)"),
    bad("weak = 1.5"),
    bad("weak"),
    bad("crate"),
    bad("crate = 5"),
    bad("crate = \"not a path!\""),
    bad("flavor"),
    bad("flavor = 'a"),
    bad("flavor = \"\""),
    bad("padded = true"),
    bad("padded(x)"),
    bad("foo"),
    bad("foo = 1"),
    bad("foo(bar, baz)"),
    bad("Handle = Node"),
    bad("mutex"),
    bad("atomic"),
    bad("rename = x"),
    bad("unpadded"),
    bad("a::b"),
    bad("a::b = c"),
    garbage("handle = a b"),
    garbage("@ foo"),
    garbage("\"handle\" = Node"),
    garbage(", handle = Node"),
    garbage("handle = Node weak = W"),
];

pub(super) const FIELD_GOOD: &[Entry] = &[
    Entry("atomic", Key::Storage),
    Entry("rwlock", Key::Storage),
    Entry("mutex", Key::Storage),
    Entry("readonly", Key::Storage),
    Entry("swap", Key::Storage),
    Entry("rename = label", Key::Rename("label")),
    Entry("rename = \"name\"", Key::Rename("name")),
    Entry("rename = id", Key::Rename("id")),
    Entry("rename = r#type", Key::Rename("type")),
    Entry("rename = value_", Key::Rename("value_")),
    Entry("rename = new", Key::Rename("new")),
    Entry("rename = clone_", Key::Rename("clone_")),
    Entry("padded", Key::Pad),
    Entry("unpadded", Key::Pad),
];

pub(super) const FIELD_BAD: &[Entry] = &[
    bad("atomic = true"),
    bad("once = 1"),
    bad("swap(x)"),
    bad("mutex(x)"),
    bad("readonly = \"yes\""),
    bad("rename"),
    bad("rename = 5"),
    bad("rename = \"two words\""),
    bad("rename = \"fn\""),
    bad("rename(x)"),
    bad("padded = 1"),
    bad("Atomic"),
    bad("lock"),
    bad("skip"),
    bad("default = 3"),
    bad("handle = Node"),
    bad("weak = W"),
    bad("crate = sharecell"),
    bad("flavor = F"),
    bad("a::b"),
    garbage("rename = a::b"),
    garbage("@ mutex"),
    garbage("1"),
    garbage("mutex rwlock"),
];

/// Whole attributes in a form the derive must reject.
pub(super) const FORM_MISTAKES: &[&str] = &[
    "#[shared]",
    "#[shared = 1]",
    "#[shared = \"handle = Node\"]",
    "#[shared()]",
];

/// Attributes that are not the derive's and must be ignored.
pub(super) const OTHER_ATTRS: &[&str] = &[
    "/// Docs.",
    "#[doc = \" More docs.\"]",
    "#[allow(dead_code)]",
    "#[serde(rename = \"x\")]",
    "#[sharedx(foo)]",
    "#[repr(C)]",
    "#[cfg_attr(all(), allow(unused))]",
];

pub(super) const STRUCT_NAMES: &[&str] = &["Account", "Node", "NodeData", "WeakNode", "H", "Point"];

pub(super) const FIELD_NAMES: &[&str] = &[
    "id",
    "owner",
    "log",
    "opened",
    "value",
    "adjacent",
    "x",
    "r#type",
    "r#match",
    "weak",
    "handle",
    "f",
    "data",
    "label",
    "snapshot",
    "downgrade",
    "into_inner",
];

/// Field names that collide with a generated associated function or a prelude trait's method.
pub(super) const RESERVED_FIELD_NAMES: &[&str] = &[
    "new",
    "clone",
    "new_local",
    "r#new",
    "clone_from",
    "new_sync",
    "from",
    "r#default",
    "into",
];

/// The associated functions a handle has, which no accessor may be named like. The `Rc`-style
/// functions of the `Shared` trait (`downgrade`, `snapshot`, ...) are not among them: a field
/// of that name shadows the trait's function.
pub(super) const RESERVED: &[&str] = &[
    "new",
    "new_local",
    "new_sync",
    "clone",
    "clone_from",
    "from",
    "into",
    "try_from",
    "try_into",
    "default",
    "to_owned",
    "clone_into",
];

pub(super) const VISIBILITIES: &[&str] = &[
    "",
    "pub ",
    "pub(crate) ",
    "pub(super) ",
    "pub(self) ",
    "pub(in crate::m) ",
];

/// Token text no item can start or contain at the place it is put: makes the input unparsable.
pub(super) const GARBAGE: &[&str] = &[
    "@", "~", "$", "=>", "..=", "::", "'x", "0x1f", "\"s\"", "b'a'", "1.5e3", "fn", "struct",
    "where", "(a b)", "[;]", "{ , }", "_", "r#raw", "Self", "#", "!",
];
