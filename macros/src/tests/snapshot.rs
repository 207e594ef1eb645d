//! `examples/expanded.rs` shows what `#[derive(Shared)]` writes for a typical struct (the
//! README's `Account`); this test keeps it true. It reads the example through the link
//! `src/tests/expanded.rs`, which this package's `.crate` holds as a copy of the file, so the
//! test also runs from the published package. The input is the fenced block in the example's
//! header; the section between the markers is that struct without its derive attributes, then
//! the derive's output, both formatted by `rustfmt`. After changing the expansion, rewrite the
//! section with
//!
//! ```text
//! SHARECELL_BLESS=1 cargo test -p sharecell-macros snapshot
//! ```

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

const INPUT_START: &str = "//! ```rust,ignore\n";
const INPUT_END: &str = "//! ```\n";
const BEGIN: &str = "// ---- BEGIN EXPANSION: written by `SHARECELL_BLESS=1 cargo test -p sharecell-macros snapshot`; do not edit ----\n";
const END: &str = "// ---- END EXPANSION ----\n";
const BETWEEN: &str = "\n// What `#[derive(Shared)]` adds:\n";

/// `examples/expanded.rs`, through the link in this package (writing to it writes the example).
fn example_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src/tests/expanded.rs")
}

/// The struct in the header's fenced block, without the `//! ` in front of each line.
fn input_of(example: &str) -> String {
    let start = example
        .find(INPUT_START)
        .expect("the header has a ```rust,ignore block")
        + INPUT_START.len();
    let len = example[start..]
        .find(INPUT_END)
        .expect("the ```rust,ignore block is closed");
    example[start..start + len]
        .lines()
        .map(|line| {
            line.strip_prefix("//! ")
                .unwrap_or(line.trim_start_matches("//!"))
        })
        .map(|line| format!("{line}\n"))
        .collect()
}

/// `input` as it compiles without the derive: its `#[derive(Shared)]` and `#[shared(...)]`
/// lines removed.
fn plain_struct(input: &str) -> String {
    let plain: String = input
        .lines()
        .filter(|line| {
            !matches!(line.trim(), "#[derive(Shared)]") && !line.trim().starts_with("#[shared(")
        })
        .map(|line| format!("{line}\n"))
        .collect();
    assert!(
        !plain.contains("shared"),
        "put each derive attribute of the input on its own line"
    );
    plain
}

/// What the section between the markers must be.
fn expected_section(input: &str) -> String {
    let tokens = input.parse().expect("the input block lexes");
    let expansion = crate::derive_with(tokens, false).to_string();
    assert!(
        !expansion.contains("compile_error"),
        "the example's input is rejected: {expansion}"
    );
    rustfmt(&format!("{}{BETWEEN}{expansion}", plain_struct(input)))
}

fn rustfmt(source: &str) -> String {
    let program = std::env::var("RUSTFMT").unwrap_or_else(|_| "rustfmt".to_owned());
    let mut child = Command::new(&program)
        .args(["--edition", "2021"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run `{program}` ({e}); this test needs rustfmt: \
                 `rustup component add rustfmt`, or set RUSTFMT to its path"
            )
        });
    let mut stdin = child.stdin.take().expect("stdin is piped");
    stdin
        .write_all(source.as_bytes())
        .expect("rustfmt reads its input");
    drop(stdin);
    let out = child.wait_with_output().expect("rustfmt runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "rustfmt failed: {stderr}\n--- its input ---\n{source}"
    );
    String::from_utf8(out.stdout).expect("rustfmt writes UTF-8")
}

/// `(before, section, after)`, split at the markers.
fn split_section(example: &str) -> (&str, &str, &str) {
    let begin = example
        .find(BEGIN)
        .expect("examples/expanded.rs has the BEGIN marker")
        + BEGIN.len();
    let end = example
        .find(END)
        .expect("examples/expanded.rs has the END marker");
    assert!(begin <= end, "the END marker comes before the BEGIN marker");
    (&example[..begin], &example[begin..end], &example[end..])
}

fn first_difference(current: &str, expected: &str) -> String {
    let pairs = current.lines().zip(expected.lines()).enumerate();
    match pairs.into_iter().find(|(_, (c, e))| c != e) {
        Some((i, (c, e))) => format!("section line {}:\n  file: {c}\n  now:  {e}", i + 1),
        None => "one is a prefix of the other (lines added or removed at the end)".to_owned(),
    }
}

#[test]
#[cfg_attr(miri, ignore = "Miri cannot start rustfmt")]
fn examples_expanded_rs_is_what_the_derive_writes() {
    let path = example_path();
    let example = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let expected = expected_section(&input_of(&example));
    let (before, current, after) = split_section(&example);
    if current == expected {
        return;
    }
    if std::env::var_os("SHARECELL_BLESS").is_some() {
        std::fs::write(&path, format!("{before}{expected}{after}"))
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
        println!("rewrote the expansion in {}", path.display());
        return;
    }
    panic!(
        "examples/expanded.rs no longer shows what the derive writes ({}).\n\
         If the change is intended, rewrite it with:\n\n    \
         SHARECELL_BLESS=1 cargo test -p sharecell-macros snapshot\n\n\
         then read the diff and run `cargo run --example expanded`.",
        first_difference(current, &expected)
    );
}
