//! Tests of the `serde` feature of sharecell: see `tests/`.
