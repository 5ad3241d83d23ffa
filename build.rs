//! Build script of the root package: compiles libzmq's own perf tools
//! (`perf/*.cpp` in the libzmq source tree), and the comparison's C version
//! of its zero-copy row (`benches/peers/libzmq/zero_copy_thr.cpp`), into
//! executables in OUT_DIR,
//! linked against the very libzmq that zmq-sys built, so the benchmarks and
//! tests can set the Rust bindings beside the C library's own figures.
//!
//! Everything comes from zmq-sys's `links = "zmq"` metadata: `DEP_ZMQ_SRC` (the
//! source tree; the tools include `../include/zmq.h`), `DEP_ZMQ_BUILD` (CMake's
//! build directory, where `platform.hpp` is generated), `DEP_ZMQ_LIB` (holding
//! `libzmq.a`) and `DEP_ZMQ_SODIUM_LIB` (holding `libsodium.a`). A `system`
//! build has no source tree, so the tools are skipped with a warning; in
//! zmq-sys's check-only mode (`DEP_ZMQ_CHECK_ONLY=1`: `ZMQ_SYS_CHECK_ONLY=1` or
//! `DOCS_RS`) there is no library to link, so they are skipped silently.
//!
//! Dependants see the result as the environment variable `ZMQ_PERF_DIR` (the
//! directory holding the executables) and the cfg `zmq_perf_tools`. The
//! environment variable `ZMQ_GUIDE_VENDORED` (`1` when zmq-sys built a real
//! vendored libzmq, else `0`) lets `tests/perf_tools.rs` fail when the tools
//! should be there and the cfg is missing.

use std::env;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The tools, by the name of their source file in `perf/` (without `.cpp`).
const TOOLS: [&str; 6] = [
    "local_thr",
    "remote_thr",
    "local_lat",
    "remote_lat",
    "inproc_thr",
    "inproc_lat",
];

fn main() {
    println!("cargo::rustc-check-cfg=cfg(zmq_perf_tools)");
    println!("cargo:rerun-if-changed=build.rs");
    for var in [
        "SRC",
        "BUILD",
        "LIB",
        "SODIUM_LIB",
        "VENDORED",
        "CHECK_ONLY",
    ] {
        println!("cargo:rerun-if-env-changed=DEP_ZMQ_{var}");
    }
    let vendored = env::var("DEP_ZMQ_VENDORED").as_deref() == Ok("1")
        && env::var("DEP_ZMQ_CHECK_ONLY").as_deref() != Ok("1");
    println!(
        "cargo:rustc-env=ZMQ_GUIDE_VENDORED={}",
        if vendored { 1 } else { 0 }
    );

    let Some(inputs) = Inputs::from_env() else {
        return;
    };
    let out_dir =
        PathBuf::from(env::var_os("OUT_DIR").unwrap_or_else(|| fail("OUT_DIR is not set")));
    let perf_dir = out_dir.join("perf");
    std::fs::create_dir_all(&perf_dir)
        .unwrap_or_else(|e| fail(&format!("cannot create {}: {e}", perf_dir.display())));

    // The C++ compiler cc would use for this target, with its default flags
    // (-fPIC, -m64, ...). The tools always get -O2, whatever the profile: they
    // are the yardstick the benchmarks compare against.
    let compiler = cc::Build::new()
        .cpp(true)
        .opt_level(2)
        .debug(false)
        .cargo_metadata(false)
        .warnings(false)
        .get_compiler();
    if compiler.is_like_msvc() {
        println!(
            "cargo:warning=libzmq's perf tools are not built with MSVC; \
             the perf tool tests and comparison benchmarks are skipped"
        );
        return;
    }

    // libzmq.a needs POSIX threads (and, on Linux, clock_gettime's librt);
    // the C++ driver adds the C++ runtime itself.
    let platform_libs: &[&str] = match env::var("CARGO_CFG_TARGET_OS").as_deref() {
        Ok("linux" | "android") => &["-lpthread", "-lrt"],
        _ => &["-lpthread"],
    };
    for tool in TOOLS {
        let source = inputs.src.join("perf").join(format!("{tool}.cpp"));
        println!("cargo:rerun-if-changed={}", source.display());
        let exe = perf_dir.join(tool);
        let mut command = compiler.to_command();
        command
            .arg("-I")
            .arg(&inputs.build)
            .arg("-o")
            .arg(&exe)
            .arg(&source)
            .arg(&inputs.libzmq)
            .arg(&inputs.libsodium)
            .args(platform_libs);
        compile(tool, &mut command);
    }

    // The comparison's zero-copy row in C (ours, not libzmq's): copies
    // versus handed-over buffers over inproc, beside the Rust versions.
    let manifest_dir = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let source = manifest_dir.join("benches/peers/libzmq/zero_copy_thr.cpp");
    println!("cargo:rerun-if-changed={}", source.display());
    let mut command = compiler.to_command();
    command
        .arg("-I")
        .arg(inputs.src.join("include"))
        .arg("-o")
        .arg(perf_dir.join("zero_copy_thr"))
        .arg(&source)
        .arg(&inputs.libzmq)
        .arg(&inputs.libsodium)
        .args(platform_libs);
    compile("zero_copy_thr", &mut command);

    println!("cargo:rustc-env=ZMQ_PERF_DIR={}", perf_dir.display());
    println!("cargo:rustc-cfg=zmq_perf_tools");
}

/// What the tools are compiled from and linked with.
struct Inputs {
    src: PathBuf,
    build: PathBuf,
    libzmq: PathBuf,
    libsodium: PathBuf,
}

impl Inputs {
    /// Reads zmq-sys's metadata; `None` (after a warning) when zmq-sys linked
    /// an installed libzmq and so offers no source tree to build from, and
    /// `None` when zmq-sys built no library (check-only mode).
    fn from_env() -> Option<Inputs> {
        if env::var("DEP_ZMQ_CHECK_ONLY").as_deref() == Ok("1") {
            // Asked for on purpose (docs.rs, `cargo check`, compile-fail
            // harnesses): nothing will be linked or run.
            return None;
        }
        if env::var("DEP_ZMQ_VENDORED").as_deref() != Ok("1") {
            println!(
                "cargo:warning=zmq-sys links the system libzmq, which comes without its source \
                 tree: libzmq's perf tools are not built, and the tests and benchmarks that run \
                 them are skipped"
            );
            return None;
        }
        let dir = |var: &str| {
            env::var_os(var).map(PathBuf::from).unwrap_or_else(|| {
                fail(&format!(
                    "{var} is not set: zmq-sys (vendored) should publish it as metadata"
                ))
            })
        };
        let inputs = Inputs {
            src: dir("DEP_ZMQ_SRC"),
            build: dir("DEP_ZMQ_BUILD"),
            libzmq: dir("DEP_ZMQ_LIB").join("libzmq.a"),
            libsodium: dir("DEP_ZMQ_SODIUM_LIB").join("libsodium.a"),
        };
        for file in [
            inputs.src.join("include/zmq.h"),
            inputs.build.join("platform.hpp"),
            inputs.libzmq.clone(),
            inputs.libsodium.clone(),
        ] {
            require(&file);
        }
        println!("cargo:rerun-if-changed={}", inputs.libzmq.display());
        println!("cargo:rerun-if-changed={}", inputs.libsodium.display());
        Some(inputs)
    }
}

fn require(file: &Path) {
    if !file.is_file() {
        fail(&format!(
            "{} is missing: zmq-sys's vendored build did not leave what the perf tools need",
            file.display()
        ));
    }
}

/// Runs one compile-and-link command, failing the build with the compiler's
/// own output when it does not succeed.
fn compile(tool: &str, command: &mut Command) {
    let output = command.output().unwrap_or_else(|e| {
        fail(&format!(
            "cannot run the C++ compiler {:?} for {tool}: {e}",
            command.get_program()
        ))
    });
    if !output.status.success() {
        let args: Vec<_> = command.get_args().map(|a| a.to_string_lossy()).collect();
        fail(&format!(
            "compiling libzmq's perf tool {tool} failed ({}):\n{:?} {}\n{}{}",
            output.status,
            command.get_program(),
            args.join(" "),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr),
        ));
    }
}

/// Stops the build with a message.
fn fail(message: &str) -> ! {
    eprintln!("\nzmq-guide build failed:\n{message}\n");
    std::process::exit(1);
}
