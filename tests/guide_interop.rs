//! The ports talking to their Python originals: each test runs one side in
//! Rust and the other in Python, on the guide's own ports, and checks that
//! both print what they would print among themselves.
//!
//! Ignored by default: they need Python with pyzmq and the guide's Python
//! examples, which this repository does not ship. Run them with
//!
//! ```text
//! ZGUIDE_PYTHON_EXAMPLES=/path/to/zguide/examples/Python \
//! ZGUIDE_PYTHON=python3 cargo test --test guide_interop -- --ignored
//! ```
//!
//! They use the fixed ports 5555 to 5563, so nothing else may hold them.

mod common;

use std::thread;
use std::time::{Duration, Instant};

use common::{Finished, Running, Scenario};

/// Generous: hwclient.py makes ten one-second round trips.
const TIMEOUT: Duration = Duration::from_secs(60);

/// What hwclient prints for ten "World" replies.
fn hwclient_lines() -> Vec<String> {
    let mut lines = vec!["Connecting to hello world server...".to_owned()];
    for request in 0..10 {
        lines.push(format!("Sending request {request} ..."));
        lines.push(format!("Received reply {request} [ b'World' ]"));
    }
    lines
}

#[test]
#[ignore = "needs pyzmq and ZGUIDE_PYTHON_EXAMPLES"]
fn hwclient_py_and_hwserver_rs_then_hwclient_rs_and_hwserver_py() {
    let scenario = Scenario::unshifted();
    let server = scenario.spawn("hwserver", &[]);
    let client = scenario
        .spawn_python("hwclient", &[])
        .wait(TIMEOUT)
        .success();
    assert_eq!(client.lines(), hwclient_lines());
    assert_eq!(server.stop().lines(), ["Received request: b'Hello'"; 10]);

    let server = scenario.spawn_python("hwserver", &[]);
    let client = scenario.run("hwclient", &[], TIMEOUT);
    assert_eq!(client.lines(), hwclient_lines());
    assert_eq!(server.stop().lines(), ["Received request: b'Hello'"; 10]);
}

#[test]
#[ignore = "needs pyzmq and ZGUIDE_PYTHON_EXAMPLES"]
fn hwclient_py_is_served_by_mtserver_rs() {
    let scenario = Scenario::unshifted();
    let server = scenario.spawn("mtserver", &[]);
    let client = scenario
        .spawn_python("hwclient", &[])
        .wait(TIMEOUT)
        .success();
    assert_eq!(client.lines(), hwclient_lines());
    assert_eq!(
        server.stop().lines(),
        ["Received request: [ b'Hello' ]"; 10]
    );
}

/// What rrclient prints for ten "World" replies.
fn rrclient_lines() -> Vec<String> {
    (1..=10)
        .map(|n| format!("Received reply {n} [b'World']"))
        .collect()
}

#[test]
#[ignore = "needs pyzmq and ZGUIDE_PYTHON_EXAMPLES"]
fn rrclient_and_rrworker_in_python_through_rrbroker_rs_and_back_through_msgqueue_py() {
    let scenario = Scenario::unshifted();
    let broker = scenario.spawn("rrbroker", &[]);
    let worker = scenario.spawn_python("rrworker", &[]);
    let client = scenario
        .spawn_python("rrclient", &[])
        .wait(TIMEOUT)
        .success();
    assert_eq!(client.lines(), rrclient_lines());
    assert_eq!(worker.stop().lines(), ["Received request: b'Hello'"; 10]);
    drop(broker.stop());

    let queue = scenario.spawn_python("msgqueue", &[]);
    let worker = scenario.spawn("rrworker", &[]);
    let client = scenario.run("rrclient", &[], TIMEOUT);
    assert_eq!(client.lines(), rrclient_lines());
    assert_eq!(worker.stop().lines(), ["Received request: b'Hello'"; 10]);
    drop(queue.stop());
}

/// "Average temperature for zipcode 'ZIP' was T F" with T a Python float.
fn assert_average_line(line: &str, zip: &str) {
    let prefix = format!("Average temperature for zipcode '{zip}' was ");
    let average = line
        .strip_prefix(&prefix)
        .and_then(|rest| rest.strip_suffix(" F"))
        .unwrap_or_else(|| panic!("unexpected line {line:?}"));
    assert!(average.contains('.'), "not a Python float: {average:?}");
    average.parse::<f64>().expect("a number");
}

#[test]
#[ignore = "needs pyzmq and ZGUIDE_PYTHON_EXAMPLES"]
fn wuclient_rs_hears_wuserver_py_and_wuclient_py_hears_wuserver_rs() {
    let scenario = Scenario::unshifted();
    let server = scenario.spawn_python("wuserver", &[]);
    let client = scenario
        .spawn_with_env("wuclient", &[], &[("ZGUIDE_UPDATES", "2")])
        .wait(TIMEOUT)
        .success();
    assert_average_line(client.lines()[1], "10001");
    drop(server.stop());

    // A short filter, so that 100 matching updates come quickly.
    let server = scenario.spawn("wuserver", &[]);
    let client = scenario
        .spawn_python("wuclient", &["1"])
        .wait(TIMEOUT)
        .success();
    assert_eq!(
        client.lines()[0],
        "Collecting updates from weather server..."
    );
    assert_average_line(client.lines()[1], "1");
    drop(server.stop());
}

#[test]
#[ignore = "needs pyzmq and ZGUIDE_PYTHON_EXAMPLES"]
fn taskvent_py_feeds_a_rust_and_a_python_worker_and_tasksink2_rs_stops_them() {
    let scenario = Scenario::unshifted();
    let sink = scenario.spawn("tasksink2", &[]);
    let workers = [
        scenario.spawn("taskwork2", &[]),
        scenario.spawn_python("taskwork2", &[]),
    ];
    let mut vent = scenario.spawn_python("taskvent", &[]);
    vent.wait_for_output("Press Enter when the workers are ready: \n", TIMEOUT);
    vent.write_stdin("\n");
    vent.wait(TIMEOUT).success();

    let sink = sink.wait(TIMEOUT).success();
    assert!(
        sink.stdout.contains("Total elapsed time: ") && sink.stdout.ends_with(" msec\n"),
        "{}",
        sink.stdout
    );
    // KILL from the Rust sink stops both workers, whichever language.
    let dots: usize = workers
        .into_iter()
        .map(|worker| worker.wait(TIMEOUT).success().stdout.len())
        .sum();
    assert_eq!(dots, 100);
}

#[test]
#[ignore = "needs pyzmq and ZGUIDE_PYTHON_EXAMPLES"]
fn ten_syncsub_rs_get_every_update_of_syncpub_py() {
    let scenario = Scenario::unshifted();
    let publisher = scenario.spawn_python("syncpub", &[]);
    let subscribers: Vec<Running> = (0..10).map(|_| scenario.spawn("syncsub", &[])).collect();
    let publisher = publisher.wait(TIMEOUT).success();
    assert_eq!(publisher.lines().last(), Some(&"+1 subscriber (10/10)"));
    for subscriber in subscribers {
        let subscriber = subscriber.wait(TIMEOUT).success();
        assert_eq!(subscriber.lines(), ["Received 1000000 updates"]);
    }
}

#[test]
#[ignore = "needs pyzmq and ZGUIDE_PYTHON_EXAMPLES"]
fn psenvsub_py_sees_the_b_envelope_of_psenvpub_rs() {
    let scenario = Scenario::unshifted();
    let _publisher = scenario.spawn("psenvpub", &[]);
    let mut subscriber = scenario.spawn_python("psenvsub", &[]);
    let line = "[b'B'] b'We would like to see this'\n";
    subscriber.wait_for_output(&line.repeat(2), TIMEOUT);
    let subscriber = subscriber.stop();
    assert!(subscriber.lines().iter().all(|l| *l == line.trim_end()));
}

/// SIGINT until the child exits (one landing before it blocks is lost).
fn interrupt_until_exit(mut child: Running) -> Finished {
    let deadline = Instant::now() + TIMEOUT;
    while child.is_running() && Instant::now() < deadline {
        child.interrupt();
        thread::sleep(Duration::from_millis(200));
    }
    child.wait(Duration::from_secs(1))
}

#[test]
#[ignore = "needs pyzmq and ZGUIDE_PYTHON_EXAMPLES"]
fn interrupt_and_mtrelay_print_what_their_originals_print() {
    let scenario = Scenario::unshifted();
    let mut outputs = Vec::new();
    for python in [false, true] {
        let mut child = if python {
            scenario.spawn_python("interrupt", &[])
        } else {
            scenario.spawn("interrupt", &[])
        };
        // Let it reach its blocking recv before pressing Ctrl-C.
        thread::sleep(Duration::from_secs(1));
        assert!(child.is_running());
        outputs.push(interrupt_until_exit(child).success().stdout);
    }
    assert_eq!(outputs[0], outputs[1]);
    assert_eq!(outputs[0], "W: interrupt received, stopping...\n");

    let python = scenario
        .spawn_python("mtrelay", &[])
        .wait(TIMEOUT)
        .success();
    let rust = scenario.run("mtrelay", &[], TIMEOUT);
    assert_eq!(python.stdout, rust.stdout);
}
