//! The draft API examples run as processes: each must print its closing
//! line and exit cleanly (build with `--features draft`; a filtered run
//! such as `cargo test --features draft --test draft_examples` needs
//! `cargo build --features draft --examples` first).
#![cfg(feature = "draft")]

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// Far longer than any of these runs takes, so only a hang trips it.
const TIMEOUT: Duration = Duration::from_secs(30);

/// The example binary built next to this test executable.
fn example_path(name: &str) -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let profile_dir = exe.parent().and_then(|deps| deps.parent()).unwrap();
    let path = profile_dir.join("examples").join(name);
    assert!(
        path.is_file(),
        "{} is missing: run `cargo build --features draft --examples` first",
        path.display()
    );
    path
}

/// Runs an example to completion (killing it after TIMEOUT) and returns its
/// standard output.
fn run(name: &str) -> String {
    let mut child = Command::new(example_path(name))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + TIMEOUT;
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            child.kill().unwrap();
            panic!("{name} did not finish within {TIMEOUT:?}");
        }
        thread::sleep(Duration::from_millis(20));
    }
    let output = child.wait_with_output().unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        output.status.success(),
        "{name} failed: {stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

#[test]
fn server_client_example_serves_every_request_from_two_workers() {
    let out = run("draft_server_client");
    assert!(out.ends_with("served 6 requests\n"), "{out}");
    for client in 0..3 {
        for request in 0..2 {
            let line = format!("client {client}: echo: client {client} request {request}\n");
            assert!(out.contains(&line), "missing {line:?} in {out}");
        }
    }
}

#[test]
fn radio_dish_example_receives_only_weather_over_udp() {
    let out = run("draft_radio_dish");
    assert!(
        out.contains("received 3 weather reports over udp://127.0.0.1:"),
        "{out}"
    );
    assert!(!out.contains("score update"), "{out}");
    assert_eq!(out.matches("[weather] forecast").count(), 3, "{out}");
}

#[test]
fn scatter_gather_example_adds_up_every_task() {
    let out = run("draft_scatter_gather");
    assert!(out.ends_with("total: 5050 (expected 5050)\n"), "{out}");
}

#[test]
fn peer_example_exchanges_greetings_by_routing_id() {
    let out = run("draft_peer");
    assert!(out.contains("alice got \"Hello, Alice\""), "{out}");
    assert!(out.contains("bob got \"Hello, Bob\""), "{out}");
}
