//! The implementations the comparison runs side by side: libzmq's own perf
//! tools (C++), their ports over this crate, and the peers a user might pick
//! instead. A peer is one entry of [`PEERS`]: a name, how to build it, and
//! how to start one of its tools (the perf-tool protocol: `local_thr`,
//! `remote_thr`, `local_lat`, `remote_lat`, `inproc_thr`, `inproc_lat`,
//! `zero_copy_thr`, with libzmq's arguments and report lines).

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use zmq_guide::perf;

/// How to start the tools of one implementation.
#[derive(Debug, Clone)]
pub(crate) enum Launcher {
    /// One executable per tool, named after it, in a directory.
    Directory(PathBuf),
    /// The Rust ports in `src/bin/`, built by cargo beside this benchmark.
    Ports,
    /// Their async versions over `zmq::asyncio` (`src/bin/async_*.rs`), built
    /// when the benchmark is built with `--features tokio`.
    #[cfg(feature = "tokio")]
    AsyncPorts,
    /// One program for all tools: `<program> <leading args> <tool> <args>`.
    Multi {
        program: PathBuf,
        leading: Vec<OsString>,
    },
}

/// One implementation in the comparison.
#[derive(Debug, Clone)]
pub(crate) struct Implementation {
    /// Short name, used in the JSON and on the command line.
    pub(crate) key: String,
    /// The name in the table and the plot.
    pub(crate) label: String,
    pub(crate) launcher: Launcher,
    /// Whether it has the inproc tools (`inproc_thr`, `inproc_lat`,
    /// `zero_copy_thr`); one without only gets the tcp rows.
    pub(crate) inproc: bool,
    /// Environment variables its tools run with (a tuned run of this
    /// crate's ports: `ZMQ_PERF_BATCH_SIZE`).
    pub(crate) env: Vec<(String, String)>,
}

impl Implementation {
    /// libzmq's own perf tools, compiled by the root build.rs against the
    /// libzmq that zmq-sys built: the yardstick every ratio is taken to.
    pub(crate) fn libzmq() -> Result<Implementation, String> {
        let dir = perf::perf_dir().ok_or(
            "libzmq's perf tools were not built (zmq-sys links a system libzmq); \
             build with the default `vendored` feature",
        )?;
        Ok(Implementation {
            key: "libzmq".into(),
            label: "libzmq (C++)".into(),
            launcher: Launcher::Directory(dir.to_owned()),
            inproc: true,
            env: Vec::new(),
        })
    }

    /// The Rust ports over this crate.
    pub(crate) fn ours() -> Implementation {
        Implementation {
            key: "zmq".into(),
            label: "zmq (this crate)".into(),
            launcher: Launcher::Ports,
            inproc: true,
            env: Vec::new(),
        }
    }

    /// The async ports over `zmq::asyncio` (tokio), which have no
    /// `zero_copy_thr`.
    #[cfg(feature = "tokio")]
    pub(crate) fn ours_async() -> Implementation {
        Implementation {
            key: "zmq-async".into(),
            label: "zmq async (tokio)".into(),
            launcher: Launcher::AsyncPorts,
            inproc: true,
            env: Vec::new(),
        }
    }

    /// `--batch-size SIZE`: `implementation` (this crate's blocking or async
    /// ports) with `ZMQ_IN_BATCH_SIZE` and `ZMQ_OUT_BATCH_SIZE` set to
    /// `bytes` on both sides (`zmq_guide::perf::port::tune`), keyed
    /// `<key>@<size>` and labelled so that no one takes it for the default.
    pub(crate) fn with_batch_size(implementation: Implementation, bytes: u32) -> Implementation {
        let size = crate::report::size_label(bytes as usize).replace(' ', "");
        Implementation {
            key: format!("{}@{size}", implementation.key),
            label: format!("{} batch {size}", implementation.label),
            env: vec![("ZMQ_PERF_BATCH_SIZE".to_owned(), bytes.to_string())],
            ..implementation
        }
    }

    /// `--tools NAME=DIR`: another set of the C++ perf tools, such as those
    /// that scripts/libzmq_builds.sh links against other builds of libzmq.
    /// Without `zero_copy_thr` in DIR it gets no zero-copy rows.
    pub(crate) fn tools_in(name: &str, dir: &Path) -> Result<Implementation, String> {
        for tool in perf::TOOLS {
            if !dir.join(tool).is_file() {
                return Err(format!("--tools {name}={}: no {tool} there", dir.display()));
            }
        }
        Ok(Implementation {
            key: name.to_owned(),
            label: format!("{name} (C++)"),
            launcher: Launcher::Directory(dir.to_owned()),
            inproc: true,
            env: Vec::new(),
        })
    }

    /// The program and leading arguments that run `tool`.
    pub(crate) fn command(&self, tool: &str) -> (PathBuf, Vec<OsString>) {
        match &self.launcher {
            Launcher::Directory(dir) => (dir.join(tool), Vec::new()),
            Launcher::Ports => (PathBuf::from(port(tool)), Vec::new()),
            #[cfg(feature = "tokio")]
            Launcher::AsyncPorts => (PathBuf::from(async_port(tool)), Vec::new()),
            Launcher::Multi { program, leading } => {
                let mut args = leading.clone();
                args.push(tool.into());
                (program.clone(), args)
            }
        }
    }

    /// Whether this implementation has `tool`.
    pub(crate) fn has(&self, tool: &str) -> bool {
        match &self.launcher {
            Launcher::Directory(dir) => dir.join(tool).is_file(),
            #[cfg(feature = "tokio")]
            Launcher::AsyncPorts => !async_port(tool).is_empty(),
            Launcher::Ports | Launcher::Multi { .. } => {
                self.inproc || (!tool.starts_with("inproc") && tool != "zero_copy_thr")
            }
        }
    }
}

/// The Rust port of `tool`.
fn port(tool: &str) -> &'static str {
    match tool {
        "local_thr" => env!("CARGO_BIN_EXE_local_thr"),
        "remote_thr" => env!("CARGO_BIN_EXE_remote_thr"),
        "local_lat" => env!("CARGO_BIN_EXE_local_lat"),
        "remote_lat" => env!("CARGO_BIN_EXE_remote_lat"),
        "inproc_thr" => env!("CARGO_BIN_EXE_inproc_thr"),
        "inproc_lat" => env!("CARGO_BIN_EXE_inproc_lat"),
        "zero_copy_thr" => env!("CARGO_BIN_EXE_zero_copy_thr"),
        // No such port: starting "" fails with an error naming the tool.
        _ => "",
    }
}

/// The async port of `tool`, or "" for a tool it has none of.
#[cfg(feature = "tokio")]
fn async_port(tool: &str) -> &'static str {
    match tool {
        "local_thr" => env!("CARGO_BIN_EXE_async_local_thr"),
        "remote_thr" => env!("CARGO_BIN_EXE_async_remote_thr"),
        "local_lat" => env!("CARGO_BIN_EXE_async_local_lat"),
        "remote_lat" => env!("CARGO_BIN_EXE_async_remote_lat"),
        "inproc_thr" => env!("CARGO_BIN_EXE_async_inproc_thr"),
        "inproc_lat" => env!("CARGO_BIN_EXE_async_inproc_lat"),
        _ => "",
    }
}

/// A peer: another way to use libzmq, built on demand.
pub(crate) struct Peer {
    /// Its key (`--peers rust-zmq,pyzmq`).
    pub(crate) key: &'static str,
    /// Its name in the table and the plot.
    pub(crate) label: &'static str,
    /// Builds it (if needed) under `<target dir>/peers/` and says how to
    /// start its tools.
    pub(crate) build: fn(&Path) -> Result<Launcher, String>,
    /// Whether it has the inproc tools.
    pub(crate) inproc: bool,
}

/// Every blocking peer the comparison knows; the async ones are in
/// [`ASYNC_PEERS`]. This crate's own async layer runs beside the blocking
/// ports when the benchmark is built with `--features tokio`.
pub(crate) const PEERS: &[Peer] = &[
    Peer {
        key: "rust-zmq",
        label: "rust-zmq 0.10",
        build: build_rust_zmq,
        inproc: true,
    },
    Peer {
        key: "pyzmq",
        label: "pyzmq 27",
        build: build_pyzmq,
        inproc: true,
    },
];

/// The async peers, beside this crate's async layer: they join `--peers`
/// when the benchmark is built with `--features tokio`.
#[cfg(feature = "tokio")]
pub(crate) const ASYNC_PEERS: &[Peer] = &[
    Peer {
        key: "tmq",
        label: "tmq 0.5 (tokio)",
        build: build_tmq,
        inproc: true,
    },
    // zmq.rs 0.7 has no inproc transport: its rows are the tcp ones.
    Peer {
        key: "zmq.rs",
        label: "zmq.rs 0.7 (tokio)",
        build: build_zmq_rs,
        inproc: false,
    },
];

/// Every peer this build of the benchmark knows.
fn known_peers() -> Vec<&'static Peer> {
    let all = PEERS.iter();
    #[cfg(feature = "tokio")]
    let all = all.chain(ASYNC_PEERS);
    all.collect()
}

/// The peers named in `list` (comma-separated keys, or `all`), built.
pub(crate) fn build_peers(list: &str, target: &Path) -> Result<Vec<Implementation>, String> {
    let known = known_peers();
    let wanted: Vec<&Peer> = if list == "all" {
        known
    } else {
        list.split(',')
            .map(|key| {
                known.iter().copied().find(|p| p.key == key).ok_or_else(|| {
                    let keys: Vec<_> = known.iter().map(|p| p.key).collect();
                    format!("unknown peer {key:?}; known: all, {}", keys.join(", "))
                })
            })
            .collect::<Result<_, _>>()?
    };
    let dir = target.join("peers");
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    wanted
        .into_iter()
        .map(|peer| {
            let started = Instant::now();
            eprintln!("compare: building {} ...", peer.label);
            let launcher = (peer.build)(&dir)?;
            eprintln!(
                "compare: {} ready ({:.0} s)",
                peer.label,
                started.elapsed().as_secs_f64()
            );
            Ok(Implementation {
                key: peer.key.to_owned(),
                label: peer.label.to_owned(),
                launcher,
                inproc: peer.inproc,
                env: Vec::new(),
            })
        })
        .collect()
}

/// This package's directory (where `benches/peers/` lives).
fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs a build step, its output shown only when it fails.
fn run_step(what: &str, command: &mut Command) -> Result<(), String> {
    let output = command
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("{what}: cannot run {:?}: {e}", command.get_program()))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{what} failed ({}):\n{}{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

/// rust-zmq 0.10: `benches/peers/rust-zmq`, a cargo project of its own
/// (its zmq-sys declares `links = "zmq"` like ours), built in release mode
/// with its own libzmq (zeromq-src's `cc` build).
fn build_rust_zmq(dir: &Path) -> Result<Launcher, String> {
    let project = manifest_dir().join("benches/peers/rust-zmq");
    let target = dir.join("rust-zmq");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    run_step(
        "cargo build of benches/peers/rust-zmq",
        Command::new(cargo)
            .args(["build", "--release", "--locked", "--manifest-path"])
            .arg(project.join("Cargo.toml"))
            .arg("--target-dir")
            .arg(&target)
            // The variables cargo sets for this benchmark describe our
            // workspace, not that project.
            .env_remove("CARGO_TARGET_DIR")
            .env_remove("RUSTFLAGS")
            .env_remove("CARGO_ENCODED_RUSTFLAGS"),
    )?;
    Ok(Launcher::Multi {
        program: target.join("release/rust-zmq-perf"),
        leading: Vec::new(),
    })
}

/// Builds the cargo project `benches/peers/<name>` in release mode into
/// `<dir>/<name>` and returns the path of its program `binary`.
#[cfg(feature = "tokio")]
fn build_peer_project(dir: &Path, name: &str, binary: &str) -> Result<PathBuf, String> {
    let project = manifest_dir().join("benches/peers").join(name);
    let target = dir.join(name);
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    run_step(
        &format!("cargo build of benches/peers/{name}"),
        Command::new(cargo)
            .args(["build", "--release", "--locked", "--manifest-path"])
            .arg(project.join("Cargo.toml"))
            .arg("--target-dir")
            .arg(&target)
            .env_remove("CARGO_TARGET_DIR")
            .env_remove("RUSTFLAGS")
            .env_remove("CARGO_ENCODED_RUSTFLAGS"),
    )?;
    Ok(target.join("release").join(binary))
}

/// tmq 0.5: `benches/peers/tmq`, a cargo project of its own for the same
/// reason as rust-zmq's (tmq runs over rust-zmq and its libzmq).
#[cfg(feature = "tokio")]
fn build_tmq(dir: &Path) -> Result<Launcher, String> {
    Ok(Launcher::Multi {
        program: build_peer_project(dir, "tmq", "tmq-perf")?,
        leading: Vec::new(),
    })
}

/// zmq.rs 0.7 (the `zeromq` crate): `benches/peers/zmq.rs`, a cargo project
/// of its own so that its dependencies stay out of ours.
#[cfg(feature = "tokio")]
fn build_zmq_rs(dir: &Path) -> Result<Launcher, String> {
    Ok(Launcher::Multi {
        program: build_peer_project(dir, "zmq.rs", "zmqrs-perf")?,
        leading: Vec::new(),
    })
}

/// The pyzmq release the comparison installs.
const PYZMQ: &str = "pyzmq==27.1.0";

/// pyzmq: `benches/peers/pyzmq/perf.py`, run by the Python of a virtual
/// environment (`<target dir>/peers/pyzmq-venv`) that this step creates with
/// `python3 -m venv` and fills with `pip install pyzmq` (a wheel that bundles
/// its own libzmq) unless it already has that release.
fn build_pyzmq(dir: &Path) -> Result<Launcher, String> {
    let venv = dir.join("pyzmq-venv");
    let python = venv.join("bin/python");
    let wanted = PYZMQ.trim_start_matches("pyzmq==");
    let installed = Command::new(&python)
        .args(["-c", "import zmq; print(zmq.pyzmq_version())"])
        .output()
        .is_ok_and(|out| {
            out.status.success() && String::from_utf8_lossy(&out.stdout).trim() == wanted
        });
    if !installed {
        run_step(
            "python3 -m venv",
            Command::new("python3").args(["-m", "venv"]).arg(&venv),
        )?;
        run_step(
            "pip install pyzmq",
            Command::new(venv.join("bin/pip")).args(["install", "--quiet", PYZMQ]),
        )?;
    }
    Ok(Launcher::Multi {
        program: python,
        leading: vec![manifest_dir().join("benches/peers/pyzmq/perf.py").into()],
    })
}
