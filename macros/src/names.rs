//! The names every handle answers to: the constructors the generators write, and the prelude
//! traits' methods. `valid` keeps accessors off all of them. The `Rc`-style functions
//! (`downgrade`, `snapshot`, ...) come from the runtime trait, which a field of the same name
//! simply shadows: those names are free.

/// The handle's constructors: name, the flavour it makes (a type of the runtime), and the
/// doc's words for it. One inherent impl each, for that concrete flavour.
pub(crate) const CONSTRUCTORS: [(&str, &str, &str); 3] = [
    (
        "new",
        "DefaultFlavor",
        "the default flavour (`LocalFlavor`, or `SyncFlavor` with the feature `sync`)",
    ),
    (
        "new_local",
        "LocalFlavor",
        "the `LocalFlavor` (`Rc`, `Cell`, `RefCell`)",
    ),
    (
        "new_sync",
        "SyncFlavor",
        "the `SyncFlavor` (`Arc`, atomics, locks)",
    ),
];

/// The methods of the prelude traits every handle implements (`Clone`, `From`, `Into`,
/// `TryFrom`, `TryInto`, `Default`, `ToOwned`), with their trait: an accessor of the same name
/// would silently shadow them.
const PRELUDE_METHODS: &[(&str, &str)] = &[
    ("clone", "Clone"),
    ("clone_from", "Clone"),
    ("from", "From"),
    ("into", "Into"),
    ("try_from", "TryFrom"),
    ("try_into", "TryInto"),
    ("default", "Default"),
    ("to_owned", "ToOwned"),
    ("clone_into", "ToOwned"),
];

/// Whether the handle answers to `name` as `XHandle::name` or `handle.name()`: one of the
/// associated functions the expansion writes (an accessor of the same name would clash, E0592),
/// `Some(None)`; a prelude trait's method, `Some(Some(trait))`. `constructors`: whether the
/// expansion writes [`CONSTRUCTORS`] (not with `#[shared(no_new)]`).
pub(crate) fn reserved(name: &str, constructors: bool) -> Option<Option<&'static str>> {
    let written = if constructors { &CONSTRUCTORS[..] } else { &[] };
    let own = written.iter().any(|(own, _, _)| *own == name);
    if own {
        return Some(None);
    }
    PRELUDE_METHODS
        .iter()
        .find(|(method, _)| *method == name)
        .map(|(_, tr)| Some(*tr))
}
