//! Finds the libzmq source tree that the `zeromq-src` package ships.
//!
//! The package exposes no path of its own, so the tree is located, in order,
//! through `ZMQ_SRC_DIR`, through `cargo metadata --offline --locked` (which
//! knows where cargo unpacked the pinned `zeromq-src`), and through the cargo
//! registry cache. The tree is read-only input: nothing here or in CMake writes into it.

use std::env;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::metadata;

const PACKAGE: &str = "zeromq-src";

/// The directory that holds libzmq's `CMakeLists.txt`, `include/` and `perf/`;
/// fails the build, saying what to do, when there is none.
pub(crate) fn locate() -> PathBuf {
    find().unwrap_or_else(|why| crate::fail(&why))
}

/// [`locate`], with the reason as an error instead of a failed build.
pub(crate) fn find() -> Result<PathBuf, String> {
    if let Some(dir) = env::var_os("ZMQ_SRC_DIR") {
        let dir = PathBuf::from(dir);
        if !is_libzmq_tree(&dir) {
            return Err(format!(
                "ZMQ_SRC_DIR={} is not a libzmq source tree (no CMakeLists.txt and include/zmq.h).\n\
                 Point it at the top of a libzmq checkout, or unset it to use the pinned tree \
                 from the `{PACKAGE}` package.",
                dir.display()
            ));
        }
        return Ok(dir);
    }
    let mut tried = Vec::new();
    match from_cargo_metadata() {
        Ok(dir) => return Ok(dir),
        Err(why) => tried.push(why),
    }
    match from_registry() {
        Ok(dir) => return Ok(dir),
        Err(why) => tried.push(why),
    }
    Err(format!(
        "cannot find the libzmq source tree shipped by the `{PACKAGE}` package.\n{}\n\
         Fix: run `cargo fetch` (online once) so cargo unpacks `{PACKAGE}`, or set \
         ZMQ_SRC_DIR to a libzmq source tree, or build with `--features system` \
         against an installed libzmq (Debian: apt-get install libzmq3-dev).",
        tried.join("\n")
    ))
}

fn is_libzmq_tree(dir: &Path) -> bool {
    dir.join("CMakeLists.txt").is_file() && dir.join("include/zmq.h").is_file()
}

/// Asks cargo where it unpacked `zeromq-src`, offline and `--locked`: cargo
/// then never touches the network nor writes a lock file (zmq-sys used as a
/// dependency sits in the registry without one; cargo fails there and the
/// registry scan takes over).
fn from_cargo_metadata() -> Result<PathBuf, String> {
    let cargo = env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let manifest =
        PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap_or_default()).join("Cargo.toml");
    let output = Command::new(&cargo)
        .args(["metadata", "--format-version", "1", "--offline", "--locked"])
        .arg("--manifest-path")
        .arg(&manifest)
        .env_remove("CARGO_TARGET_DIR")
        .output()
        .map_err(|e| format!("- cargo metadata: could not run {cargo}: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "- cargo metadata: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    let text = String::from_utf8_lossy(&output.stdout);
    let manifest = metadata::manifest_path(&text, PACKAGE, zeromq_src_version())
        .map_err(|why| format!("- cargo metadata: {why}"))?;
    let dir = manifest
        .parent()
        .map(|p| p.join("vendor"))
        .unwrap_or_default();
    if is_libzmq_tree(&dir) {
        Ok(dir)
    } else {
        Err(format!(
            "- cargo metadata: {} holds no libzmq tree",
            dir.display()
        ))
    }
}

/// Looks for the unpacked package in `$CARGO_HOME/registry/src/*/`.
fn from_registry() -> Result<PathBuf, String> {
    let home = env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .ok_or("- registry: neither CARGO_HOME nor HOME is set")?;
    let src = home.join("registry").join("src");
    let wanted = format!("{PACKAGE}-{}+", zeromq_src_version());
    let entries =
        std::fs::read_dir(&src).map_err(|e| format!("- registry: {}: {e}", src.display()))?;
    for index in entries.flatten() {
        let Ok(packages) = std::fs::read_dir(index.path()) else {
            continue;
        };
        for package in packages.flatten() {
            if package.file_name().to_string_lossy().starts_with(&wanted) {
                let dir = package.path().join("vendor");
                if is_libzmq_tree(&dir) {
                    return Ok(dir);
                }
            }
        }
    }
    Err(format!("- registry: no {wanted}* under {}", src.display()))
}

/// The pinned `zeromq-src` version; keep in step with `Cargo.toml`.
fn zeromq_src_version() -> &'static str {
    "0.3.6"
}

/// Reads `ZMQ_VERSION_MAJOR/MINOR/PATCH` from a tree's `zmq.h`.
pub(crate) fn header_version(include_dir: &Path) -> Option<String> {
    let header = std::fs::read_to_string(include_dir.join("zmq.h")).ok()?;
    let part = |name: &str| {
        header.lines().find_map(|line| {
            let rest = line.strip_prefix("#define ")?.trim_start();
            let value = rest.strip_prefix(name)?;
            value.trim().parse::<u32>().ok()
        })
    };
    Some(format!(
        "{}.{}.{}",
        part("ZMQ_VERSION_MAJOR")?,
        part("ZMQ_VERSION_MINOR")?,
        part("ZMQ_VERSION_PATCH")?
    ))
}
