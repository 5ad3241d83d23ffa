//! Feature `bindgen`: regenerates the FFI from `zmq.h` at build time.
//!
//! These settings are the single definition of how the checked-in files in
//! `bindings/` are made: `update-bindings.sh` builds with this feature and
//! copies (or, with `--check`, compares) the output.

use std::env;
use std::path::{Path, PathBuf};

/// Writes `$OUT_DIR/bindings.rs` from `include_dir/zmq.h`.
pub(crate) fn generate(include_dir: &Path, draft: bool) {
    let header = include_dir.join("zmq.h");
    let mut builder = bindgen::Builder::default()
        .header(header.to_string_lossy())
        .allowlist_function("zmq_.*")
        .allowlist_type("zmq_.*")
        .allowlist_var("ZMQ_.*")
        // libzmq's own errno values, defined relative to ZMQ_HAUSNUMERO. (The
        // POSIX ones zmq.h defines the same way exist only where the platform
        // lacks them, and are then left to the `libc` crate.)
        .allowlist_var("EFSM|ENOCOMPATPROTO|ETERM|EMTHREAD")
        // Options, flags and events are passed to `int` parameters.
        .default_macro_constant_type(bindgen::MacroTypeVariation::Signed)
        // A zmq_msg_t must never be duplicated bitwise: libzmq owns its
        // reference counts and pointers.
        .no_copy("zmq_msg_t")
        .derive_default(true)
        .layout_tests(true)
        .generate_comments(false)
        .rust_target(
            bindgen::RustTarget::stable(85, 0)
                .unwrap_or_else(|e| crate::fail(&format!("bindgen rejected the Rust target: {e}"))),
        )
        .rust_edition(bindgen::RustEdition::Edition2024);
    if draft {
        builder = builder.clang_arg("-DZMQ_BUILD_DRAFT_API");
    }
    let bindings = builder
        .generate()
        .unwrap_or_else(|e| crate::fail(&format!("bindgen failed on {}: {e}", header.display())));
    let out = PathBuf::from(env::var("OUT_DIR").unwrap_or_default()).join("bindings.rs");
    bindings
        .write_to_file(&out)
        .unwrap_or_else(|e| crate::fail(&format!("cannot write {}: {e}", out.display())));
}
