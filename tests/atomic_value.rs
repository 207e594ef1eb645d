//! User types in atoms: `#[derive(sharecell::AtomicValue)]` on fieldless enums and newtypes,
//! and a safe hand-written impl, used through `#[shared(atomic)]` in both flavours. The value an
//! atom gives back is always one that was stored: an enum's conversion back refuses every
//! number that is no discriminant.
#![cfg(not(loom))]

#[macro_use]
mod common;

use std::mem::size_of;

use common::catch_panic;
use sharecell::{Atom, AtomicValue, Flavor, Shared, SyncFlavor};

/// As kuchiki's: no `repr`, implicit discriminants.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, AtomicValue)]
enum QuirksMode {
    Quirks,
    LimitedQuirks,
    #[default]
    NoQuirks,
}

#[derive(Clone, Copy, Debug, PartialEq, AtomicValue)]
#[repr(u8)]
enum Phase {
    Idle = 1,
    Running = 7,
    Done,
}

#[derive(Clone, Copy, Debug, PartialEq, AtomicValue)]
#[repr(i32)]
enum Signed {
    Low = -100_000,
    Zero = 0,
    High = 100_000,
}

/// No `repr`: stored in the smallest integer that holds the literals (`i16`).
#[derive(Clone, Copy, Debug, PartialEq, AtomicValue)]
enum Wide {
    Negative = -2,
    Large = 1000,
}

const BASE: isize = 40;

/// A discriminant that is not a literal: stored as `isize`.
#[derive(Clone, Copy, Debug, PartialEq, AtomicValue)]
enum FromConst {
    A = BASE,
    B,
}

#[derive(Clone, Copy, Debug, PartialEq, Default, AtomicValue)]
struct Meters(u32);

#[derive(Clone, Copy, Debug, PartialEq, AtomicValue)]
struct Ratio {
    value: f64,
}

/// A newtype over a user type.
#[derive(Clone, Copy, Debug, PartialEq, AtomicValue)]
struct Tagged(Phase);

/// A generic newtype.
#[derive(Clone, Copy, Debug, PartialEq, AtomicValue)]
struct Id<T: AtomicValue>(T);

/// Through a re-export: `#[shared(crate = ...)]`, as `#[derive(Shared)]` takes it.
mod reexported {
    pub use sharecell as cells;

    #[derive(Clone, Copy, Debug, PartialEq, cells::AtomicValue)]
    #[shared(crate = cells)]
    pub struct Level(pub u8);
}

#[derive(Shared)]
struct Document {
    #[shared(atomic)]
    quirks: QuirksMode,
    #[shared(atomic)]
    phase: Phase,
    #[shared(atomic)]
    width: Meters,
    #[shared(atomic)]
    ratio: Ratio,
    #[shared(atomic)]
    tagged: Tagged,
    #[shared(atomic)]
    id: Id<u64>,
    #[shared(atomic)]
    level: reexported::Level,
}

fn document<F: Flavor>() -> DocumentHandle<F> {
    DocumentHandle::from(Document {
        quirks: QuirksMode::NoQuirks,
        phase: Phase::Idle,
        width: Meters(3),
        ratio: Ratio { value: 0.5 },
        tagged: Tagged(Phase::Done),
        id: Id(7),
        level: reexported::Level(1),
    })
}

for_both_flavors!(
    every_value_method_works,
    each_discriminant_round_trips,
    handle_snapshot_and_debug_show_the_values,
);

fn every_value_method_works<F: Flavor>() {
    let doc = document::<F>();
    let quirks = doc.quirks();
    assert_eq!(quirks.get(), QuirksMode::NoQuirks);
    quirks.set(QuirksMode::Quirks);
    assert_eq!(
        quirks.replace(QuirksMode::LimitedQuirks),
        QuirksMode::Quirks
    );
    assert_eq!(
        quirks.compare_exchange(QuirksMode::Quirks, QuirksMode::NoQuirks),
        Err(QuirksMode::LimitedQuirks)
    );
    assert_eq!(
        quirks.compare_exchange(QuirksMode::LimitedQuirks, QuirksMode::NoQuirks),
        Ok(QuirksMode::LimitedQuirks)
    );
    assert_eq!(quirks.update(|_| QuirksMode::Quirks), QuirksMode::NoQuirks);
    assert_eq!(quirks.take(), QuirksMode::Quirks);
    assert_eq!(quirks.get(), QuirksMode::NoQuirks, "the default");

    assert_eq!(doc.phase().update(|_| Phase::Done), Phase::Idle);
    assert_eq!(doc.phase().get(), Phase::Done);
    assert_eq!(doc.width().update(|m| Meters(m.0 * 2)), Meters(3));
    assert_eq!(doc.width().take(), Meters(6));
    doc.ratio().set(Ratio { value: f64::NAN });
    // A float compares by its bits, also inside a newtype.
    let nan = doc.ratio().get();
    assert!(doc
        .ratio()
        .compare_exchange(nan, Ratio { value: 1.0 })
        .is_ok());
    assert_eq!(
        doc.tagged().replace(Tagged(Phase::Running)),
        Tagged(Phase::Done)
    );
    assert_eq!(doc.id().get(), Id(7));
    assert_eq!(
        doc.level().replace(reexported::Level(9)),
        reexported::Level(1)
    );

    let mut atom = Atom::<Signed, F>::new(Signed::Low);
    *atom.get_mut() = Signed::High;
    assert_eq!(atom.into_inner(), Signed::High);
}

fn each_discriminant_round_trips<F: Flavor>() {
    for mode in [
        QuirksMode::Quirks,
        QuirksMode::LimitedQuirks,
        QuirksMode::NoQuirks,
    ] {
        assert_eq!(Atom::<QuirksMode, F>::new(mode).get(), mode);
        assert_eq!(QuirksMode::from_repr(mode.into_repr()), Some(mode));
    }
    for phase in [Phase::Idle, Phase::Running, Phase::Done] {
        assert_eq!(Atom::<Phase, F>::new(phase).get(), phase);
    }
    for signed in [Signed::Low, Signed::Zero, Signed::High] {
        assert_eq!(Atom::<Signed, F>::new(signed).get(), signed);
    }
    for wide in [Wide::Negative, Wide::Large] {
        assert_eq!(Atom::<Wide, F>::new(wide).get(), wide);
    }
    assert_eq!(Atom::<FromConst, F>::new(FromConst::B).get(), FromConst::B);
}

#[test]
fn representations_are_the_discriminants_in_the_smallest_fitting_integer() {
    assert_eq!(QuirksMode::NoQuirks.into_repr(), 2u8);
    assert_eq!(Phase::Done.into_repr(), 8u8);
    assert_eq!(Signed::Low.into_repr(), -100_000i32);
    assert_eq!(Wide::Negative.into_repr(), -2i16);
    assert_eq!(FromConst::B.into_repr(), 41isize);
    assert_eq!(Meters(5).into_repr(), 5u32);
    assert_eq!(Tagged(Phase::Running).into_repr(), 7u8);
    // A `SyncFlavor` atom of an enum is the atomic of its discriminant, and no larger.
    assert_eq!(size_of::<Atom<Phase, SyncFlavor>>(), 1);
    assert_eq!(size_of::<Atom<Wide, SyncFlavor>>(), 2);
}

#[test]
fn numbers_that_are_no_discriminant_are_refused() {
    assert_eq!(QuirksMode::from_repr(3), None);
    assert_eq!(QuirksMode::from_repr(u8::MAX), None);
    for n in [0, 2, 6, 9, 255] {
        assert_eq!(Phase::from_repr(n), None, "{n}");
    }
    assert_eq!(Signed::from_repr(1), None);
    assert_eq!(Wide::from_repr(999), None);
    assert_eq!(Tagged::from_repr(3), None, "the field refuses it");
    assert_eq!(Meters::from_repr(u32::MAX), Some(Meters(u32::MAX)));
}

fn handle_snapshot_and_debug_show_the_values<F: Flavor>() {
    let doc = document::<F>();
    doc.phase().set(Phase::Running);
    let data = DocumentHandle::snapshot(&doc);
    assert_eq!((data.phase, data.width), (Phase::Running, Meters(3)));
    let debug = format!("{doc:?}");
    assert!(
        debug.contains("phase: Running, width: Meters(3)"),
        "{debug}"
    );
}

/// A hand-written impl whose `from_repr` refuses what its own `into_repr` made: the atom
/// panics naming the type, and never makes up a value.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Broken(u8);

impl AtomicValue for Broken {
    type Repr = u8;
    fn into_repr(self) -> u8 {
        self.0
    }
    fn from_repr(repr: u8) -> Option<Self> {
        (repr < 10).then_some(Broken(repr))
    }
}

#[test]
fn an_impl_that_does_not_round_trip_panics_naming_the_type() {
    let atom = Atom::<Broken, SyncFlavor>::new(Broken(3));
    assert_eq!(atom.get(), Broken(3));
    atom.set(Broken(200));
    let message = catch_panic(|| atom.get()).message;
    assert!(message.contains("`AtomicValue` impl of `atomic_value::Broken` does not round-trip"));
    assert!(message.contains("`200`"), "{message}");
}
