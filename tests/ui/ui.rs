//! Compile-fail tests: every misuse gets one clear error on the offending token, and the
//! thread-safety promises hold (`tests/ui/<area>/<mistake>.rs` with its blessed `.stderr`).
//! A package of their own, so that trybuild is no dependency of the facade:
//! `cargo test -p sharecell-ui-tests [--features sync]`.
//!
//! The expected output is pinned to this machine's stable toolchain; bless deliberately with
//! `TRYBUILD=overwrite cargo test -p sharecell-ui-tests` and read every changed `.stderr`.

#[test]
#[cfg_attr(miri, ignore = "compile-fail tests need rustc, not Miri")]
fn ui() {
    let t = trybuild::TestCases::new();
    // Mistakes in the derive's input: the same messages in every build.
    t.compile_fail("shape/*.rs");
    t.compile_fail("container/*.rs");
    t.compile_fail("field/*.rs");
    t.compile_fail("atomic_value/*.rs");
    // Type errors print types with their default flavour parameter elided (`Atom<u64>`), so
    // their text depends on `DefaultFlavor`; they are blessed for the default build. The
    // promises they check hold in both builds (explicit flavours in each case).
    if !cfg!(feature = "sync") {
        t.compile_fail("use/*.rs");
        t.compile_fail("send/*.rs");
    }
}
