//! The default build: libzmq from the pinned source tree, compiled by CMake
//! out of tree in OUT_DIR as a static library, with CURVE through the static
//! libsodium that `libsodium-sys-stable` built.

use std::env;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{fail, pinned_version, source};

/// The version in the tree's `zmq.h`, which must be the pinned one unless
/// the tree came from `ZMQ_SRC_DIR`.
fn checked_version(src: &Path) -> String {
    let found =
        source::header_version(&src.join("include")).unwrap_or_else(|| "unknown".to_owned());
    let pinned = pinned_version();
    if found != pinned && env::var_os("ZMQ_SRC_DIR").is_none() {
        fail(&format!(
            "the tree at {} is libzmq {found}, but zmq-sys is pinned to {pinned}",
            src.display()
        ));
    }
    found
}

/// Check-only mode (`DOCS_RS` set, or `ZMQ_SYS_CHECK_ONLY=1`): no CMake, no
/// libsodium, nothing linked. Enough for `cargo check`, rustdoc and
/// compile-fail harnesses; anything that links fails with undefined symbols.
/// Returns the source tree's `include/` (empty when there is no tree: only
/// the `bindgen` feature needs the header then, and it fails).
pub(crate) fn check_only() -> PathBuf {
    println!("cargo:vendored=1");
    // Dependants (the root package's perf tools) must not expect a library.
    println!("cargo:check_only=1");
    let tree = match source::find() {
        Ok(tree) => tree,
        Err(_) if cfg!(not(feature = "bindgen")) => return PathBuf::new(),
        Err(why) => fail(&format!(
            "the `bindgen` feature needs zmq.h, even in check-only mode:\n{why}"
        )),
    };
    tree.announce();
    let src = tree.dir;
    let include = src.join("include");
    println!("cargo:include={}", include.display());
    println!("cargo:src={}", src.display());
    println!("cargo:version={}", checked_version(&src));
    include
}

/// Builds and links libzmq; returns the directory holding `zmq.h`.
pub(crate) fn build(draft: bool) -> PathBuf {
    require_cmake();
    let tree = source::locate();
    tree.announce();
    let src = tree.dir;
    let found = checked_version(&src);

    let sodium = Sodium::locate();
    let sodium_lib = sodium.lib.display().to_string();
    let sodium_archive = sodium.lib.join("libsodium.a");

    let out_dir = PathBuf::from(env::var("OUT_DIR").unwrap_or_default());
    let on_off = |flag: bool| if flag { "ON" } else { "OFF" };
    let mut config = cmake::Config::new(&src);
    config
        .out_dir(&out_dir)
        // libzmq is a dependency, not the code under debug: always optimise
        // it, so debug builds of users' programs and the benchmarks run the
        // same library code.
        .profile("Release")
        .define("BUILD_SHARED", "OFF")
        .define("BUILD_STATIC", "ON")
        .define("BUILD_TESTS", "OFF")
        .define("WITH_PERF_TOOL", "OFF")
        .define("WITH_DOCS", "OFF")
        .define("WITH_DOC", "OFF")
        .define("ENABLE_CPACK", "OFF")
        .define("ENABLE_DRAFTS", on_off(draft))
        .define("ENABLE_CURVE", "ON")
        .define("WITH_LIBSODIUM", "ON")
        .define("WITH_LIBSODIUM_STATIC", "ON")
        .define("SODIUM_LIBRARIES", &sodium_archive)
        // Optional system libraries would become link dependencies of every
        // user of the crate; the built-in fallbacks serve as well.
        .define("WITH_LIBBSD", "OFF")
        .define("WITH_TLS", "OFF")
        .define("WITH_NSS", "OFF")
        .define("WITH_OPENPGM", "OFF")
        .define("WITH_NORM", "OFF")
        .define("ENABLE_PRECOMPILED", "OFF")
        .define("CMAKE_INSTALL_LIBDIR", "lib")
        .define("CMAKE_POLICY_VERSION_MINIMUM", "3.5");
    if let Some(include) = &sodium.include {
        config.define("SODIUM_INCLUDE_DIRS", include);
    }
    // Flags for libzmq's C++ alone, where CXXFLAGS_<target> would reach
    // every C++ file of the build: the fuzz build instruments libzmq's
    // comparisons for libFuzzer, but not libFuzzer itself.
    println!("cargo:rerun-if-env-changed=ZMQ_CXXFLAGS");
    for flag in env::var("ZMQ_CXXFLAGS")
        .unwrap_or_default()
        .split_whitespace()
    {
        config.cxxflag(flag);
    }
    let installed = config.build();
    let lib_dir = installed.join("lib");
    let build_dir = installed.join("build");
    cache_getpid(&build_dir.join("lib/libzmq.a"), &lib_dir.join("libzmq.a"));

    println!("cargo:rustc-link-search=native={}", lib_dir.display());
    println!("cargo:rustc-link-lib=static=zmq");
    println!("cargo:rustc-link-search=native={sodium_lib}");
    println!("cargo:rustc-link-lib=static=sodium");
    link_platform_libs();

    let installed_include = installed.join("include");
    println!("cargo:root={}", installed.display());
    println!("cargo:include={}", installed_include.display());
    println!("cargo:lib={}", lib_dir.display());
    println!("cargo:version={found}");
    println!("cargo:vendored=1");
    // For the perf tools: the source tree (perf/*.cpp include "../include/zmq.h")
    // and the CMake build directory (where it generated platform.hpp).
    println!("cargo:src={}", src.display());
    println!("cargo:build={}", build_dir.display());
    println!("cargo:sodium_lib={sodium_lib}");
    installed_include
}

/// Makes `installed` (the `libzmq.a` that is linked) from CMake's `built`
/// archive, with libzmq's calls to `getpid` answered from a cache instead of
/// a system call each (see `build/getpid_cache.c`): `objcopy --redefine-sym`
/// renames them, and the cache's object joins the archive. Always starts
/// from CMake's own archive, so a rerun never renames the cache's own call.
///
/// Only for native Linux builds with an `objcopy` (`$OBJCOPY`, else
/// `objcopy`): elsewhere, or if a step fails (with a warning), the archive
/// stays as CMake installed it, which is correct, one system call per
/// signal slower.
fn cache_getpid(built: &Path, installed: &Path) {
    println!("cargo:rerun-if-env-changed=OBJCOPY");
    let target_os = env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    if target_os != "linux" || env::var("HOST").ok() != env::var("TARGET").ok() {
        return;
    }
    let warn = |why: String| {
        println!(
            "cargo:warning=libzmq keeps a getpid() system call per signal ({why}); \
             see vendor/README.md"
        );
    };
    let objcopy = env::var("OBJCOPY").unwrap_or_else(|_| "objcopy".to_owned());
    let renamed = installed.with_extension("renamed.a");
    match Command::new(&objcopy)
        .args(["--redefine-sym", "getpid=zmq_sys_cached_getpid"])
        .arg(built)
        .arg(&renamed)
        .output()
    {
        Ok(output) if output.status.success() => {}
        Ok(output) => {
            return warn(format!(
                "{objcopy} failed: {}",
                String::from_utf8_lossy(&output.stderr).trim()
            ));
        }
        Err(e) => return warn(format!("cannot run {objcopy}: {e}")),
    }
    let source =
        Path::new(&env::var("CARGO_MANIFEST_DIR").unwrap_or_default()).join("build/getpid_cache.c");
    let mut cc = cc::Build::new();
    cc.file(&source)
        .cargo_metadata(false)
        .opt_level(2)
        .warnings(false);
    let objects = match cc.try_compile_intermediates() {
        Ok(objects) => objects,
        Err(e) => return warn(format!("cannot compile {}: {e}", source.display())),
    };
    let mut ar = cc.get_archiver();
    match ar.arg("rs").arg(&renamed).args(&objects).output() {
        Ok(output) if output.status.success() => {}
        Ok(output) => {
            return warn(format!(
                "ar failed: {}",
                String::from_utf8_lossy(&output.stderr).trim()
            ));
        }
        Err(e) => return warn(format!("cannot run ar: {e}")),
    }
    if let Err(e) = std::fs::rename(&renamed, installed) {
        fail(&format!(
            "cannot move {} to {}: {e}",
            renamed.display(),
            installed.display()
        ));
    }
}

/// The static libsodium that libzmq's CURVE is built and linked with.
struct Sodium {
    /// Holds `sodium.h`; `None` leaves the search to CMake (standard paths).
    include: Option<PathBuf>,
    /// Holds `libsodium.a`.
    lib: PathBuf,
}

impl Sodium {
    /// Where libsodium-sys-stable put or found libsodium. By default it builds
    /// libsodium and publishes DEP_SODIUM_INCLUDE/LIB; with its switches
    /// SODIUM_LIB_DIR or SODIUM_USE_PKG_CONFIG it builds nothing and may
    /// publish nothing, so those switches are read here as well.
    fn locate() -> Sodium {
        for var in [
            "SODIUM_INCLUDE_DIR",
            "SODIUM_LIB_DIR",
            "SODIUM_USE_PKG_CONFIG",
        ] {
            println!("cargo:rerun-if-env-changed={var}");
        }
        let (sodium, origin) = if let Some(lib) = env::var_os("DEP_SODIUM_LIB") {
            let include = env::var_os("DEP_SODIUM_INCLUDE").map(PathBuf::from);
            (
                Sodium {
                    include,
                    lib: lib.into(),
                },
                "DEP_SODIUM_LIB from libsodium-sys-stable",
            )
        } else if let Some(lib) = env::var_os("SODIUM_LIB_DIR") {
            let lib = PathBuf::from(lib);
            // SODIUM_INCLUDE_DIR, else the usual prefix layout, else CMake's
            // standard search.
            let include = env::var_os("SODIUM_INCLUDE_DIR")
                .map(PathBuf::from)
                .or_else(|| {
                    let beside = lib.parent()?.join("include");
                    beside.join("sodium.h").is_file().then_some(beside)
                });
            (Sodium { include, lib }, "SODIUM_LIB_DIR")
        } else if env::var_os("SODIUM_USE_PKG_CONFIG").is_some() {
            let variable = |name| {
                pkg_config::get_variable("libsodium", name)
                    .ok()
                    .filter(|dir| !dir.is_empty())
                    .map(PathBuf::from)
            };
            let lib = variable("libdir").unwrap_or_else(|| {
                fail(
                    "SODIUM_USE_PKG_CONFIG is set, but pkg-config knows no libsodium libdir.\n\
                     Fix: install libsodium's development files (Debian: apt-get install \
                     libsodium-dev), or set SODIUM_LIB_DIR instead, or unset both to let \
                     libsodium-sys-stable build libsodium.",
                )
            });
            let include = env::var_os("SODIUM_INCLUDE_DIR")
                .map(PathBuf::from)
                .or_else(|| variable("includedir"));
            (Sodium { include, lib }, "pkg-config's libsodium libdir")
        } else {
            fail(
                "libsodium-sys-stable published no DEP_SODIUM_LIB, and neither SODIUM_LIB_DIR \
                 nor SODIUM_USE_PKG_CONFIG is set: there is no libsodium to build CURVE with.",
            )
        };
        let archive = sodium.lib.join("libsodium.a");
        if !archive.is_file() {
            fail(&format!(
                "{} (from {origin}) does not exist: libzmq links libsodium statically.\n\
                 Fix: point SODIUM_LIB_DIR at a directory holding libsodium.a (and \
                 SODIUM_INCLUDE_DIR at the one holding sodium.h, unless it is ../include or \
                 a standard path), or unset SODIUM_LIB_DIR and SODIUM_USE_PKG_CONFIG to let \
                 libsodium-sys-stable build it.",
                archive.display()
            ));
        }
        if let Some(include) = &sodium.include
            && !include.join("sodium.h").is_file()
        {
            fail(&format!(
                "{} holds no sodium.h: set SODIUM_INCLUDE_DIR to the directory that does.",
                include.display()
            ));
        }
        sodium
    }
}

/// Fails early, and says what to install, when the CMake that the `cmake`
/// crate would run (`$CMAKE`, else `cmake`) does not run.
fn require_cmake() {
    println!("cargo:rerun-if-env-changed=CMAKE");
    let cmake = env::var("CMAKE").unwrap_or_else(|_| "cmake".to_owned());
    let why = match Command::new(&cmake).arg("--version").output() {
        Ok(output) if output.status.success() => return,
        Ok(output) => format!(
            "`{cmake} --version` failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        ),
        Err(e) => format!("cannot run `{cmake} --version`: {e}"),
    };
    fail(&format!(
        "the vendored build compiles libzmq with CMake, and {why}.\n\
         Fix: install CMake (Debian: apt-get install cmake) or set CMAKE to its path; \
         or link an installed libzmq instead (--features system, or ZMQ_NO_VENDOR=1)."
    ));
}

/// libzmq is C++ and uses POSIX threads and clocks.
fn link_platform_libs() {
    let target_os = env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    match target_os.as_str() {
        "macos" | "ios" | "freebsd" | "openbsd" => println!("cargo:rustc-link-lib=c++"),
        "windows" => {
            for lib in ["ws2_32", "iphlpapi", "advapi32"] {
                println!("cargo:rustc-link-lib={lib}");
            }
        }
        _ => println!("cargo:rustc-link-lib=stdc++"),
    }
    if target_os == "linux" || target_os == "android" {
        println!("cargo:rustc-link-lib=pthread");
        println!("cargo:rustc-link-lib=rt");
    }
}
