//! Runs the ported guide examples as processes, for the end-to-end tests.
//!
//! Each test binary under `tests/` that exercises examples says `mod common;`
//! and then, per test:
//!
//! ```ignore
//! let scenario = Scenario::new();                 // unique ports + IPC dir
//! let server = scenario.spawn("hwserver", &[]);   // runs in the background
//! let client = scenario.run("hwclient", &[], TIMEOUT); // waits, or kills and fails
//! assert_eq!(client.lines()[0], "Connecting to hello world server...");
//! server.stop();                                  // kills it, returns its output
//! ```
//!
//! Every process of one [`Scenario`] gets the same `ZGUIDE_PORT_OFFSET` and
//! `ZGUIDE_IPC_DIR` (see `zmq_guide::endpoint`), so the processes of one test
//! find each other while tests running side by side, in this binary or in
//! another test binary started at the same time, never share a port or an
//! IPC file.
//!
//! The binaries are the ones `cargo test` builds into
//! `target/<profile>/examples/`, found next to the running test executable.
//! A filtered run (`cargo test --test guide_ch1`) does not build examples:
//! run `cargo build --examples` first. A missing or stale binary (older than
//! its source) fails the test with a message saying so.
//!
//! [`Scenario::unshifted`] runs ports beside their Python originals
//! ([`Scenario::spawn_python`]) on the guide's own fixed ports, one such
//! scenario at a time; see `tests/guide_interop.rs`.
//!
//! Every wait has a timeout: on expiry the child is killed and the test fails
//! with everything the child printed. A [`Running`] child that is dropped
//! (for instance because the test panicked) is killed too.

// Each test binary uses a different subset of these helpers.
#![allow(dead_code)]

pub(crate) mod pipeline;

use std::io::{Read, Write};
use std::net::{TcpListener, UdpSocket};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant, SystemTime};

/// Distance between two scenarios' port offsets: wider than the span of
/// fixed ports the guide's examples use together (5555..5755).
///
/// Ports outside that span (Binary Star's 5003/5004, 6000/6001, 9000, 9876,
/// the UDP beacons' 9999) fall, for some other block, on a port of the
/// span: 6000 of one block is 5600 of the block two further on. So a block
/// is only handed to a scenario while no other live scenario, of any test
/// process on this machine, holds a block that shares a port with it (see
/// [`Reservation`]), and while its every shifted port is free to bind.
const BLOCK: u16 = 200;
/// The fixed ports the guide's examples use; a scenario's offset is only
/// handed out when all of these, shifted, are free to bind.
const GUIDE_PORTS: [std::ops::Range<u16>; 11] = [
    5000..5010,
    5550..5750,
    6000..6002,
    // pyzmq's monitoring examples.
    6666..6668,
    7103..7104,
    8100..8110,
    // pyzmq's asyncweb, its HTTP port.
    8888..8889,
    9000..9001,
    9876..9877,
    9999..10000,
    // pyzmq's heartbeat ping/pong.
    10111..10112,
];
/// The UDP ports: chapter 8's beacons, pyzmq's radio-dish. Checked with
/// UDP binds.
const GUIDE_UDP_PORTS: [u16; 2] = [5556, 9999];
/// Offsets stay below this so the highest shifted port is still valid.
const MAX_OFFSET: u16 = 65535 - 10112;

/// The next block this test binary will try, relative to its starting block.
static NEXT_BLOCK: AtomicU16 = AtomicU16::new(0);

/// Ports and IPC directory shared by the processes of one test.
#[derive(Debug)]
pub(crate) struct Scenario {
    offset: u16,
    ipc_dir: PathBuf,
    /// The block of ports this scenario holds until it is dropped.
    _reservation: Option<Reservation>,
    /// Held by an [`Scenario::unshifted`] scenario: the guide's own ports
    /// are shared by all of them.
    _exclusive: Option<MutexGuard<'static, ()>>,
}

/// Serialises the scenarios that use the guide's own, unshifted ports.
static UNSHIFTED: Mutex<()> = Mutex::new(());

impl Scenario {
    /// A fresh port offset and an empty IPC directory, both unique to this
    /// scenario.
    pub(crate) fn new() -> Self {
        let (offset, reservation) = allocate_offset();
        let ipc_dir = std::env::temp_dir().join(format!("zguide-{}-{offset}", std::process::id()));
        // A leftover from an earlier run with the same pid would hold stale
        // sockets; start clean.
        let _ = std::fs::remove_dir_all(&ipc_dir);
        std::fs::create_dir_all(&ipc_dir).expect("create the scenario's IPC directory");
        Scenario {
            offset,
            ipc_dir,
            _reservation: Some(reservation),
            _exclusive: None,
        }
    }

    /// A scenario on the guide's own ports and with `ipc://` files in the
    /// processes' working directory, as the Python originals have them: for
    /// running a port against its original ([`Scenario::spawn_python`]).
    /// Such scenarios run one at a time.
    pub(crate) fn unshifted() -> Self {
        let exclusive = UNSHIFTED.lock().unwrap_or_else(|e| e.into_inner());
        let ipc_dir = std::env::temp_dir().join(format!("zguide-{}-unshifted", std::process::id()));
        let _ = std::fs::remove_dir_all(&ipc_dir);
        std::fs::create_dir_all(&ipc_dir).expect("create the scenario's IPC directory");
        Scenario {
            offset: 0,
            ipc_dir,
            // Blocks that share a port with the guide's own are not handed
            // out while this one lives.
            _reservation: Reservation::wait_for(0),
            _exclusive: Some(exclusive),
        }
    }

    /// Every port this scenario's processes may bind: the guide's fixed
    /// ports, TCP and UDP, shifted.
    pub(crate) fn ports(&self) -> std::collections::BTreeSet<u16> {
        every_guide_port().map(|port| port + self.offset).collect()
    }

    /// The value of `ZGUIDE_PORT_OFFSET` for this scenario's processes.
    pub(crate) fn port_offset(&self) -> u16 {
        self.offset
    }

    /// The directory `ipc://` endpoints are moved into.
    pub(crate) fn ipc_dir(&self) -> &Path {
        &self.ipc_dir
    }

    /// `port` as this scenario's processes see it, e.g. to connect a test's
    /// own socket to an example.
    pub(crate) fn port(&self, port: u16) -> u16 {
        port + self.offset
    }

    /// Starts example `name` with `args` in the background.
    pub(crate) fn spawn(&self, name: &str, args: &[&str]) -> Running {
        self.spawn_with_env(name, args, &[])
    }

    /// [`Scenario::spawn`] with extra environment variables.
    pub(crate) fn spawn_with_env(
        &self,
        name: &str,
        args: &[&str],
        env: &[(&str, &str)],
    ) -> Running {
        let mut command = Command::new(example_path(name));
        command.args(args).envs(env.iter().copied());
        self.start(name, command)
    }

    /// [`Scenario::spawn_with_env`] with the ports shifted `shift` further
    /// than the scenario's other processes: a second instance of a server
    /// whose port is fixed (`flserver3` on 5555) listens on the next port.
    pub(crate) fn spawn_with_port_shift(
        &self,
        name: &str,
        args: &[&str],
        env: &[(&str, &str)],
        shift: u16,
    ) -> Running {
        assert_ne!(self.offset, 0, "an unshifted scenario cannot shift ports");
        let mut command = Command::new(example_path(name));
        command.args(args).envs(env.iter().copied());
        self.start_shifted(name, command, shift)
    }

    /// Starts the Python original `<script>.py` with `args`, from the folder
    /// named by `ZGUIDE_PYTHON_EXAMPLES` (the guide's `examples/Python`),
    /// run by `ZGUIDE_PYTHON` (default `python3`, which must have pyzmq).
    /// Only in an [`Scenario::unshifted`] scenario: the originals have fixed
    /// ports.
    pub(crate) fn spawn_python(&self, script: &str, args: &[&str]) -> Running {
        let python = std::env::var_os("ZGUIDE_PYTHON").unwrap_or_else(|| "python3".into());
        self.spawn_python_with(python.as_ref(), script, args)
    }

    /// Starts pyzmq's example `<folder>/<script>.py` (e.g. `pubsub/topics_pub`)
    /// with `args`, from the folder named by `PYZMQ_EXAMPLES` (pyzmq's
    /// `examples`), run by `ZGUIDE_PYTHON` (default `python3`, with pyzmq).
    /// Only in an [`Scenario::unshifted`] scenario.
    pub(crate) fn spawn_pyzmq(&self, script: &str, args: &[&str]) -> Running {
        let python = std::env::var_os("ZGUIDE_PYTHON").unwrap_or_else(|| "python3".into());
        let folder = std::env::var_os("PYZMQ_EXAMPLES")
            .expect("set PYZMQ_EXAMPLES to pyzmq's examples folder");
        self.spawn_script(python.as_ref(), Path::new(&folder), script, args)
    }

    /// [`Scenario::spawn_pyzmq`] with Python code run first, in the same
    /// interpreter: for the originals written for Python 2, whose str/bytes
    /// mix-ups the `prelude` papers over by patching pyzmq, not the script.
    pub(crate) fn spawn_pyzmq_patched(&self, script: &str, prelude: &str) -> Running {
        assert_eq!(self.offset, 0, "Python originals need Scenario::unshifted");
        let python = std::env::var_os("ZGUIDE_PYTHON").unwrap_or_else(|| "python3".into());
        let folder = std::env::var_os("PYZMQ_EXAMPLES")
            .expect("set PYZMQ_EXAMPLES to pyzmq's examples folder");
        let path = Path::new(&folder).join(format!("{script}.py"));
        let code = format!(
            "{prelude}\nimport runpy, sys\nsys.argv = [{path:?}]\nrunpy.run_path({path:?}, run_name='__main__')\n",
            path = path.display().to_string()
        );
        let mut command = Command::new(python);
        command.arg("-c").arg(code).env("PYTHONUNBUFFERED", "1");
        self.start(&format!("{script}.py"), command)
    }

    /// Runs `call`, a line of Python, with the functions of pyzmq's example
    /// `<script>.py` in scope: the script is loaded as a module, so its
    /// `__main__` part does not run. For one part of an original alone,
    /// such as `zmqlogger.py`'s `log_worker` without its watcher. Only in
    /// an [`Scenario::unshifted`] scenario.
    pub(crate) fn spawn_pyzmq_function(&self, script: &str, call: &str) -> Running {
        assert_eq!(self.offset, 0, "Python originals need Scenario::unshifted");
        let python = std::env::var_os("ZGUIDE_PYTHON").unwrap_or_else(|| "python3".into());
        let folder = std::env::var_os("PYZMQ_EXAMPLES")
            .expect("set PYZMQ_EXAMPLES to pyzmq's examples folder");
        let path = Path::new(&folder).join(format!("{script}.py"));
        let code = format!(
            "import runpy\nglobals().update(runpy.run_path({path:?}))\n{call}\n",
            path = path.display().to_string()
        );
        let mut command = Command::new(python);
        command.arg("-c").arg(code).env("PYTHONUNBUFFERED", "1");
        self.start(&format!("{script}.py: {call}"), command)
    }

    /// [`Scenario::spawn_python`] for the originals that only Python 2 runs
    /// (print statements, text frames), with the interpreter named by
    /// `ZGUIDE_PYTHON2` (default `python2`, which must have pyzmq).
    pub(crate) fn spawn_python2(&self, script: &str, args: &[&str]) -> Running {
        let python = std::env::var_os("ZGUIDE_PYTHON2").unwrap_or_else(|| "python2".into());
        self.spawn_python_with(python.as_ref(), script, args)
    }

    /// Runs a Python script of ours (`scripts/...`) with `args`, by
    /// `ZGUIDE_PYTHON` (default `python3`), in the scenario's directory.
    pub(crate) fn spawn_python_script(&self, script: &Path, args: &[&str]) -> Running {
        let python = std::env::var_os("ZGUIDE_PYTHON").unwrap_or_else(|| "python3".into());
        let mut command = Command::new(python);
        command.arg(script).args(args).env("PYTHONUNBUFFERED", "1");
        self.start(&script.display().to_string(), command)
    }

    fn spawn_python_with(&self, python: &std::ffi::OsStr, script: &str, args: &[&str]) -> Running {
        let folder = std::env::var_os("ZGUIDE_PYTHON_EXAMPLES")
            .expect("set ZGUIDE_PYTHON_EXAMPLES to the guide's examples/Python folder");
        self.spawn_script(python, Path::new(&folder), script, args)
    }

    fn spawn_script(
        &self,
        python: &std::ffi::OsStr,
        folder: &Path,
        script: &str,
        args: &[&str],
    ) -> Running {
        assert_eq!(self.offset, 0, "Python originals need Scenario::unshifted");
        let mut command = Command::new(python);
        command
            .arg(folder.join(format!("{script}.py")))
            .args(args)
            .env("PYTHONUNBUFFERED", "1");
        self.start(&format!("{script}.py"), command)
    }

    fn start(&self, name: &str, command: Command) -> Running {
        self.start_shifted(name, command, 0)
    }

    fn start_shifted(&self, name: &str, mut command: Command, shift: u16) -> Running {
        if self.offset == 0 {
            // Unshifted: IPC files relative to the working directory, as the
            // originals expect.
            command.current_dir(&self.ipc_dir);
        } else {
            command
                .env("ZGUIDE_PORT_OFFSET", (self.offset + shift).to_string())
                .env("ZGUIDE_IPC_DIR", &self.ipc_dir);
        }
        launch(name, command)
    }

    /// Runs example `name` to completion: its output, or a failed test if it
    /// takes longer than `timeout` or exits unsuccessfully.
    pub(crate) fn run(&self, name: &str, args: &[&str], timeout: Duration) -> Finished {
        self.spawn(name, args).wait(timeout).success()
    }
}

/// Starts example `name` outside any scenario, with exactly the `ZGUIDE_*`
/// variables in `env` (e.g. a malformed `ZGUIDE_PORT_OFFSET`), for examples
/// that must exit before they touch the network.
pub(crate) fn spawn_outside_a_scenario(name: &str, env: &[(&str, &str)]) -> Running {
    let mut command = Command::new(example_path(name));
    for (var, _) in std::env::vars_os() {
        if var.to_string_lossy().starts_with("ZGUIDE_") {
            command.env_remove(var);
        }
    }
    command.envs(env.iter().copied());
    launch(name, command)
}

/// Starts `command` with its three standard streams piped.
fn launch(name: &str, mut command: Command) -> Running {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {name}: {e}"));
    let stdout = Captured::start(child.stdout.take().expect("piped stdout"));
    let stderr = Captured::start(child.stderr.take().expect("piped stderr"));
    let stdin = child.stdin.take();
    Running {
        name: name.to_owned(),
        child,
        stdin,
        stdout,
        stderr,
    }
}

impl Drop for Scenario {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.ipc_dir);
    }
}

/// Picks an offset whose block no other live scenario on this machine
/// shares a port with (see [`Reservation`]) and whose shifted guide ports
/// are free right now, and returns it with the reservation that holds it.
/// The starting block depends on the process id, so test binaries running
/// at the same time start far apart.
fn allocate_offset() -> (u16, Reservation) {
    let blocks = MAX_OFFSET / BLOCK;
    // Block 0 (offset 0) is left to people running the examples by hand.
    let first = 1 + (std::process::id() % u32::from(blocks - 1)) as u16;
    for _ in 0..blocks {
        let step = NEXT_BLOCK.fetch_add(1, Ordering::Relaxed);
        let block = 1 + (first - 1 + step) % (blocks - 1);
        let offset = block * BLOCK;
        let Some(reservation) = Reservation::take(block) else {
            continue;
        };
        if guide_ports_free(offset) {
            return (offset, reservation);
        }
    }
    panic!("no free block of ports for the example tests");
}

/// A block of ports held by a live scenario, seen by every test process on
/// this machine: an exclusive `flock` on the block's file in a shared
/// directory, released when the scenario is dropped or its process dies.
///
/// Checking that a block's ports are free is not enough: a scenario's
/// examples bind their ports only once they have started, which on a
/// loaded machine takes a while, and meanwhile a scenario on an
/// overlapping block (one whose shifted ports meet this one's, in this
/// test binary or in another) would find the same ports free and use them
/// too. The failure was an example that could not bind ("Address already
/// in use") and a test that waited for it until its timeout.
#[derive(Debug)]
pub(crate) struct Reservation {
    _lock: std::fs::File,
}

impl Reservation {
    /// Holds `block` if neither it nor any block sharing a port with it is
    /// held; `None` otherwise.
    ///
    /// Each scenario locks its own block before it looks at the others, so
    /// of two scenarios taking overlapping blocks at the same time at least
    /// one sees the other's lock and moves on.
    fn take(block: u16) -> Option<Self> {
        let own = lock_block(block)?;
        let overlapping = overlapping_blocks(block)
            .into_iter()
            .any(|other| lock_block(other).is_none());
        (!overlapping).then_some(Reservation { _lock: own })
    }

    /// [`Reservation::take`] for `block`, retried until it succeeds or a
    /// minute has passed (`None` then: the caller goes on unprotected, as
    /// before reservations existed).
    fn wait_for(block: u16) -> Option<Self> {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Some(reservation) = Self::take(block) {
                return Some(reservation);
            }
            if Instant::now() >= deadline {
                return None;
            }
            thread::sleep(Duration::from_millis(50));
        }
    }
}

/// Locks the file of `block` in the shared reservation directory without
/// waiting: the open file holding the lock, or `None` if another holds it.
/// (Elsewhere than on Unix the file is opened but not locked.)
fn lock_block(block: u16) -> Option<std::fs::File> {
    let dir = std::env::temp_dir().join("zguide-port-blocks");
    std::fs::create_dir_all(&dir).expect("create the port reservation directory");
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(dir.join(format!("{block}.lock")))
        .expect("open a port reservation file");
    #[cfg(unix)]
    {
        use std::os::fd::AsRawFd;
        // SAFETY: flock(2) on a descriptor this function owns; the lock
        // lives as long as the returned file.
        let rc = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
        if rc != 0 {
            return None;
        }
    }
    Some(file)
}

/// Every fixed port of the guide's examples, TCP and UDP, unshifted.
fn every_guide_port() -> impl Iterator<Item = u16> {
    GUIDE_PORTS
        .iter()
        .flat_map(|range| range.clone())
        .chain(GUIDE_UDP_PORTS)
}

/// The other blocks (block 0 included: the guide's own ports) that share a
/// port with `block`.
fn overlapping_blocks(block: u16) -> Vec<u16> {
    let ports: Vec<i32> = every_guide_port().map(i32::from).collect();
    let mut distances: Vec<i32> = ports
        .iter()
        .flat_map(|p| ports.iter().map(move |q| p - q))
        .filter(|distance| *distance > 0 && distance % i32::from(BLOCK) == 0)
        .map(|distance| distance / i32::from(BLOCK))
        .collect();
    distances.sort_unstable();
    distances.dedup();
    let highest = i32::from(MAX_OFFSET / BLOCK);
    distances
        .iter()
        .flat_map(|d| [i32::from(block) - d, i32::from(block) + d])
        .filter(|other| (0..=highest).contains(other))
        .map(|other| u16::try_from(other).expect("a block number"))
        .collect()
}

fn guide_ports_free(offset: u16) -> bool {
    GUIDE_PORTS
        .iter()
        .flat_map(|range| range.clone())
        .all(|port| TcpListener::bind(("0.0.0.0", port + offset)).is_ok())
        && GUIDE_UDP_PORTS
            .iter()
            .all(|port| UdpSocket::bind(("0.0.0.0", port + offset)).is_ok())
}

/// Where `cargo test` put example `name`: `target/<profile>/examples/`, the
/// test executable being `target/<profile>/deps/<test>-<hash>`.
/// The source file of example `name`: the `path` of its `[[example]]` entry
/// in the root Cargo.toml (examples live in one folder per collection), or
/// `examples/<name>.rs` for one cargo found by itself.
fn example_source(name: &str) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).expect("read Cargo.toml");
    let wanted = format!("name = \"{name}\"");
    manifest
        .split("[[example]]")
        .skip(1)
        .filter(|entry| entry.lines().any(|line| line.trim() == wanted))
        .find_map(|entry| {
            let line = entry
                .lines()
                .find(|line| line.trim().starts_with("path = "))?;
            Some(root.join(line.trim().trim_start_matches("path = ").trim_matches('"')))
        })
        .unwrap_or_else(|| root.join("examples").join(format!("{name}.rs")))
}

pub(crate) fn example_path(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("the test executable's path");
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("test executable under target/<profile>/deps");
    let path = profile_dir
        .join("examples")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    let built = modified(&path).unwrap_or_else(|| {
        panic!(
            "{} is not built: run `cargo test` (it builds the examples) or \
             `cargo build --examples` first",
            path.display()
        )
    });
    let source = example_source(name);
    if modified(&source).is_some_and(|edited| edited > built) {
        panic!(
            "{} is older than {}: run `cargo build --examples` first",
            path.display(),
            source.display()
        );
    }
    path
}

fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// One pipe of a child, read to its end by a thread.
#[derive(Debug)]
struct Captured {
    text: Arc<Mutex<String>>,
    reader: Option<JoinHandle<()>>,
}

impl Captured {
    fn start(mut pipe: impl Read + Send + 'static) -> Self {
        let text = Arc::new(Mutex::new(String::new()));
        let sink = Arc::clone(&text);
        let reader = thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = pipe.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock()
                    .expect("capture lock")
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        Captured {
            text,
            reader: Some(reader),
        }
    }

    /// A placeholder left behind when the real capture is taken.
    fn empty() -> Self {
        Captured {
            text: Arc::default(),
            reader: None,
        }
    }

    fn snapshot(&self) -> String {
        self.text.lock().expect("capture lock").clone()
    }

    /// Everything, once the child has exited and the pipe is closed.
    fn finish(mut self) -> String {
        if let Some(reader) = self.reader.take() {
            let _ = reader.join();
        }
        self.snapshot()
    }
}

/// An example running in the background; killed when dropped.
#[derive(Debug)]
pub(crate) struct Running {
    name: String,
    child: Child,
    stdin: Option<ChildStdin>,
    stdout: Captured,
    stderr: Captured,
}

impl Running {
    /// Writes `text` to the child's standard input (e.g. the "\n" taskvent
    /// waits for).
    pub(crate) fn write_stdin(&mut self, text: &str) {
        let stdin = self.stdin.as_mut().expect("stdin still open");
        stdin
            .write_all(text.as_bytes())
            .and_then(|()| stdin.flush())
            .unwrap_or_else(|e| panic!("{}: cannot write to stdin: {e}", self.name));
    }

    /// What the child printed so far.
    pub(crate) fn stdout_so_far(&self) -> String {
        self.stdout.snapshot()
    }

    /// What the child printed to stderr so far (e.g. its log lines).
    pub(crate) fn stderr_so_far(&self) -> String {
        self.stderr.snapshot()
    }

    /// Closes the child's standard input, so it reads the end of it.
    pub(crate) fn close_stdin(mut self) -> Self {
        drop(self.stdin.take());
        self
    }

    /// The child's process id.
    pub(crate) fn id(&self) -> u32 {
        self.child.id()
    }

    /// True while the child has not exited.
    pub(crate) fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Waits until `done(stdout, stderr)` holds for what the child printed
    /// so far, checking every 20 ms; after `timeout` fails the test, naming
    /// `what` and showing both outputs.
    pub(crate) fn wait_until(
        &self,
        what: &str,
        timeout: Duration,
        done: impl Fn(&str, &str) -> bool,
    ) {
        let deadline = Instant::now() + timeout;
        loop {
            let (out, err) = (self.stdout_so_far(), self.stderr_so_far());
            if done(&out, &err) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "no {what} within {timeout:?}\n--- stdout ---\n{out}\n--- stderr ---\n{err}"
            );
            thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits until something accepts TCP connections on 127.0.0.1:`port`
    /// (the child has bound it), trying every 20 ms; after `timeout` fails
    /// the test, showing both outputs.
    pub(crate) fn wait_for_listener(&self, port: u16, timeout: Duration) {
        self.wait_until(&format!("listener on port {port}"), timeout, |_, _| {
            std::net::TcpStream::connect(("127.0.0.1", port)).is_ok()
        });
    }

    /// Waits until the child's stdout contains `needle`; on timeout kills it
    /// and fails the test.
    pub(crate) fn wait_for_output(&mut self, needle: &str, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        while !self.stdout.snapshot().contains(needle) {
            if Instant::now() >= deadline {
                self.fail(&format!("did not print {needle:?} within {timeout:?}"));
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                // Let the reader catch up with the last bytes before judging.
                thread::sleep(Duration::from_millis(50));
                if !self.stdout.snapshot().contains(needle) {
                    self.fail(&format!("exited ({status}) without printing {needle:?}"));
                }
            }
            thread::sleep(Duration::from_millis(10));
        }
    }

    /// Waits until the child's stderr contains `needle` (its log lines);
    /// on timeout kills it and fails the test.
    pub(crate) fn wait_for_stderr(&mut self, needle: &str, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        while !self.stderr.snapshot().contains(needle) {
            if Instant::now() >= deadline {
                self.fail(&format!("did not log {needle:?} within {timeout:?}"));
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                thread::sleep(Duration::from_millis(50));
                if !self.stderr.snapshot().contains(needle) {
                    self.fail(&format!("exited ({status}) without logging {needle:?}"));
                }
            }
            thread::sleep(Duration::from_millis(10));
        }
    }

    /// Waits for the child to exit on its own; on timeout kills it and fails
    /// the test.
    pub(crate) fn wait(mut self, timeout: Duration) -> Finished {
        let deadline = Instant::now() + timeout;
        loop {
            match self.child.try_wait() {
                Ok(Some(_)) => return self.collect(),
                Ok(None) if Instant::now() >= deadline => {
                    self.fail(&format!("still running after {timeout:?}"))
                }
                Ok(None) => thread::sleep(Duration::from_millis(10)),
                Err(e) => self.fail(&format!("cannot wait: {e}")),
            }
        }
    }

    /// Kills the child with SIGKILL and reaps it, without waiting for its
    /// output: for a process replaced in place by a new one (`running =
    /// scenario.spawn(..)` after it).
    pub(crate) fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Kills the child with SIGKILL (a server that never exits on its own,
    /// or a crash staged for real) and returns what it printed.
    pub(crate) fn stop(mut self) -> Finished {
        let _ = self.child.kill();
        self.collect()
    }

    /// Sends SIGINT, as Ctrl-C in a terminal would; nothing if the child
    /// has already exited.
    #[cfg(unix)]
    pub(crate) fn interrupt(&mut self) {
        if !self.is_running() {
            return;
        }
        let pid = libc::pid_t::try_from(self.child.id()).expect("pid fits pid_t");
        // SAFETY: kill(2) takes plain integers; the child is ours and was not
        // reaped just above, so its pid cannot have been reused.
        let rc = unsafe { libc::kill(pid, libc::SIGINT) };
        assert_eq!(
            rc,
            0,
            "kill({pid}, SIGINT): {}",
            std::io::Error::last_os_error()
        );
    }

    /// Sends SIGINT every 100 ms until the child exits, and returns what it
    /// printed; fails the test if it is still running after `timeout`. One
    /// signal is not enough: one that lands after the child last looked at
    /// its interrupt flag but before it blocks does not wake it; the next
    /// one does.
    #[cfg(unix)]
    pub(crate) fn interrupt_until_exit(mut self, timeout: Duration) -> Finished {
        let deadline = Instant::now() + timeout;
        while self.is_running() && Instant::now() < deadline {
            self.interrupt();
            thread::sleep(Duration::from_millis(100));
        }
        self.wait(Duration::from_secs(1))
    }

    fn collect(mut self) -> Finished {
        let status = self.child.wait().expect("wait for the child");
        drop(self.stdin.take());
        let stdout = std::mem::replace(&mut self.stdout, Captured::empty()).finish();
        let stderr = std::mem::replace(&mut self.stderr, Captured::empty()).finish();
        Finished {
            name: self.name.clone(),
            status,
            stdout,
            stderr,
        }
    }

    fn fail(&mut self, why: &str) -> ! {
        let _ = self.child.kill();
        let _ = self.child.wait();
        panic!(
            "{} {why}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.name,
            self.stdout.snapshot(),
            self.stderr.snapshot()
        );
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// A child that has exited, with everything it printed.
#[derive(Debug)]
pub(crate) struct Finished {
    /// The example's name.
    pub(crate) name: String,
    /// How it exited.
    pub(crate) status: ExitStatus,
    /// Its standard output.
    pub(crate) stdout: String,
    /// Its standard error.
    pub(crate) stderr: String,
}

impl Finished {
    /// Itself if the child exited with status 0; a failed test otherwise.
    pub(crate) fn success(self) -> Self {
        assert!(
            self.status.success(),
            "{} exited with {}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.name,
            self.status,
            self.stdout,
            self.stderr
        );
        self
    }

    /// Itself if the child printed nothing at all, on either stream (a
    /// broker or a publisher that only relays); a failed test otherwise.
    pub(crate) fn silent(self) -> Self {
        assert!(
            self.stdout.is_empty() && self.stderr.is_empty(),
            "{} should print nothing\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.name,
            self.stdout,
            self.stderr
        );
        self
    }

    /// Its standard output, line by line.
    pub(crate) fn lines(&self) -> Vec<&str> {
        self.stdout.lines().collect()
    }
}
