//! Compile-fail tests: every misuse gets one clear error on the offending token, and the
//! thread-safety promises hold (`tests/ui/<area>/<mistake>.rs` with its blessed `.stderr`).
//!
//! The expected output is pinned to this machine's stable toolchain; bless deliberately with
//! `TRYBUILD=overwrite cargo test --test ui` and read every changed `.stderr`.

#[test]
#[cfg_attr(miri, ignore = "compile-fail tests need rustc, not Miri")]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*/*.rs");
}
