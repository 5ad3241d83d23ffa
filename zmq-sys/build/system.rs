//! The `system` build: the installed libzmq found by pkg-config, linked
//! dynamically (distribution packages pull in libsodium, pgm, norm and
//! gssapi, which only their shared library resolves cleanly).

use std::path::PathBuf;

use crate::fail;

/// The oldest libzmq whose API the bindings match closely enough.
const MINIMUM: &str = "4.3.0";

/// Links the installed libzmq; returns the directory holding `zmq.h`.
pub(crate) fn link() -> PathBuf {
    let library = pkg_config::Config::new()
        .atleast_version(MINIMUM)
        .statik(false)
        .probe("libzmq")
        .unwrap_or_else(|e| {
            fail(&format!(
                "the `system` feature (or ZMQ_NO_VENDOR=1) needs an installed libzmq >= {MINIMUM} \
                 that pkg-config can find.\npkg-config said: {e}\n\
                 Fix: install it (Debian: apt-get install libzmq3-dev pkg-config), set \
                 PKG_CONFIG_PATH to its .pc file, or drop the `system` feature to build the \
                 vendored libzmq."
            ))
        });
    let include = library
        .include_paths
        .iter()
        .find(|dir| dir.join("zmq.h").is_file())
        .cloned()
        .unwrap_or_else(|| PathBuf::from("/usr/include"));
    println!("cargo:include={}", include.display());
    if let Some(lib) = library.link_paths.first() {
        println!("cargo:lib={}", lib.display());
    }
    println!("cargo:version={}", library.version);
    println!("cargo:vendored=0");
    println!("cargo:rustc-cfg=zmq_system");
    include
}
