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

/// The number of tasks in the pipeline tests (the original: 100).
const TASKS: usize = 20;

#[test]
fn taskvent_spreads_a_batch_over_two_taskworks_and_tasksink_times_it() {
    let scenario = Scenario::new();
    let tasks = TASKS.to_string();
    let env = [("ZGUIDE_TASKS", tasks.as_str())];
    let sink = scenario.spawn_with_env("tasksink", &[], &env);
    let workers = [
        scenario.spawn("taskwork", &[]),
        scenario.spawn("taskwork", &[]),
    ];
    let mut vent = scenario.spawn_with_env("taskvent", &[], &env);
    vent.wait_for_output("Press Enter when the workers are ready: \n", TIMEOUT);
    vent.write_stdin("\n");

    let vent = vent.wait(TIMEOUT).success();
    let lines = vent.lines();
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert_eq!(lines[0], "Press Enter when the workers are ready: ");
    assert_eq!(lines[1], "Sending tasks to workers...");
    let cost: u32 = lines[2]
        .strip_prefix("Total expected cost: ")
        .and_then(|rest| rest.strip_suffix(" msec"))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("unexpected line {:?}", lines[2]));
    assert!((TASKS as u32..=100 * TASKS as u32).contains(&cost));

    // One mark per result, a colon every tenth, then the time on that line.
    let sink = sink.wait(TIMEOUT).success();
    let marks: String = (0..TASKS)
        .map(|n| if n % 10 == 0 { ':' } else { '.' })
        .collect();
    let elapsed = sink
        .stdout
        .strip_prefix(&format!("{marks}Total elapsed time: "))
        .and_then(|rest| rest.strip_suffix(" msec\n"))
        .unwrap_or_else(|| panic!("unexpected sink output {:?}", sink.stdout));
    let elapsed: f64 = elapsed.parse().expect("elapsed msec as a float");
    assert!(elapsed > 0.0);

    // Every task was worked on once, by one worker or the other.
    let dots: usize = workers
        .into_iter()
        .map(|worker| {
            let out = worker.stop().stdout;
            assert!(out.chars().all(|c| c == '.'), "{out:?}");
            out.len()
        })
        .sum();
    assert_eq!(dots, TASKS);
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
