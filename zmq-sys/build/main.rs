//! Build script of zmq-sys: decides between the vendored libzmq (default) and
//! the system one, links it, regenerates bindings when asked, and publishes
//! `DEP_ZMQ_*` metadata for dependants (the root package's perf tools and the
//! safe crate's cfgs).

mod metadata;
mod probe;
mod source;
mod system;
mod vendored;

#[cfg(feature = "bindgen")]
mod bindings;

use std::env;
use std::path::PathBuf;

/// The libzmq release this crate is pinned to: the `+x.y.z` of our version.
fn pinned_version() -> String {
    let version = env::var("CARGO_PKG_VERSION").unwrap_or_default();
    match version.split_once('+') {
        Some((_, libzmq)) => libzmq.to_owned(),
        None => fail(&format!(
            "zmq-sys version {version} lacks the +<libzmq version> suffix"
        )),
    }
}

/// Whether to skip the native build (see `vendored::check_only`): on docs.rs
/// (`DOCS_RS` set, as other -sys crates do) or when `ZMQ_SYS_CHECK_ONLY=1`.
fn check_only() -> bool {
    env::var_os("DOCS_RS").is_some() || env::var("ZMQ_SYS_CHECK_ONLY").is_ok_and(|v| v == "1")
}

/// Stops the build with a message that says what to do.
fn fail(message: &str) -> ! {
    eprintln!("\nzmq-sys build failed:\n{message}\n");
    std::process::exit(1);
}

fn main() {
    println!("cargo:rerun-if-changed=build");
    println!("cargo:rerun-if-env-changed=ZMQ_NO_VENDOR");
    println!("cargo:rerun-if-env-changed=ZMQ_SRC_DIR");
    println!("cargo:rerun-if-env-changed=DOCS_RS");
    println!("cargo:rerun-if-env-changed=ZMQ_SYS_CHECK_ONLY");
    // Set when the installed libzmq is linked, whether the `system` feature
    // or ZMQ_NO_VENDOR=1 asked for it: the tests branch on what was linked,
    // not on the features.
    println!("cargo::rustc-check-cfg=cfg(zmq_system)");

    let draft = env::var_os("CARGO_FEATURE_DRAFT").is_some();
    let want_system = env::var_os("CARGO_FEATURE_SYSTEM").is_some()
        || env::var("ZMQ_NO_VENDOR").is_ok_and(|v| v == "1");
    let vendored = env::var_os("CARGO_FEATURE_VENDORED").is_some();

    let include_dir: PathBuf = if want_system {
        if draft {
            fail(
                "the `draft` feature needs a libzmq built with the draft API; installed \
                 libzmq packages (Debian's libzmq3-dev among them) are built without it.\n\
                 Use the vendored build (the default) for `draft`.",
            );
        }
        system::link()
    } else if vendored {
        if check_only() {
            vendored::check_only()
        } else {
            vendored::build(draft)
        }
    } else {
        fail(
            "neither the `vendored` nor the `system` feature is enabled.\n\
             Enable `vendored` (the default) to build libzmq from source, or `system` \
             (or set ZMQ_NO_VENDOR=1) to link an installed libzmq via pkg-config.",
        );
    };

    println!("cargo:draft={}", if draft { 1 } else { 0 });
    // For the layout test, which compiles C against the same header.
    println!(
        "cargo:rustc-env=ZMQ_SYS_INCLUDE_DIR={}",
        include_dir.display()
    );

    // For the test that runs the source probe as this build did.
    println!(
        "cargo:rustc-env=ZMQ_SYS_BUILD_HOST={}",
        env::var("HOST").unwrap_or_default()
    );

    #[cfg(feature = "bindgen")]
    bindings::generate(&include_dir, draft);
    #[cfg(not(feature = "bindgen"))]
    let _ = include_dir;
}
