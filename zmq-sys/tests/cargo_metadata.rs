//! How the build script finds the pinned `zeromq-src`: the probe package it
//! hands to `cargo metadata --offline --filter-platform <host>`, which works
//! with only what a host build downloaded (a fresh cache) and wherever the
//! probe sits, and the reading of cargo's answer, which matches a package
//! object by its name and version, never a "name" elsewhere in the JSON.

#[allow(dead_code, unreachable_pub)]
#[path = "../build/metadata.rs"]
mod metadata;
#[allow(dead_code, unreachable_pub)]
#[path = "../build/probe.rs"]
mod probe;

use std::path::{Path, PathBuf};

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

/// The cargo that runs the tests, as the build script uses the one that
/// runs the build.
fn cargo() -> PathBuf {
    std::env::var_os("CARGO").map_or_else(|| PathBuf::from("cargo"), PathBuf::from)
}

/// Runs the build script's probe in `dir` (emptied first) for the pinned
/// `zeromq-src` and checks that the answer holds libzmq's tree.
fn probe_finds_zeromq_src_in(dir: &Path) {
    let _ = std::fs::remove_dir_all(dir);
    let package = probe::package_dir(
        &cargo(),
        env!("ZMQ_SYS_BUILD_HOST"),
        dir,
        "zeromq-src",
        "0.3.6",
    )
    .unwrap();
    let tree = package.join("vendor");
    for file in ["CMakeLists.txt", "include/zmq.h", "perf/inproc_lat.cpp"] {
        assert!(
            tree.join(file).is_file(),
            "{} has no {file}",
            tree.display()
        );
    }
    // Everything the probe writes stays in its directory.
    let mut written: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .collect();
    written.sort();
    assert_eq!(written, ["Cargo.lock", "Cargo.toml", "lib.rs"]);
}

#[test]
fn probe_inside_another_workspace_finds_the_pinned_zeromq_src() {
    // Inside this workspace's target directory, as a build's OUT_DIR
    // usually is: the probe must not be taken for a member of the workspace
    // around it.
    probe_finds_zeromq_src_in(&Path::new(env!("CARGO_TARGET_TMPDIR")).join("zeromq-src-probe"));
}

#[test]
fn probe_outside_any_workspace_finds_the_pinned_zeromq_src() {
    let dir = std::env::temp_dir().join(format!("zmq-sys-probe-{}", std::process::id()));
    probe_finds_zeromq_src_in(&dir);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn probe_of_a_version_cargo_cannot_resolve_fails_with_cargos_reason() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("zeromq-src-probe-missing");
    let why = probe::package_dir(
        &cargo(),
        env!("ZMQ_SYS_BUILD_HOST"),
        &dir,
        "zeromq-src",
        "0.0.0",
    )
    .unwrap_err();
    assert!(
        why.contains("cargo metadata") && why.contains("zeromq-src"),
        "{why}"
    );
}

#[test]
#[cfg_attr(zmq_system, ignore = "a system build has no source tree")]
fn this_build_found_the_source_tree_by_asking_cargo() {
    // Set by the build script of a vendored build; `registry scan` means the
    // probe failed and the fallback did the work (the build printed why).
    match option_env!("ZMQ_SYS_SRC_FOUND_BY") {
        Some("ZMQ_SRC_DIR") => {}
        found_by => assert_eq!(
            found_by,
            Some("cargo metadata"),
            "zmq-sys's build did not find zeromq-src through cargo: its warning says why"
        ),
    }
}
