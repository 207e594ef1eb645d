//! What the manifests promise: every published package ships the texts of both licenses its
//! `license = "MIT OR Apache-2.0"` names, and the facade has no dev-dependency (examples are
//! built with the dev-dependencies, so a first `cargo run --example graph` would build them).

use std::path::Path;

/// The directories of the published packages: the facade, the runtime, the derive.
const PUBLISHED: [&str; 3] = [".", "runtime", "macros"];

fn read(relative: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// The value of the manifest's `include = [...]` line.
fn include_list(manifest: &str) -> &str {
    manifest
        .lines()
        .find_map(|line| line.strip_prefix("include = "))
        .expect("every published manifest lists what it includes")
}

#[test]
#[cfg_attr(miri, ignore = "reads files, which Miri's isolation forbids")]
fn every_published_package_ships_both_license_texts() {
    let workspace = read("Cargo.toml");
    assert!(workspace.contains("license = \"MIT OR Apache-2.0\""));
    for dir in PUBLISHED {
        let manifest = read(&format!("{dir}/Cargo.toml"));
        assert!(manifest.contains("license.workspace = true"), "{dir}");
        let include = include_list(&manifest);
        for file in ["LICENSE-MIT", "LICENSE-APACHE"] {
            assert!(
                include.contains(&format!("\"/{file}\"")),
                "{dir}: {file} is not included"
            );
        }
        let mit = read(&format!("{dir}/LICENSE-MIT"));
        assert!(
            mit.starts_with("Copyright (c) 2026 The sharecell developers\n"),
            "{dir}"
        );
        assert!(
            mit.contains("Permission is hereby granted, free of charge"),
            "{dir}"
        );
        let apache = read(&format!("{dir}/LICENSE-APACHE"));
        assert!(apache.contains("Version 2.0, January 2004"), "{dir}");
        assert!(apache.contains("END OF TERMS AND CONDITIONS"), "{dir}");
    }
}

#[test]
#[cfg_attr(miri, ignore = "reads files, which Miri's isolation forbids")]
fn the_facade_has_no_dev_dependencies() {
    let manifest = read("Cargo.toml");
    let dev = manifest
        .lines()
        .find(|line| line.starts_with('[') && line.contains("dev-dependencies"));
    assert_eq!(
        dev, None,
        "a dev-dependency of the facade is built by every example; put a test that needs \
         another crate in a package of its own under tests/"
    );
}
