//! Finds the libzmq source tree that the `zeromq-src` package ships.
//!
//! The package exposes no path of its own (its `Build` knows its directory
//! but only uses it to compile libzmq itself), so the tree is located, in
//! order: through `ZMQ_SRC_DIR`; through cargo, which knows where it
//! unpacked the pinned `zeromq-src` (see `probe.rs`: the primary path, which
//! works from an empty cache, inside this workspace or out of it); and, as a
//! fallback with a warning, through a scan of the cargo registry cache. The
//! tree is read-only input: nothing here or in CMake writes into it.

use std::env;
use std::path::{Path, PathBuf};

use crate::probe;

const PACKAGE: &str = "zeromq-src";

/// A libzmq source tree and how it was found.
pub(crate) struct Tree {
    /// The directory that holds `CMakeLists.txt`, `include/` and `perf/`.
    pub(crate) dir: PathBuf,
    /// `ZMQ_SRC_DIR`, `cargo metadata` or `registry scan`.
    pub(crate) found_by: &'static str,
}

impl Tree {
    /// Tells the tests (`ZMQ_SYS_SRC_FOUND_BY`, read by
    /// `tests/cargo_metadata.rs`) and dependants (`DEP_ZMQ_SRC_FOUND_BY`) how
    /// the tree was found, so a build that only worked through the fallback
    /// is seen.
    pub(crate) fn announce(&self) {
        println!("cargo:rustc-env=ZMQ_SYS_SRC_FOUND_BY={}", self.found_by);
        println!("cargo:src_found_by={}", self.found_by);
    }
}

/// The tree to build; fails the build, saying what to do, when there is none.
pub(crate) fn locate() -> Tree {
    find().unwrap_or_else(|why| crate::fail(&why))
}

/// [`locate`], with the reason as an error instead of a failed build.
pub(crate) fn find() -> Result<Tree, String> {
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
        return Ok(Tree {
            dir,
            found_by: "ZMQ_SRC_DIR",
        });
    }
    let primary = match from_cargo_metadata() {
        Ok(dir) => {
            return Ok(Tree {
                dir,
                found_by: "cargo metadata",
            });
        }
        Err(why) => why,
    };
    let fallback = match from_registry() {
        Ok(dir) => {
            // Seen in builds of this workspace and of path dependencies
            // (cargo hides warnings of registry packages).
            println!(
                "cargo:warning=zmq-sys found {PACKAGE} only by scanning the registry cache, \
                 because cargo could not tell where it is: {}",
                one_line(&primary)
            );
            return Ok(Tree {
                dir,
                found_by: "registry scan",
            });
        }
        Err(why) => why,
    };
    Err(format!(
        "cannot find the libzmq source tree shipped by the `{PACKAGE}` package \
         (pinned ={version}).\n\
         - asking cargo: {primary}\n\
         - scanning the registry cache: {fallback}\n\
         Fix: whatever stops `cargo metadata --offline` above (cargo compiled `{PACKAGE}` \
         for this build, so it is normally on disk); or set ZMQ_SRC_DIR to a libzmq \
         {libzmq} source tree (the `vendor/` directory of the `{PACKAGE}` {version} \
         package is one); or link an installed libzmq instead with `--features system` \
         or ZMQ_NO_VENDOR=1 (Debian: apt-get install libzmq3-dev pkg-config).",
        version = zeromq_src_version(),
        libzmq = crate::pinned_version(),
    ))
}

fn is_libzmq_tree(dir: &Path) -> bool {
    dir.join("CMakeLists.txt").is_file() && dir.join("include/zmq.h").is_file()
}

/// Cargo's complaint, its "Caused by" chain included, on one line (a
/// `cargo:warning` is one line).
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The primary path: cargo's answer to the probe in `OUT_DIR`.
fn from_cargo_metadata() -> Result<PathBuf, String> {
    let cargo = env::var_os("CARGO").map_or_else(|| PathBuf::from("cargo"), PathBuf::from);
    let host = env::var("HOST").map_err(|_| "HOST is not set (not run by cargo?)".to_owned())?;
    let out_dir = env::var_os("OUT_DIR").ok_or("OUT_DIR is not set (not run by cargo?)")?;
    let probe_dir = PathBuf::from(out_dir).join("zeromq-src-probe");
    let package = probe::package_dir(&cargo, &host, &probe_dir, PACKAGE, zeromq_src_version())?;
    let dir = package.join("vendor");
    if is_libzmq_tree(&dir) {
        Ok(dir)
    } else {
        Err(format!("{} holds no libzmq tree", dir.display()))
    }
}

/// The fallback: the unpacked package in `$CARGO_HOME/registry/src/*/`.
fn from_registry() -> Result<PathBuf, String> {
    let home = env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .ok_or("neither CARGO_HOME nor HOME is set")?;
    let src = home.join("registry").join("src");
    let wanted = format!("{PACKAGE}-{}+", zeromq_src_version());
    let entries = std::fs::read_dir(&src).map_err(|e| format!("{}: {e}", src.display()))?;
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
    Err(format!("no {wanted}* under {}", src.display()))
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
