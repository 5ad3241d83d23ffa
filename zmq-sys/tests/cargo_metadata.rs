//! The build script's reading of `cargo metadata`: it finds the pinned
//! `zeromq-src` by the name and version of a package object, never by a
//! "name" that happens to appear elsewhere in the JSON.

#[allow(dead_code, unreachable_pub)]
#[path = "../build/metadata.rs"]
mod metadata;

use std::path::Path;
use std::process::Command;

use metadata::{Value, manifest_path, parse};

#[test]
fn json_strings_scalars_and_nesting_parse() {
    let value =
        parse(r#" {"a": [1, -2.5e3, true, false, null, {}], "b": "x\"\\\/\u00e9\ud83d\ude00\n"} "#)
            .unwrap();
    assert_eq!(value.get("b").and_then(Value::as_str), Some("x\"\\/é😀\n"));
    assert_eq!(
        value.get("a").and_then(Value::as_array).map(<[_]>::len),
        Some(6)
    );
}

#[test]
fn malformed_json_is_an_error() {
    for bad in [
        "",
        "{",
        r#"{"a" 1}"#,
        "[1,]",
        r#""abc"#,
        r#""\q""#,
        "nul",
        "{} x",
        "[1 2]",
        "-",
        r#""\ud83d""#,
    ] {
        assert!(parse(bad).is_err(), "accepted {bad:?}");
    }
}

#[test]
fn package_is_matched_by_its_own_name_and_version() {
    // "zeromq-src" as a dependency of another package, a path that contains
    // the name, and the wrong version all come before the real entry.
    let json = r#"{"packages": [
        {"name": "zmq-sys", "version": "0.1.0+4.3.5",
         "dependencies": [{"name": "zeromq-src", "req": "=0.3.6"}],
         "manifest_path": "/work/zeromq-src/zmq-sys/Cargo.toml"},
        {"name": "zeromq-src", "version": "0.3.5+4.3.4",
         "manifest_path": "/registry/zeromq-src-0.3.5+4.3.4/Cargo.toml"},
        {"id": "registry+https://github.com/rust-lang/crates.io-index#zeromq-src@0.3.6+4.3.5",
         "name": "zeromq-src", "version": "0.3.6+4.3.5",
         "manifest_path": "/registry/zeromq-src-0.3.6+4.3.5/Cargo.toml"}
    ], "workspace_root": "/work"}"#;
    assert_eq!(
        manifest_path(json, "zeromq-src", "0.3.6").unwrap(),
        Path::new("/registry/zeromq-src-0.3.6+4.3.5/Cargo.toml")
    );
    assert!(manifest_path(json, "zeromq-src", "0.3.7").is_err());
    assert!(manifest_path(r#"{"name": "zeromq-src"}"#, "zeromq-src", "0.3.6").is_err());
}

#[test]
fn this_workspace_metadata_names_the_pinned_zeromq_src() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(&cargo)
        .args(["metadata", "--format-version", "1", "--offline", "--locked"])
        .arg("--manifest-path")
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml"))
        .output()
        .expect("cannot run cargo metadata");
    assert!(
        output.status.success(),
        "cargo metadata failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let json = String::from_utf8(output.stdout).unwrap();
    let manifest = manifest_path(&json, "zeromq-src", "0.3.6").unwrap();
    assert!(
        manifest.with_file_name("vendor/include/zmq.h").is_file(),
        "{} ships no libzmq tree",
        manifest.display()
    );
}
