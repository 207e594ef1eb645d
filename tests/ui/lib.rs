//! Empty: this package exists for its compile-fail tests (`ui.rs`, one case per file in the
//! directories next to it). Run them with `cargo test -p sharecell-ui-tests`.
