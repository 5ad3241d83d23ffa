//! Chapter 1 of the guide: each ported example run as a process, talking to
//! its peers as the guide runs them, its printed output checked.
//!
//! The example binaries come from `cargo test` (or `cargo build --examples`),
//! see `tests/common/mod.rs`.

mod common;

use std::time::Duration;

use common::Scenario;
use common::pipeline::{self, Pipeline};

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

/// The number of updates the weather tests average (the original: 100).
const UPDATES: &str = "3";

/// Parses "Average temperature for zipcode 'ZIP' was T F", checking that T
/// is printed as a Python float and lies in the server's range.
fn assert_average_line(line: &str, zip: &str) {
    let prefix = format!("Average temperature for zipcode '{zip}' was ");
    let average = line
        .strip_prefix(&prefix)
        .and_then(|rest| rest.strip_suffix(" F"))
        .unwrap_or_else(|| panic!("unexpected line {line:?}"));
    assert!(
        average.contains('.') || average.contains('e'),
        "not a Python float: {average:?}"
    );
    let value: f64 = average.parse().expect("a number");
    assert!((-80.0..135.0).contains(&value), "{value} out of range");
}

#[test]
fn wuclient_averages_updates_for_new_york_by_default() {
    let scenario = Scenario::new();
    let server = scenario.spawn("wuserver", &[]);
    let client = scenario
        .spawn_with_env("wuclient", &[], &[("ZGUIDE_UPDATES", UPDATES)])
        .wait(TIMEOUT)
        .success();
    let lines = client.lines();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert_eq!(lines[0], "Collecting updates from weather server...");
    assert_average_line(lines[1], "10001");
    // Like the original, the server only publishes.
    server.stop().silent();
}

#[test]
fn wuclient_filters_on_the_zipcode_given_as_argument() {
    let scenario = Scenario::new();
    let server = scenario.spawn("wuserver", &[]);
    let client = scenario
        .spawn_with_env("wuclient", &["9"], &[("ZGUIDE_UPDATES", "50")])
        .wait(TIMEOUT)
        .success();
    let lines = client.lines();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert_average_line(lines[1], "9");
    server.stop().silent();
}

#[test]
fn a_mistyped_count_stops_the_example_with_an_error_naming_it() {
    // Without the check, "1o0" would quietly mean the default, 100 updates.
    let run = Scenario::new()
        .spawn_with_env("wuclient", &[], &[("ZGUIDE_UPDATES", "1o0")])
        .wait(TIMEOUT);
    assert_eq!(run.status.code(), Some(2), "{run:?}");
    assert!(
        run.stderr.contains("ZGUIDE_UPDATES=\"1o0\""),
        "{:?}",
        run.stderr
    );
}

#[test]
fn a_malformed_port_offset_stops_the_example_with_an_error_naming_it() {
    // Without the check, the client would go to the unshifted port 5555.
    let run = common::spawn_outside_a_scenario("hwclient", &[("ZGUIDE_PORT_OFFSET", "200x")])
        .wait(TIMEOUT);
    assert_eq!(run.status.code(), Some(2), "{run:?}");
    assert!(
        run.stderr.contains("ZGUIDE_PORT_OFFSET=\"200x\""),
        "{:?}",
        run.stderr
    );
}

#[test]
fn taskvent_spreads_a_batch_over_two_taskworks_and_tasksink_times_it() {
    let run = Pipeline {
        vent: "taskvent",
        work: "taskwork",
        sink: "tasksink",
    }
    .run(&Scenario::new(), TIMEOUT);
    let elapsed: f64 = run
        .sink_elapsed_msec()
        .parse()
        .expect("elapsed msec as a float");
    assert!(elapsed > 0.0);
    // Each task went to one worker or the other.
    pipeline::assert_each_task_worked_once(run.workers.map(|worker| worker.stop().stdout));
}

/// The harness every example test relies on (`tests/common`): scenarios
/// alive at the same time, in this process or another, never share a port,
/// though the blocks of ports they are handed overlap (6000 of one block is
/// 5600 of the block two further on). Checking that the ports are free is
/// not enough: examples bind theirs only once started.
#[test]
fn scenarios_alive_at_once_never_share_a_port() {
    let scenarios: Vec<Scenario> = (0..8).map(|_| Scenario::new()).collect();
    let mut owner = std::collections::BTreeMap::new();
    for (index, scenario) in scenarios.iter().enumerate() {
        for port in scenario.ports() {
            if let Some(other) = owner.insert(port, index) {
                panic!(
                    "scenarios {other} and {index} (offsets {} and {}) share port {port}",
                    scenarios[other].port_offset(),
                    scenario.port_offset()
                );
            }
        }
    }
}
