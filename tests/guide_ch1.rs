//! Chapter 1 of the guide: each ported example run as a process, talking to
//! its peers as the guide runs them, its printed output checked.
//!
//! The example binaries come from `cargo test` (or `cargo build --examples`),
//! see `tests/common/mod.rs`.

mod common;

use std::time::Duration;

use common::Scenario;

/// Far longer than any of these runs takes, so only a hang trips it.
const TIMEOUT: Duration = Duration::from_secs(30);

#[test]
fn version_prints_the_linked_libzmq_version() {
    let run = Scenario::new().run("version", &[], TIMEOUT);
    let (major, minor, patch) = zmq::version();
    assert_eq!(
        run.lines(),
        [format!("Current libzmq version is {major}.{minor}.{patch}")]
    );
    assert_eq!((major, minor, patch), (4, 3, 5));
}

#[test]
fn hwclient_and_hwserver_exchange_hello_and_world() {
    let scenario = Scenario::new();
    let server = scenario.spawn("hwserver", &[]);
    let client = scenario
        .spawn_with_env("hwclient", &[], &[("ZGUIDE_REQUESTS", "3")])
        .wait(TIMEOUT)
        .success();
    let server = server.stop();

    let mut expected = vec!["Connecting to hello world server...".to_owned()];
    for request in 0..3 {
        expected.push(format!("Sending request {request} ..."));
        expected.push(format!("Received reply {request} [ b'World' ]"));
    }
    assert_eq!(client.lines(), expected);
    assert_eq!(server.lines(), ["Received request: b'Hello'"; 3]);
}
