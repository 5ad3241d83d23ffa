//! Asks cargo where it unpacked a registry package, whatever workspace is
//! being built.
//!
//! A build script cannot tell which workspace, lock file or target directory
//! resolved it: zmq-sys may be a member of this workspace, a path or git
//! dependency of another crate, or unpacked from the registry. Asking cargo
//! about zmq-sys's own manifest would resolve whatever workspace happens to
//! hold that directory, and `cargo metadata` wants every package of that
//! resolve on disk, dev-dependencies of every member included, which a fresh
//! cache lacks. So the question goes to a probe instead: a package of its
//! own (`[workspace]`), written into a directory of the build's, whose one
//! dependency is the pinned package, resolved with
//! `cargo metadata --offline --filter-platform <host>`:
//!
//! - `--offline`: cargo resolves against the crates it has already
//!   downloaded and never touches the network. The pinned package and its
//!   own dependencies are there: cargo compiled them for this build script.
//! - `--filter-platform <host>`: without it cargo wants the packages of every
//!   target platform (`crunchy`, say, for a target nobody builds), which a
//!   cache holding only what a host build downloaded does not have.
//!
//! `zmq-sys/tests/cargo_metadata.rs` includes this file to test it.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::metadata;

/// The directory of the package `name` at exactly `version`, as `cargo`
/// (the cargo that runs this build) resolves a probe written into `dir` for
/// platform `host`. `dir` is the probe's: its manifest, lock file and
/// target directory are (re)written there and nowhere else.
pub(crate) fn package_dir(
    cargo: &Path,
    host: &str,
    dir: &Path,
    name: &str,
    version: &str,
) -> Result<PathBuf, String> {
    let manifest = write_probe(dir, name, version)
        .map_err(|e| format!("cannot write the probe package in {}: {e}", dir.display()))?;
    let output = Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--offline"])
        .args(["--filter-platform", host])
        .arg("--manifest-path")
        .arg(&manifest)
        // Configuration (source replacement, registries) is found from the
        // working directory: the probe sits in the build's target directory,
        // usually inside the workspace being built.
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .output()
        .map_err(|e| format!("cannot run {}: {e}", cargo.display()))?;
    if !output.status.success() {
        return Err(format!(
            "`cargo metadata` on the probe {} failed ({}): {}",
            manifest.display(),
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    let json = String::from_utf8_lossy(&output.stdout);
    let found = metadata::manifest_path(&json, name, version)?;
    found
        .parent()
        .map(Path::to_path_buf)
        .ok_or_else(|| format!("cargo metadata gave `{name}` the manifest path {found:?}"))
}

/// Writes the probe's manifest and empty library into `dir`, removes the lock
/// file of an earlier run (it may name versions no longer in the cache) and
/// returns the manifest's path.
fn write_probe(dir: &Path, name: &str, version: &str) -> std::io::Result<PathBuf> {
    fs::create_dir_all(dir)?;
    let manifest = dir.join("Cargo.toml");
    fs::write(
        &manifest,
        format!(
            "# Written by zmq-sys's build script to ask cargo where `{name}` is.\n\
             [package]\n\
             name = \"zmq-sys-source-probe\"\n\
             version = \"0.0.0\"\n\
             edition = \"2021\"\n\
             publish = false\n\
             \n\
             [lib]\n\
             path = \"lib.rs\"\n\
             \n\
             [workspace]\n\
             \n\
             [dependencies]\n\
             {name} = \"={version}\"\n"
        ),
    )?;
    fs::write(dir.join("lib.rs"), "")?;
    match fs::remove_file(dir.join("Cargo.lock")) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    Ok(manifest)
}
