//! The README quotes the compiler's error for a `LocalFlavor` handle sent to another thread.
//! The UI test `send/readme_local_handle_to_thread.rs` compiles the README's 20-line example
//! with `new_local`; this test checks that it is that example, line for line, and that every
//! quoted line is in its blessed output, so a new wording of rustc's shows up here.

const README: &str = include_str!("../README.md");
const UI_CASE: &str = include_str!("ui/send/readme_local_handle_to_thread.rs");
const UI_STDERR: &str = include_str!("ui/send/readme_local_handle_to_thread.stderr");

/// The body of the first code block fenced with `fence` after the line `heading`.
fn block_after(heading: &str, fence: &str) -> &'static str {
    let section = &README[README
        .find(&format!("\n{heading}\n"))
        .unwrap_or_else(|| panic!("the README has the heading {heading:?}"))..];
    let start = section
        .find(&format!("\n{fence}\n"))
        .unwrap_or_else(|| panic!("a {fence} block follows {heading:?}"))
        + fence.len()
        + 2;
    let len = section[start..]
        .find("\n```\n")
        .expect("the block is closed")
        + 1;
    &section[start..start + len]
}

#[test]
fn the_ui_case_is_the_readme_example_with_new_local() {
    let example = block_after("## In 20 lines", "```rust");
    assert!(example.contains("new_sync("));
    assert!(
        UI_CASE.starts_with(&example.replace("new_sync(", "new_local(")),
        "tests/ui/send/readme_local_handle_to_thread.rs must begin with the README's example, \
         with `new_local`"
    );
}

#[test]
fn the_quoted_error_is_what_rustc_says() {
    let quoted = block_after("### When a local handle goes to another thread", "```text");
    // As rustc prints it for a file `src/main.rs` (trybuild writes `$DIR/` and the case's path).
    let output = UI_STDERR
        .replace("$DIR/", "")
        .replace("send/readme_local_handle_to_thread.rs", "src/main.rs");
    let lines: Vec<&str> = output.lines().collect();
    let mut quoted_lines = 0;
    for line in quoted.lines().filter(|line| *line != "...") {
        assert!(
            lines.contains(&line),
            "the README quotes a line rustc does not print: {line:?}\n--- rustc ---\n{output}"
        );
        quoted_lines += 1;
    }
    assert!(quoted_lines >= 3, "{quoted}");
    assert!(
        quoted.starts_with(lines[0]),
        "the quote begins with the error's first line"
    );
}
