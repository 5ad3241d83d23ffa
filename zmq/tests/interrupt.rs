//! Ctrl-C handling: a child process blocked in `recv` gets SIGINT or
//! SIGTERM, sees `Interrupted`, and exits 0 after closing its socket.
//!
//! This test has no libtest harness (`harness = false`): libtest runs tests
//! on spawned threads, and a signal sent to the process would interrupt
//! its main thread instead of the one blocked in libzmq. The binary plays
//! both roles: run plainly it is the parent; with `CHILD_ENV` set it is the
//! child, blocked in `recv` on its main thread like the guide's example.

use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use zmq::{ErrorKind, SocketType, interrupt};

const CHILD_ENV: &str = "ZMQ_INTERRUPT_TEST_CHILD";
const STOPPING: &str = "W: interrupt received, stopping...";

fn main() {
    if std::env::var_os(CHILD_ENV).is_some() {
        child();
        return;
    }
    for (signal, name) in [(libc::SIGINT, "SIGINT"), (libc::SIGTERM, "SIGTERM")] {
        blocked_recv_ends_cleanly_on(signal, name);
        println!("test blocked_recv_ends_cleanly_on_{name} ... ok");
    }
    interrupted_is_false_without_a_signal();
    println!("test interrupted_is_false_without_a_signal ... ok");
}

/// The guide's interrupt example: block in recv until a signal arrives.
fn child() {
    interrupt::catch_signals().expect("install handlers");
    let ctx = zmq::Context::new().expect("context");
    let socket = ctx.socket(SocketType::Rep).expect("socket");
    socket.bind("tcp://127.0.0.1:*").expect("bind");
    println!("ready");
    match socket.recv() {
        Err(e) if e.kind() == ErrorKind::Interrupted && interrupt::interrupted() => {
            println!("{STOPPING}");
        }
        other => {
            eprintln!("unexpected result of recv: {other:?}");
            std::process::exit(2);
        }
    }
    socket.close().expect("close");
    drop(ctx);
}

fn blocked_recv_ends_cleanly_on(signal: libc::c_int, name: &str) {
    let exe = std::env::current_exe().expect("test binary path");
    let mut child = Command::new(exe)
        .env(CHILD_ENV, "1")
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn child");
    let mut stdout = BufReader::new(child.stdout.take().expect("child stdout"));
    let mut line = String::new();
    stdout.read_line(&mut line).expect("read child stdout");
    assert_eq!(line.trim_end(), "ready");

    let pid = libc::pid_t::try_from(child.id()).expect("pid fits pid_t");
    let deadline = Instant::now() + Duration::from_secs(10);
    // The child may not be inside recv yet when the first signal arrives
    // (it would then block afterwards): repeat until it exits.
    let status = loop {
        // SAFETY: kill has no memory-safety preconditions; pid is our child,
        // not yet reaped (try_wait below has not returned its status).
        unsafe { libc::kill(pid, signal) };
        thread::sleep(Duration::from_millis(50));
        if let Some(status) = child.try_wait().expect("wait for child") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("child ignored {name} for 10 s");
        }
    };
    let mut rest = String::new();
    stdout.read_to_string(&mut rest).expect("read child stdout");
    assert!(status.success(), "child exited with {status} after {name}");
    assert_eq!(rest.trim_end(), STOPPING, "child output after {name}");
}

fn interrupted_is_false_without_a_signal() {
    interrupt::catch_signals().expect("install handlers");
    interrupt::catch_signals().expect("installing twice is harmless");
    assert!(!interrupt::interrupted());
    interrupt::reset();
    assert!(!interrupt::interrupted());
}
