//! pyzmq's five security walk-throughs, ported under examples/security/,
//! run as processes: each must print its "test OK" line and exit cleanly.
//!
//! The example binaries come from `cargo test` (a filtered run such as
//! `cargo test --test security_examples` needs `cargo build --examples`
//! first). Each run gets its own port through `ZGUIDE_PORT_OFFSET`, so the
//! examples' fixed port 9000 never collides with a parallel run.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// Far longer than any of these runs takes, so only a hang trips it.
const TIMEOUT: Duration = Duration::from_secs(30);
/// The port the examples use.
const EXAMPLE_PORT: u16 = 9000;

/// The example binary built next to this test executable.
fn example_path(name: &str) -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let profile_dir = exe.parent().and_then(|deps| deps.parent()).unwrap();
    let path = profile_dir.join("examples").join(name);
    assert!(
        path.is_file(),
        "{} is missing: run `cargo build --examples` first",
        path.display()
    );
    path
}

/// An offset that moves port 9000 to a port free right now.
fn free_port_offset() -> u16 {
    loop {
        let listener = TcpListener::bind("0.0.0.0:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        if port > EXAMPLE_PORT {
            return port - EXAMPLE_PORT;
        }
    }
}

/// Runs an example to completion (killing it after [`TIMEOUT`]); returns
/// its pid and output.
fn run_example(name: &str, args: &[&str]) -> (u32, Output) {
    let mut child = Command::new(example_path(name))
        .args(args)
        .env("ZGUIDE_PORT_OFFSET", free_port_offset().to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let deadline = Instant::now() + TIMEOUT;
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            child.kill().unwrap();
            let output = child.wait_with_output().unwrap();
            panic!(
                "{name} hung; stdout: {:?} stderr: {:?}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            );
        }
        thread::sleep(Duration::from_millis(20));
    }
    (pid, child.wait_with_output().unwrap())
}

/// Runs an example and returns (stdout, stderr), asserting it succeeded.
fn run_ok(name: &str, args: &[&str]) -> (u32, String, String) {
    let (pid, output) = run_example(name, args);
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(
        output.status.success(),
        "{name} failed ({}); stdout: {stdout:?} stderr: {stderr:?}",
        output.status
    );
    (pid, stdout, stderr)
}

#[test]
fn grasslands_prints_ok() {
    let (_, stdout, stderr) = run_ok("grasslands", &[]);
    assert_eq!(stdout, "Grasslands test OK\n");
    assert_eq!(stderr, "");
}

#[test]
fn strawhouse_allows_then_denies_by_address() {
    let (_, stdout, stderr) = run_ok("strawhouse", &[]);
    assert_eq!(stdout, "");
    assert_eq!(stderr, "[INFO] Strawhouse test OK\n");
}

#[test]
fn woodhouse_accepts_the_password_and_refuses_a_bogus_one() {
    let (_, stdout, stderr) = run_ok("woodhouse", &[]);
    assert_eq!(stdout, "");
    assert_eq!(stderr, "[INFO] Woodhouse test OK\n");
}

/// Where a CURVE example keeps its certificates while it runs.
fn certificate_dir(example: &str, pid: u32) -> PathBuf {
    std::env::temp_dir().join(format!("zmq-security-{example}-{pid}"))
}

#[test]
fn stonehouse_connects_over_curve_and_removes_its_keys() {
    if !zmq::has(zmq::Capability::Curve) {
        return;
    }
    let (pid, stdout, stderr) = run_ok("stonehouse", &[]);
    assert_eq!(stdout, "");
    assert_eq!(stderr, "[INFO] Stonehouse test OK\n");
    assert!(!certificate_dir("stonehouse", pid).exists());
}

#[test]
fn ironhouse_connects_with_a_known_client_certificate_and_removes_its_keys() {
    if !zmq::has(zmq::Capability::Curve) {
        return;
    }
    let (pid, stdout, stderr) = run_ok("ironhouse", &[]);
    assert_eq!(stdout, "");
    assert_eq!(stderr, "[INFO] Ironhouse test OK\n");
    assert!(!certificate_dir("ironhouse", pid).exists());
}

#[test]
fn generate_certificates_sorts_public_and_secret_files() {
    if !zmq::has(zmq::Capability::Curve) {
        return;
    }
    let dir = std::env::temp_dir().join(format!("zmq-security-gen-test-{}", std::process::id()));
    let dir_arg = dir.to_string_lossy().into_owned();
    let (_, stdout, _) = run_ok("generate_certificates", &[&dir_arg]);
    assert_eq!(stdout.trim_end(), dir_arg);

    let list = |sub: &str| {
        let mut names: Vec<String> = std::fs::read_dir(dir.join(sub))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    assert!(list("certificates").is_empty());
    assert_eq!(list("public_keys"), ["client.key", "server.key"]);
    assert_eq!(
        list("private_keys"),
        ["client.key_secret", "server.key_secret"]
    );

    let public = zmq::cert::Certificate::load(dir.join("public_keys/server.key")).unwrap();
    let secret = zmq::cert::Certificate::load(dir.join("private_keys/server.key_secret")).unwrap();
    assert!(public.secret_key().is_none());
    assert_eq!(secret.public_key(), public.public_key());
    std::fs::remove_dir_all(&dir).unwrap();
}
