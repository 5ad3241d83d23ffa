//! Helpers shared by the integration tests: sockets that cannot block
//! forever, endpoints for both transports, and a watchdog.

#![allow(dead_code, unreachable_pub)]

use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use zmq::{Context, PollEvents, Socket, SocketType, sockopt};

pub mod resources;

/// How long any single blocking call in a test may wait before the test
/// fails instead of hanging (times [`slowdown`]).
pub const TIMEOUT: Duration = Duration::from_secs(5);

/// The environment variable through which `scripts/valgrind.sh` and
/// `scripts/asan.sh` say how many times slower than native the tests run.
const SLOWDOWN: &str = "ZMQ_TEST_SLOWDOWN";

/// How many times slower than native this run is: 1 unless
/// [`SLOWDOWN`] says otherwise (at most 100). The deadlines of
/// [`socket`], [`watchdog`] and [`isolated`] stretch by it, so a run under
/// memcheck on a busy machine fails on a hang, not on its own slowness.
pub fn slowdown() -> u32 {
    std::env::var(SLOWDOWN)
        .ok()
        .and_then(|factor| factor.parse::<u32>().ok())
        .map_or(1, |factor| factor.clamp(1, 100))
}

/// `deadline` stretched by [`slowdown`].
pub fn scaled(deadline: Duration) -> Duration {
    deadline * slowdown()
}

/// A socket whose receives and sends give up after [`TIMEOUT`] (scaled)
/// and whose close never waits for undelivered messages.
pub fn socket(ctx: &Context, kind: SocketType) -> Socket {
    let socket = ctx.socket(kind).expect("create socket");
    socket
        .set(sockopt::RcvTimeo, Some(scaled(TIMEOUT)))
        .expect("RCVTIMEO");
    socket
        .set(sockopt::SndTimeo, Some(scaled(TIMEOUT)))
        .expect("SNDTIMEO");
    socket
        .set(sockopt::Linger, Some(Duration::ZERO))
        .expect("LINGER");
    socket
}

/// The transports every pattern is tested over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    /// `inproc://`, inside the test's own context.
    Inproc,
    /// `tcp://127.0.0.1:*`, the port picked by the OS.
    Tcp,
}

/// Binds `socket` on `transport` and returns the endpoint peers connect to.
/// `name` makes inproc endpoints distinct within one context.
pub fn bind(socket: &Socket, transport: Transport, name: &str) -> String {
    match transport {
        Transport::Inproc => {
            let endpoint = format!("inproc://{name}");
            socket.bind(&endpoint).expect("bind inproc");
            endpoint
        }
        Transport::Tcp => {
            socket.bind("tcp://127.0.0.1:*").expect("bind tcp");
            let endpoint = socket.last_endpoint().expect("last endpoint");
            assert!(
                endpoint.starts_with("tcp://127.0.0.1:") && !endpoint.ends_with(":*"),
                "last_endpoint should carry the chosen port, got {endpoint}"
            );
            endpoint
        }
    }
}

/// Declares `mod $name { fn inproc(); fn tcp(); }`, running the body once
/// per transport.
#[macro_export]
macro_rules! over_both_transports {
    ($(#[$meta:meta])* fn $name:ident($transport:ident: Transport) $body:block) => {
        $(#[$meta])*
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            fn run($transport: $crate::common::Transport) $body

            #[test]
            fn inproc() {
                run($crate::common::Transport::Inproc);
            }

            #[test]
            fn tcp() {
                run($crate::common::Transport::Tcp);
            }
        }
    };
}

/// Runs `work` on another thread and returns its result, failing the test
/// if it has not finished within `limit` times [`slowdown`] (instead of
/// hanging the suite).
pub fn watchdog<T: Send + 'static>(
    limit: Duration,
    what: &str,
    work: impl FnOnce() -> T + Send + 'static,
) -> T {
    let limit = scaled(limit);
    let (done, finished) = mpsc::channel();
    let handle = thread::spawn(move || {
        let _ = done.send(work());
    });
    match finished.recv_timeout(limit) {
        Ok(value) => {
            handle.join().expect("watched thread");
            value
        }
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("{what} did not finish within {limit:?}"),
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            // The thread panicked: re-raise its panic here.
            match handle.join() {
                Err(panic) => std::panic::resume_unwind(panic),
                Ok(()) => unreachable!("the thread sends before it ends"),
            }
        }
    }
}

/// Defeats the slow-joiner problem of PUB/SUB: publishes `topic` until the
/// subscriber (subscribed to it) receives one, within [`TIMEOUT`]. Copies
/// sent meanwhile may still arrive; receivers skip frames starting with
/// `topic`.
pub fn sync_subscriber(publisher: &Socket, subscriber: &Socket, topic: &str) {
    let deadline = Instant::now() + TIMEOUT;
    while Instant::now() < deadline {
        publisher.send(topic).expect("publish sync");
        let ready = subscriber
            .poll(PollEvents::POLLIN, Some(Duration::from_millis(20)))
            .expect("poll subscriber");
        if ready.contains(PollEvents::POLLIN) {
            let msg = subscriber.recv().expect("recv sync");
            assert!(msg.starts_with(topic.as_bytes()), "unexpected {msg:?}");
            return;
        }
    }
    panic!("subscriber never received {topic:?} within {TIMEOUT:?}");
}

/// Receives frames as text until one equals `end`, skipping those starting
/// with `skip`; returns those received before `end`.
pub fn recv_until(socket: &Socket, end: &str, skip: &str) -> Vec<String> {
    let mut received = Vec::new();
    loop {
        let text = socket.recv_string().expect("recv");
        if text == end {
            return received;
        }
        if !text.starts_with(skip) {
            received.push(text);
        }
    }
}

/// Runs every `*.rs` case in `dir` (relative to the crate) through trybuild
/// as code that must not compile, except the cases named in `skip`.
///
/// trybuild type-checks the cases in a cargo project of its own under
/// `target/tests/trybuild`, where zmq-sys's build script would compile
/// libsodium and libzmq once more (minutes on a small machine) for a library
/// that `cargo check` never links. zmq-sys's check-only mode skips that, and
/// `SODIUM_LIB_DIR` tells libsodium-sys-stable to take a prebuilt library
/// instead of compiling one; nothing is linked, so the directory is not
/// read.
pub fn compile_fail(dir: &str, skip: &[&str]) {
    // SAFETY: set before trybuild starts, in a test binary whose only test
    // is this one: no other thread of this process reads or writes the
    // environment meanwhile. The cargo process trybuild spawns inherits it.
    unsafe {
        std::env::set_var("ZMQ_SYS_CHECK_ONLY", "1");
        std::env::set_var("SODIUM_LIB_DIR", std::env::temp_dir());
    }
    let mut cases: Vec<_> = std::fs::read_dir(dir)
        .expect("read the compile-fail cases")
        .map(|entry| entry.expect("list a compile-fail case").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "rs"))
        .filter(|path| {
            let stem = path.file_stem().and_then(|stem| stem.to_str());
            !stem.is_some_and(|stem| skip.contains(&stem))
        })
        .collect();
    cases.sort();
    assert!(!cases.is_empty(), "no compile-fail cases in {dir}");
    let tests = trybuild::TestCases::new();
    for case in cases {
        tests.compile_fail(case);
    }
}

/// The environment variable that tells a child process which test to run.
const ISOLATED: &str = "ZMQ_RS_ISOLATED_TEST";

/// Runs `body` in a child process (this test binary again, running only
/// the calling test) and fails the test unless the child succeeds within
/// `limit` (times [`slowdown`]). For checks whose failure mode is an abort or a crash inside
/// libzmq: a regression then fails this one test, with the child's output,
/// instead of killing the whole test binary.
pub fn isolated(limit: Duration, body: impl FnOnce()) {
    let name = thread::current()
        .name()
        .expect("libtest names the thread of each test")
        .to_owned();
    if std::env::var(ISOLATED).as_deref() == Ok(name.as_str()) {
        body();
        return;
    }
    let exe = std::env::current_exe().expect("the test binary");
    let mut child = std::process::Command::new(exe)
        .args([name.as_str(), "--exact", "--test-threads=1", "--nocapture"])
        .env(ISOLATED, &name)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn the child test process");
    let limit = scaled(limit);
    let deadline = Instant::now() + limit;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for the child") {
            break Some(status);
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        thread::sleep(Duration::from_millis(10));
    };
    let output = child.wait_with_output().expect("the child's output");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    match status {
        Some(status) if status.success() && stdout.contains("1 passed") => {}
        Some(status) => {
            panic!("{name} failed in its child process ({status}):\n{stdout}\n{stderr}")
        }
        None => panic!(
            "{name} did not finish within {limit:?} in its child process:\n{stdout}\n{stderr}"
        ),
    }
}
