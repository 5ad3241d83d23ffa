//! The zguide's `asyncio_ioloop` file transfers, load-balancing broker and
//! reliable request-reply (Lazy, Simple and Paranoid Pirate) ported on
//! `zmq::asyncio`, each run as a process, its printed output checked; the
//! pirates are shown recovering from a server or worker killed by the test
//! and from the crashes they stage themselves.
//!
//! They need the `tokio` feature: `cargo build --features tokio --examples`
//! then `cargo test --features tokio --test asyncio_examples_reliable`.
#![cfg(feature = "tokio")]

mod common;

use std::path::Path;
use std::time::Duration;

use common::{Running, Scenario};

/// Far longer than any of these runs takes, so only a hang trips it.
const TIMEOUT: Duration = Duration::from_secs(30);

/// The pirates' time scale: a 2.5 s request timeout becomes 0.5 s, a
/// second's work 0.2 s, a heartbeat interval 0.2 s.
const SCALE: (&str, &str) = ("ZGUIDE_TIME_SCALE", "0.2");

/// Writes a file of `size` ASCII bytes to `dir/testdata` and returns its
/// path, for the file transfers.
fn testdata(dir: &Path, size: usize) -> String {
    let path = dir.join("testdata");
    let data: Vec<u8> = (0..size).map(|i| b'a' + (i % 26) as u8).collect();
    std::fs::write(&path, data).expect("write the test file");
    path.to_str().expect("a UTF-8 path").to_owned()
}

/// Runs a file-transfer model on a file of `size` bytes and returns its
/// output lines.
fn transfer(model: &str, size: usize) -> Vec<String> {
    let scenario = Scenario::new();
    let path = testdata(scenario.ipc_dir(), size);
    let run = scenario
        .spawn_with_env(model, &[], &[("ZGUIDE_TESTDATA", &path)])
        .wait(TIMEOUT)
        .success();
    run.lines().into_iter().map(str::to_owned).collect()
}

/// Asserts that `needles` appear in `lines` in this order (not
/// necessarily next to each other).
fn assert_in_order(lines: &[String], needles: &[&str]) {
    let mut rest = lines.iter();
    for needle in needles {
        assert!(
            rest.any(|line| line == needle),
            "{needle:?} missing or out of order in {lines:#?}"
        );
    }
}

#[test]
fn fileio1_sends_the_whole_file_at_once_and_prints_each_tasks_result() {
    let lines = transfer("asyncio_fileio1", 600_000);
    assert_eq!(lines.len(), 1 + 8 + 12 + 3 + 3, "{lines:#?}");
    assert_eq!(lines[0], "(run) starting");
    // Each task in its own order, the three interleaved.
    assert_in_order(
        &lines,
        &[
            "(client) starting",
            "(client) sent fetch request",
            "(client) received chunk: 250000",
            "(client) received chunk: 250000",
            "(client) received chunk: 100000",
            "(client) received chunk: 0",
            "4 chunks received, 600000 bytes",
            "(client_task) finished",
        ],
    );
    assert_in_order(
        &lines,
        &[
            "(server) starting",
            "(server) setup 1",
            "(server) setup 2",
            "(server) after setup",
            "(server) waiting for request",
            "(server) received request.  command: b'fetch'",
            "(server) sent chunk.  length: 250000",
            "(server) sent chunk.  length: 250000",
            "(server) sent chunk.  length: 100000",
            "(server) sent chunk.  length: 0",
            "server sent 3 chunks, 600000 bytes",
            "(server_task) finished",
        ],
    );
    assert_in_order(
        &lines,
        &[
            "(monitor) starting",
            "monitor received: b'OK'",
            "(monitor) finished",
        ],
    );
    assert_eq!(
        lines[24..],
        [
            "results: [('client', '4 chunks received, 600000 bytes'), \
             ('server', 'server sent 3 chunks, 600000 bytes'), \
             ('monitor', \"monitor received: b'OK'\")]",
            "(run) finished",
            "(main) exiting",
        ]
    );
}

#[test]
fn fileio2_fetches_chunk_by_chunk_up_to_the_empty_one_past_an_exact_end() {
    // Two whole chunks: the third request finds nothing left.
    let lines = transfer("asyncio_fileio2", 500_000);
    assert_eq!(lines.len(), 7, "{lines:#?}");
    assert_in_order(
        &lines,
        &[
            "client received 3 chunks, 500000 bytes",
            "(client) finished",
        ],
    );
    assert_in_order(&lines, &["monitor received: b'OK'", "(monitor) finished"]);
    assert!(
        lines.contains(&"(server) finished".to_owned()),
        "{lines:#?}"
    );
    assert_eq!(
        lines[5..],
        [
            "results: [('client', 'client received 3 chunks, 500000 bytes'), \
             ('server', 'server sent 3 chunks, 500000 bytes'), \
             ('monitor', \"monitor received: b'OK'\")]",
            "(run) finished",
        ]
    );
}

#[test]
fn fileio3_keeps_ten_requests_in_flight_and_the_server_answers_them_all() {
    let lines = transfer("asyncio_fileio3", 600_000);
    // Three chunks of data; by then the client has asked for nine more,
    // past the end, which the server answers empty before "finish".
    let mut sent = vec![
        "(server) sent chunk: 0 size: 250000".to_owned(),
        "(server) sent chunk: 1 size: 250000".to_owned(),
        "(server) sent chunk: 2 size: 100000".to_owned(),
    ];
    sent.extend((3..12).map(|count| format!("(server) sent chunk: {count} size: 0")));
    sent.push("(server) finished".to_owned());
    let sent: Vec<&str> = sent.iter().map(String::as_str).collect();
    assert_in_order(&lines, &sent);
    assert_in_order(
        &lines,
        &[
            "client received 3 chunks, 600000 bytes",
            "(client) finished",
        ],
    );
    assert_in_order(&lines, &["monitor received: b'OK'", "(monitor) finished"]);
    assert_eq!(lines.len(), 13 + 4 + 2, "{lines:#?}");
    assert_eq!(
        lines[17..],
        [
            "results: [('client', 'client received 3 chunks, 600000 bytes'), \
             ('server', 'server sent 12 chunks, 600000 bytes'), \
             ('monitor', \"monitor received: b'OK'\")]",
            "(run) finished",
        ]
    );
}

#[test]
fn fileio_without_its_testdata_fails_instead_of_waiting_forever() {
    let scenario = Scenario::new();
    let missing = scenario.ipc_dir().join("missing");
    let run = scenario
        .spawn_with_env(
            "asyncio_fileio2",
            &[],
            &[("ZGUIDE_TESTDATA", missing.to_str().expect("a UTF-8 path"))],
        )
        .wait(TIMEOUT);
    assert!(!run.status.success(), "{run:?}");
    assert!(run.stderr.contains("testdata"), "{:?}", run.stderr);
}

#[test]
fn lbbroker2_answers_each_clients_three_requests_through_its_three_workers() {
    let run = Scenario::new()
        .spawn_with_env("asyncio_lbbroker2", &[], &[SCALE])
        .wait(TIMEOUT)
        .success();
    let lines = run.lines();
    assert_eq!(
        lines[..3],
        [
            "(run_broker) starting",
            "(run_broker) creating workers and clients",
            "(run_broker) after creating workers and clients",
        ]
    );
    assert_eq!(lines.len(), 3 + 10 * 3 * 2 * 2, "{lines:#?}");
    // Each client sent its three requests in turn and got each answered.
    for idx in 0..10 {
        let client = format!("Client-{idx} ");
        let printed: Vec<&str> = lines
            .iter()
            .copied()
            .filter(|line| line.starts_with(&client))
            .collect();
        let expected: Vec<String> = (0..3)
            .flat_map(|count| {
                [
                    format!("Client-{idx} sent msg: \"b'Hello-{count}'\""),
                    format!("Client-{idx} received reply: \"Hello-{count}-OK\""),
                ]
            })
            .collect();
        assert_eq!(printed, expected);
    }
    // The workers shared the thirty requests, each answered in turn.
    let mut handled = 0;
    for idx in 0..3 {
        let worker = format!("Worker-{idx} ");
        let printed: Vec<&str> = lines
            .iter()
            .copied()
            .filter(|line| line.starts_with(&worker))
            .collect();
        for pair in printed.chunks(2) {
            let request = pair[0]
                .strip_prefix(&format!("Worker-{idx} received request \""))
                .and_then(|rest| rest.strip_suffix('"'))
                .unwrap_or_else(|| panic!("unexpected line {:?}", pair[0]));
            assert_eq!(
                pair.get(1).copied(),
                Some(format!("Worker-{idx} sent reply \"b'{request}-OK'\"").as_str())
            );
            handled += 1;
        }
    }
    assert_eq!(handled, 30);
}

/// The client's output so far, line by line.
fn lines_so_far(running: &Running) -> Vec<String> {
    running.stdout_so_far().lines().map(str::to_owned).collect()
}

/// The number in the last "I: Server replied OK (b'N')" the client printed.
fn last_reply(client: &Running) -> u32 {
    lines_so_far(client)
        .iter()
        .rev()
        .find_map(|line| {
            line.strip_prefix("I: Server replied OK (b'")?
                .strip_suffix("')")?
                .parse()
                .ok()
        })
        .expect("a reply so far")
}

/// What the Lazy Pirate client prints from sending request `n` to giving
/// up on it after three silent attempts.
fn abandoned(n: u32) -> Vec<String> {
    let mut lines = vec![format!("I: Sending ({n})")];
    for _ in 0..2 {
        lines.push("W: No response from server, retrying...".into());
        lines.push("W: confused".into());
        lines.push(format!("I: Reconnecting and resending ({n})"));
    }
    lines.push("W: No response from server, retrying...".into());
    lines.push("W: confused".into());
    lines.push("E: Server seems to be offline, abandoning".into());
    lines
}

/// The lines from the first occurrence of `first` on.
fn from_line(lines: &[String], first: &str) -> Vec<String> {
    let at = lines
        .iter()
        .position(|line| line == first)
        .unwrap_or_else(|| panic!("no {first:?} in {lines:#?}"));
    lines[at..].to_vec()
}

#[test]
fn lpclient_resends_to_a_restarted_lpserver_and_abandons_one_that_stays_dead() {
    let scenario = Scenario::new();
    let no_failures = [
        SCALE,
        ("ZGUIDE_CRASH_CYCLE", "never"),
        ("ZGUIDE_OVERLOAD_CYCLE", "never"),
    ];
    let server = scenario.spawn_with_env("asyncio_lpserver", &[], &no_failures);
    let mut client = scenario.spawn_with_env("asyncio_lpclient", &[], &[SCALE]);
    client.wait_for_output("I: Server replied OK (b'2')", TIMEOUT);

    // Killed: the request in flight goes unanswered, the client resends it
    // on a new socket, and a new server answers it.
    let server = server.stop();
    client.wait_for_output("W: No response from server, retrying...", TIMEOUT);
    let pending = last_reply(&client) + 1;
    client.wait_for_output(
        &format!("I: Reconnecting and resending ({pending})"),
        TIMEOUT,
    );
    let server_again = scenario.spawn_with_env("asyncio_lpserver", &[], &no_failures);
    client.wait_for_output(&format!("I: Server replied OK (b'{pending}')"), TIMEOUT);

    // Killed for good: three attempts, then the client gives up and, as
    // the original does, starts over.
    let server_again = server_again.stop();
    client.wait_for_output(
        "E: Server seems to be offline, abandoning\nI: Connecting to server...\nI: Sending (1)\n",
        TIMEOUT,
    );
    let lost = last_reply(&client) + 1;
    let client = client.stop();
    let lines: Vec<String> = client.lines().into_iter().map(str::to_owned).collect();
    assert_eq!(lines[0], "I: Connecting to server...");
    for n in 1..pending {
        assert_in_order(
            &lines,
            &[
                &format!("I: Sending ({n})"),
                &format!("I: Server replied OK (b'{n}')"),
            ],
        );
    }
    assert_in_order(
        &lines,
        &[
            &format!("I: Sending ({pending})"),
            "W: No response from server, retrying...",
            "W: confused",
            &format!("I: Reconnecting and resending ({pending})"),
            &format!("I: Server replied OK (b'{pending}')"),
        ],
    );
    let mut tail = abandoned(lost);
    tail.push("I: Connecting to server...".into());
    tail.push("I: Sending (1)".into());
    assert_eq!(from_line(&lines, &format!("I: Sending ({lost})")), tail);

    // Each server echoed what it got, in order: the first up to the
    // request it took down with it, the second from the resent one on.
    let first: Vec<String> = (1..pending)
        .map(|n| format!("I: Normal request (b'{n}')"))
        .collect();
    assert_eq!(server.lines()[..first.len()], first[..], "{server:?}");
    assert_eq!(
        server_again.lines().first().copied(),
        Some(format!("I: Normal request (b'{pending}')").as_str())
    );
}

#[test]
fn lpserver_crashing_on_its_second_request_is_outlasted_by_lpclient() {
    let scenario = Scenario::new();
    // The exact log below needs every normal request answered within the
    // client's timeout: at the original's timing a second's work leaves
    // 1.5 s to spare, where a scaled run leaves a loaded machine 0.3 s (the
    // blocking port's test failed that way at half the timing). About 8 s.
    let server = scenario.spawn_with_env(
        "asyncio_lpserver",
        &[],
        &[
            ("ZGUIDE_CRASH_CYCLE", "2"),
            ("ZGUIDE_OVERLOAD_CYCLE", "never"),
        ],
    );
    let mut client = scenario.spawn_with_env("asyncio_lpclient", &[], &[]);
    // Each life of the server answers one request and drops the next;
    // the client's resend reaches the next life.
    client.wait_for_output("I: Server replied OK (b'3')", TIMEOUT);
    let client = client.stop();
    let server = server.stop();
    let mut expected = vec![
        "I: Connecting to server...".to_owned(),
        "I: Sending (1)".to_owned(),
        "I: Server replied OK (b'1')".to_owned(),
    ];
    for n in 2..=3 {
        expected.push(format!("I: Sending ({n})"));
        expected.push("W: No response from server, retrying...".to_owned());
        expected.push("W: confused".to_owned());
        expected.push(format!("I: Reconnecting and resending ({n})"));
        expected.push(format!("I: Server replied OK (b'{n}')"));
    }
    assert_eq!(client.lines()[..expected.len()], expected[..]);
    assert_eq!(
        server.lines()[..5],
        [
            "I: Normal request (b'1')",
            "I: Simulating a crash",
            "I: Normal request (b'2')",
            "I: Simulating a crash",
            "I: Normal request (b'3')",
        ]
    );
}

#[test]
fn spqueue_and_spworker_recover_lpclients_requests_until_the_worker_is_killed() {
    let scenario = Scenario::new();
    let queue = scenario.spawn("asyncio_spqueue", &[]);
    // Each life of the worker answers one request and drops the next.
    let worker = scenario.spawn_with_env(
        "asyncio_spworker",
        &[],
        &[
            SCALE,
            ("ZGUIDE_CRASH_CYCLE", "2"),
            ("ZGUIDE_OVERLOAD_CYCLE", "never"),
        ],
    );
    let mut client = scenario.spawn_with_env("asyncio_lpclient", &[], &[SCALE]);
    client.wait_for_output("I: Server replied OK (b'3')", TIMEOUT);
    // With the worker gone the queue has no one to send requests to: the
    // client gives up.
    let worker = worker.stop();
    client.wait_for_output("E: Server seems to be offline, abandoning", TIMEOUT);
    let client = client.stop();
    let queue = queue.stop();

    let lines: Vec<String> = client.lines().into_iter().map(str::to_owned).collect();
    assert_in_order(
        &lines,
        &[
            "I: Sending (1)",
            "I: Server replied OK (b'1')",
            "I: Sending (2)",
            "W: No response from server, retrying...",
            "I: Reconnecting and resending (2)",
            "I: Server replied OK (b'2')",
            "I: Sending (3)",
            "W: No response from server, retrying...",
            "I: Reconnecting and resending (3)",
            "I: Server replied OK (b'3')",
            "E: Server seems to be offline, abandoning",
        ],
    );

    // Three lives at least, each with its own identity.
    let lines = worker.lines();
    let identities: Vec<&str> = lines
        .iter()
        .filter_map(|line| line.strip_prefix("I: (")?.strip_suffix(") worker ready"))
        .collect();
    assert!(identities.len() >= 3, "{lines:#?}");
    for id in &identities[..2] {
        let own: Vec<String> = lines
            .iter()
            .filter(|line| line.starts_with(&format!("I: ({id}) ")))
            .map(|line| line.to_string())
            .collect();
        assert_eq!(
            own,
            [
                format!("I: ({id}) worker ready"),
                format!("I: ({id}) normal reply"),
                format!("I: ({id}) simulating a crash"),
            ]
        );
    }

    // The queue took each READY in, held it back from the clients (the
    // port's fix), and routed the requests to the workers.
    let queue_lines = queue.lines();
    for id in &identities[..3] {
        let ready = format!("I: received msg: [b'{id}', b'', b'\\x01']");
        assert!(queue_lines.contains(&ready.as_str()), "{queue_lines:#?}");
    }
    assert!(
        !queue_lines.contains(&"I: sending -- reply: [b'\\x01']"),
        "{queue_lines:#?}"
    );
    // The client's identity is random bytes: only the rest is known.
    let to_first = format!("I: sending -- worker: b'{}'  msg: [b", identities[0]);
    assert!(
        queue_lines
            .iter()
            .any(|line| line.starts_with(&to_first) && line.ends_with(", b'', b'1']")),
        "{queue_lines:#?}"
    );
    assert!(
        queue_lines
            .iter()
            .any(|line| line.starts_with("I: sending -- reply: [b")
                && line.ends_with(", b'', b'3']")),
        "{queue_lines:#?}"
    );
}

#[test]
fn ppqueue_and_ppworker_heartbeat_and_recover_from_a_killed_worker_then_a_killed_queue() {
    let scenario = Scenario::new();
    let queue = scenario.spawn_with_env("asyncio_ppqueue", &[], &[SCALE]);
    let no_failures = [
        SCALE,
        ("ZGUIDE_CRASH_CYCLE", "never"),
        ("ZGUIDE_OVERLOAD_CYCLE", "never"),
    ];
    let mut worker = scenario.spawn_with_env("asyncio_ppworker", &[], &no_failures);
    let mut client = scenario.spawn_with_env("asyncio_lpclient", &[], &[SCALE]);
    client.wait_for_output("I: Server replied OK (b'2')", TIMEOUT);
    worker.wait_for_output("I: Queue heartbeat", TIMEOUT);
    worker.wait_for_output("I: Worker heartbeat", TIMEOUT);

    // The worker killed: the client's request is lost and resent; a new
    // worker takes it.
    let first_worker = worker.stop();
    client.wait_for_output("W: No response from server, retrying...", TIMEOUT);
    let pending = last_reply(&client) + 1;
    let mut worker = scenario.spawn_with_env("asyncio_ppworker", &[], &no_failures);
    client.wait_for_output(&format!("I: Server replied OK (b'{pending}')"), TIMEOUT);

    // The queue killed: the worker misses its heartbeats and reconnects,
    // waiting longer each time; the client gives up.
    let queue = queue.stop();
    worker.wait_for_output(
        "W: Heartbeat failure, can't reach queue\nW: Reconnecting in 1.00s...\n",
        TIMEOUT,
    );
    worker.wait_for_output(
        "W: Heartbeat failure, can't reach queue\nW: Reconnecting in 2.00s...\n",
        TIMEOUT,
    );
    client.wait_for_output("E: Server seems to be offline, abandoning", TIMEOUT);
    let worker = worker.stop();
    let client = client.stop();

    let lines: Vec<String> = client.lines().into_iter().map(str::to_owned).collect();
    assert_in_order(
        &lines,
        &[
            "I: Server replied OK (b'1')",
            "I: Server replied OK (b'2')",
            &format!("I: Sending ({pending})"),
            "W: No response from server, retrying...",
            &format!("I: Reconnecting and resending ({pending})"),
            &format!("I: Server replied OK (b'{pending}')"),
            "E: Server seems to be offline, abandoning",
        ],
    );
    let first = first_worker.lines();
    let replies = first.iter().filter(|l| **l == "I: Normal reply").count();
    assert!(replies >= 2, "{first:#?}");
    assert!(
        worker.lines().contains(&"I: Normal reply"),
        "{:#?}",
        worker.lines()
    );
    // A healthy queue prints nothing; killed workers may expire.
    assert!(
        queue
            .lines()
            .iter()
            .all(|line| line.starts_with("W: Idle worker expired: b'")),
        "{:#?}",
        queue.lines()
    );
}
