//! The zguide's `asyncio_ioloop` examples ported on `zmq::asyncio`, each run
//! as a process beside its peers, its printed output checked.
//!
//! They need the `tokio` feature: `cargo test --features tokio --test
//! asyncio_examples` (cargo builds the examples for a test run; a filtered
//! run after source changes needs `cargo build --features tokio --examples`).
#![cfg(feature = "tokio")]

mod common;

use std::time::Duration;

use common::Scenario;
use common::pipeline::{self, Pipeline};

/// Far longer than any of these runs takes, so only a hang trips it.
const TIMEOUT: Duration = Duration::from_secs(30);

#[test]
fn hwclient_and_hwserver_exchange_identified_hellos_and_their_echo() {
    let scenario = Scenario::new();
    let server = scenario.spawn_with_env("asyncio_hwserver", &[], &[("ZGUIDE_WORK_MS", "10")]);
    let client = scenario
        .spawn_with_env("asyncio_hwclient", &["A"], &[("ZGUIDE_REQUESTS", "3")])
        .wait(TIMEOUT)
        .success();
    let server = server.stop();

    let mut expected_client = vec![
        "Connecting to hello world server.  Ctrl-C to exit early.".to_owned(),
        String::new(),
    ];
    let mut expected_server = vec![
        "Getting ready for hello world client.  Ctrl-C to exit.".to_owned(),
        String::new(),
    ];
    for request in 0..3 {
        expected_client.push(format!("Sending message: b'A Hello {request}'"));
        expected_client.push(format!("Received reply: b'A Hello {request}, world'"));
        expected_server.push(format!("Received request: b'A Hello {request}'"));
        expected_server.push(format!("Sending reply: b'A Hello {request}, world'"));
    }
    expected_client.push("exiting".to_owned());
    assert_eq!(client.lines(), expected_client);
    assert_eq!(server.lines(), expected_server);
}

#[test]
fn hwclient_without_an_ident_exits_with_its_usage() {
    let run = Scenario::new().spawn("asyncio_hwclient", &[]).wait(TIMEOUT);
    assert_eq!(run.status.code(), Some(1), "{run:?}");
    assert!(run.stderr.contains("usage"), "{:?}", run.stderr);
}

/// Checks wuclient's output for `zip`: its updates, then their sum over one
/// less than their count, truncated, as the original prints it.
fn assert_weather_report(lines: &[&str], zip: &str, updates: usize) {
    assert_eq!(lines.len(), updates + 2, "{lines:?}");
    assert_eq!(lines[0], "Collecting updates from weather server...");
    let mut total = 0i64;
    for line in &lines[1..=updates] {
        let update = line
            .strip_prefix("I: received -- string: \"")
            .and_then(|rest| rest.strip_suffix('"'))
            .unwrap_or_else(|| panic!("unexpected line {line:?}"));
        let fields: Vec<i64> = update
            .split(' ')
            .map(|f| f.parse().expect("a number"))
            .collect();
        assert_eq!(fields.len(), 3, "{update:?}");
        assert_eq!(fields[0].to_string(), zip);
        assert!((-80..135).contains(&fields[1]), "{update:?}");
        assert!((10..60).contains(&fields[2]), "{update:?}");
        total += fields[1];
    }
    let average = (total as f64 / (updates - 1) as f64) as i64;
    assert_eq!(
        lines[updates + 1],
        format!("Average temperature for zipcode '{zip}' was {average}F")
    );
}

#[test]
fn wuclient_reports_five_updates_for_new_york_by_default() {
    let scenario = Scenario::new();
    let server = scenario.spawn("asyncio_wuserver", &[]);
    let client = scenario
        .spawn("asyncio_wuclient", &[])
        .wait(TIMEOUT)
        .success();
    assert_weather_report(&client.lines(), "10001", 5);
    server.stop().silent();
}

#[test]
fn wuclient_takes_the_zip_code_from_its_argument() {
    let scenario = Scenario::new();
    let server = scenario.spawn("asyncio_wuserver", &[]);
    let client = scenario
        .spawn_with_env("asyncio_wuclient", &["10007"], &[("ZGUIDE_UPDATES", "3")])
        .wait(TIMEOUT)
        .success();
    assert_weather_report(&client.lines(), "10007", 3);
    server.stop().silent();
}

#[test]
fn taskvent_spreads_a_batch_over_two_taskworks_and_tasksink_times_it() {
    let run = Pipeline {
        vent: "asyncio_taskvent",
        work: "asyncio_taskwork",
        sink: "asyncio_tasksink",
    }
    .run(&Scenario::new(), TIMEOUT);
    // The original prints whole msec.
    let _: u64 = run
        .sink_elapsed_msec()
        .parse()
        .expect("elapsed msec as an integer");
    // Each task went to one worker or the other.
    pipeline::assert_each_task_worked_once(run.workers.map(|worker| worker.stop().stdout));
}

#[test]
fn rrclient_gets_each_request_back_from_rrworkers_through_rrbroker() {
    let scenario = Scenario::new();
    let broker = scenario.spawn("asyncio_rrbroker", &[]);
    let workers = [
        scenario.spawn("asyncio_rrworker", &[]),
        scenario.spawn("asyncio_rrworker", &[]),
    ];
    let client = scenario
        .spawn("asyncio_rrclient", &["4"])
        .wait(TIMEOUT)
        .success();
    let expected: Vec<String> = (1..=4)
        .map(|n| format!("Received reply {n} [b'Hello {n}, World']"))
        .collect();
    assert_eq!(client.lines(), expected);

    // Each request went through one worker, which printed both sides of it.
    let mut served = Vec::new();
    for worker in workers {
        let worker = worker.stop();
        let lines = worker.lines();
        assert_eq!(lines.len() % 2, 0, "{lines:?}");
        for pair in lines.chunks(2) {
            let request = pair[0]
                .strip_prefix("Received request: b'Hello ")
                .and_then(|rest| rest.strip_suffix('\''))
                .unwrap_or_else(|| panic!("unexpected line {:?}", pair[0]));
            assert_eq!(pair[1], format!("Sent reply: b'Hello {request}, World'"));
            served.push(request.parse::<u32>().expect("a request number"));
        }
    }
    served.sort_unstable();
    assert_eq!(served, [1, 2, 3, 4]);

    // The broker printed every message both ways, with the client's
    // envelope.
    let broker = broker.stop();
    let lines = broker.lines();
    assert_eq!(lines.len(), 8, "{lines:?}");
    for n in 1..=4 {
        let request = format!(", b'', b'Hello {n}']");
        let reply = format!(", b'', b'Hello {n}, World']");
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("received from frontend: [b") && l.ends_with(&request)),
            "{lines:?}"
        );
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("received from backend: [b") && l.ends_with(&reply)),
            "{lines:?}"
        );
    }
}

#[test]
fn mtserver_answers_hwclient_from_its_worker_tasks() {
    let scenario = Scenario::new();
    let server = scenario.spawn_with_env("asyncio_mtserver", &[], &[("ZGUIDE_WORK_MS", "10")]);
    let client = scenario
        .spawn_with_env("asyncio_hwclient", &["C"], &[("ZGUIDE_REQUESTS", "3")])
        .wait(TIMEOUT)
        .success();
    let lines = client.lines();
    assert_eq!(lines.len(), 3 + 2 * 3, "{lines:?}");
    for request in 0..3 {
        assert_eq!(
            lines[2 + 2 * request],
            format!("Sending message: b'C Hello {request}'")
        );
        let reply = lines[3 + 2 * request];
        let worker = reply
            .strip_prefix(&format!(
                "Received reply: b\"b'C Hello {request}' world, from worker "
            ))
            .and_then(|rest| rest.strip_suffix('"'))
            .unwrap_or_else(|| panic!("unexpected line {reply:?}"));
        assert!(["0", "1", "2", "3", "4"].contains(&worker), "{reply:?}");
    }

    let server = server.stop();
    let lines = server.lines();
    assert_eq!(
        lines[..2],
        [
            "(run) started worker routines",
            "mtserver ready for requests"
        ]
    );
    for idx in 0..5 {
        let started = format!("(worker_routine) worker {idx} started");
        assert!(lines.contains(&started.as_str()), "{lines:?}");
    }
    for request in 0..3 {
        let sent = format!("(run) sending message to workers: b'C Hello {request}'");
        assert!(lines.contains(&sent.as_str()), "{lines:?}");
    }
    let to_clients = lines
        .iter()
        .filter(|l| l.starts_with("(run) sent message to clients: b\"b'C Hello "))
        .count();
    assert_eq!(to_clients, 3, "{lines:?}");
}

#[test]
fn mtrelay_passes_the_signal_through_three_steps() {
    let run = Scenario::new().run("asyncio_mtrelay", &[], TIMEOUT);
    assert_eq!(
        run.lines(),
        [
            "(step1) sent msg: b'message from step1'",
            "(step2) received msg: b'message from step1'",
            "(step2) sent msg: b'message from step2'",
            "Test successful!  msg: b'message from step2'",
        ]
    );
}

/// Parses "result: ('worker N', T)" into T.
fn worker_result(line: &str, name: &str) -> u32 {
    line.strip_prefix(&format!("result: ('{name}', "))
        .and_then(|rest| rest.strip_suffix(')'))
        .and_then(|total| total.parse().ok())
        .unwrap_or_else(|| panic!("unexpected line {line:?}"))
}

#[test]
fn rtreq_shares_a_hundred_workloads_among_ten_workers() {
    let run = Scenario::new().run("asyncio_rtreq", &[], TIMEOUT);
    let lines = run.lines();
    assert_eq!(lines.len(), 10 + 11 + 1, "{lines:?}");
    let mut printed = 0;
    for line in &lines[..10] {
        let (_, tasks) = line
            .strip_prefix("worker ")
            .and_then(|rest| rest.split_once(" processed: "))
            .unwrap_or_else(|| panic!("unexpected line {line:?}"));
        printed += tasks
            .strip_suffix(" tasks")
            .and_then(|n| n.parse::<u32>().ok())
            .unwrap_or_else(|| panic!("unexpected line {line:?}"));
    }
    assert_eq!(printed, 100);
    let total: u32 = (0..10)
        .map(|id| worker_result(lines[10 + id], &format!("worker {id}")))
        .sum();
    assert_eq!(total, 100);
    assert_eq!(
        lines[20..],
        ["result: ('requestor', 'finished')", "(program) finished"]
    );
}

#[test]
fn rtdealer_routes_ten_workloads_to_a_and_b() {
    let run = Scenario::new().run("asyncio_rtdealer", &[], TIMEOUT);
    let lines = run.lines();
    assert_eq!(lines.len(), 7, "{lines:?}");
    assert_eq!(lines[0], "(dealer) starting");
    let mut received = [lines[1], lines[2]];
    received.sort_unstable();
    let a = worker_result(lines[3], "worker_a");
    let b = worker_result(lines[4], "worker_b");
    assert_eq!(
        received,
        [format!("A received: {a}"), format!("B received: {b}")]
    );
    assert_eq!(a + b, 10);
    assert_eq!(
        lines[5..],
        ["result: ('dealer', 'finished')", "(program) finished"]
    );
}

#[test]
fn asyncsrv_clients_get_their_requests_echoed_by_the_workers() {
    let scenario = Scenario::new();
    let mut server = scenario.spawn("asyncio_asyncsrv", &[]);
    // Each client's second round trip, a second after its first.
    server.wait_for_output("Client client-2 received: b'request # 2.2'", TIMEOUT);
    let server = server.stop();
    let lines = server.lines();
    assert_eq!(lines[0], "(main) starting");
    for idx in 0..5 {
        assert!(
            lines.contains(&format!("Worker {idx} started").as_str()),
            "{lines:?}"
        );
    }
    for id in 0..3 {
        assert!(
            lines.contains(&format!("Client client-{id} started").as_str()),
            "{lines:?}"
        );
        for reqs in 1..=2 {
            let request = format!("b'request # {id}.{reqs}'");
            assert!(
                lines.contains(&format!("Client {id} sent request: {reqs}").as_str()),
                "{lines:?}"
            );
            assert!(
                lines.contains(&format!("Client client-{id} received: {request}").as_str()),
                "{lines:?}"
            );
            let handled = lines.iter().any(|l| {
                l.starts_with("Worker ") && l.contains(&format!(" received {request} from b"))
            });
            assert!(handled, "{lines:?}");
        }
    }
}
