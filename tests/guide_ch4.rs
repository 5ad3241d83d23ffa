//! Chapter 4 of the guide, reliable request-reply: every pattern run as
//! the processes it is made of, failures staged for real (SIGKILL through
//! `std::process::Child`, or the originals' own simulated crashes pinned to
//! a cycle), and recovery checked within a bound.
//!
//! The examples' timeouts, heartbeats and sleeps are shortened with
//! `ZGUIDE_TIME_SCALE`, which keeps every ratio of the originals (a
//! simulated overload still outlasts a client's timeout, three missed
//! heartbeats still make a dead peer). The example binaries come from
//! `cargo test` (or `cargo build --examples`), see `tests/common/mod.rs`.

mod common;

#[path = "../examples/guide/ch4/flcliapi.rs"]
mod flcliapi;

use std::fs;
use std::thread;
use std::time::{Duration, Instant};

use common::{Running, Scenario};

/// Far longer than any of these waits should take, so only a failure to
/// recover trips it.
const TIMEOUT: Duration = Duration::from_secs(30);

/// The variable that shortens the examples' timing.
const SCALE: &str = "ZGUIDE_TIME_SCALE";

/// Waits until what `running` printed (stdout, stderr) satisfies `done`;
/// fails the test with its output otherwise.
fn wait_until(running: &Running, what: &str, done: impl Fn(&str, &str) -> bool) {
    let deadline = Instant::now() + TIMEOUT;
    loop {
        let (out, err) = (running.stdout_so_far(), running.stderr_so_far());
        if done(&out, &err) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "no {what} within {TIMEOUT:?}\n--- stdout ---\n{out}\n--- stderr ---\n{err}"
        );
        thread::sleep(Duration::from_millis(20));
    }
}

/// How many times `needle` occurs in `text`.
fn count(text: &str, needle: &str) -> usize {
    text.matches(needle).count()
}

/// The Lazy Pirate client's log for the requests `range`, each answered at
/// the first attempt.
fn lazy_pirate_ok(range: std::ops::Range<u32>) -> Vec<String> {
    range
        .flat_map(|n| {
            [
                format!("INFO: Sending (b'{n}')"),
                format!("INFO: Server replied OK (b'{n}')"),
            ]
        })
        .collect()
}

#[test]
fn lazy_pirate_client_rides_out_an_overload_then_abandons_a_crashed_server() {
    let scenario = Scenario::new();
    // The overload (cycle 3) outlasts the client's timeout once; the crash
    // (cycle 5) takes the server away for good.
    let server = scenario.spawn_with_env(
        "lpserver",
        &[],
        &[
            (SCALE, "0.5"),
            ("ZGUIDE_OVERLOAD_CYCLE", "3"),
            ("ZGUIDE_CRASH_CYCLE", "5"),
        ],
    );
    let client = scenario
        .spawn_with_env("lpclient", &[], &[(SCALE, "0.5")])
        .wait(TIMEOUT)
        .success();

    let mut expected = vec!["INFO: Connecting to server…".to_owned()];
    expected.extend(lazy_pirate_ok(0..3));
    let retry = |n: u32| {
        [
            "WARNING: No response from server".to_owned(),
            "INFO: Reconnecting to server…".to_owned(),
            format!("INFO: Resending (b'{n}')"),
        ]
    };
    expected.push("INFO: Sending (b'3')".to_owned());
    expected.extend(retry(3));
    expected.push("INFO: Server replied OK (b'3')".to_owned());
    expected.push("INFO: Sending (b'4')".to_owned());
    expected.extend(retry(4));
    expected.extend(retry(4));
    expected.push("WARNING: No response from server".to_owned());
    expected.push("ERROR: Server seems to be offline, abandoning".to_owned());
    assert_eq!(client.stderr.lines().collect::<Vec<_>>(), expected);

    let server = server.wait(TIMEOUT).success();
    assert_eq!(
        server.stderr.lines().collect::<Vec<_>>(),
        [
            "INFO: Normal request (b'0')",
            "INFO: Normal request (b'1')",
            "INFO: Normal request (b'2')",
            "INFO: Simulating CPU overload",
            // The late answer goes to the closed socket; the resent
            // request is answered.
            "INFO: Normal request (b'3')",
            "INFO: Normal request (b'3')",
            "INFO: Simulating a crash",
        ]
    );
}

#[test]
fn lazy_pirate_client_recovers_when_a_killed_server_is_restarted() {
    let scenario = Scenario::new();
    let calm = [
        (SCALE, "0.5"),
        ("ZGUIDE_OVERLOAD_CYCLE", "never"),
        ("ZGUIDE_CRASH_CYCLE", "never"),
    ];
    let server = scenario.spawn_with_env("lpserver", &[], &calm);
    let mut client = scenario.spawn_with_env("lpclient", &[], &[(SCALE, "0.5")]);
    client.wait_for_stderr("INFO: Server replied OK (b'2')", TIMEOUT);

    // A real crash: the request in flight is lost with the server.
    drop(server.stop());
    client.wait_for_stderr("WARNING: No response from server", TIMEOUT);
    let log = client.stderr_so_far();
    let pending = log
        .lines()
        .rev()
        .find_map(|line| line.strip_prefix("INFO: Sending (b'"))
        .and_then(|rest| rest.strip_suffix("')"))
        .and_then(|n| n.parse::<u32>().ok())
        .unwrap_or_else(|| panic!("no request in flight in {log}"));

    // Back before the client's three attempts are spent.
    let restarted_at = Instant::now();
    let server = scenario.spawn_with_env("lpserver", &[], &calm);
    client.wait_for_stderr(&format!("INFO: Server replied OK (b'{pending}')"), TIMEOUT);
    client.wait_for_stderr(
        &format!("INFO: Server replied OK (b'{}')", pending + 1),
        TIMEOUT,
    );
    assert!(
        restarted_at.elapsed() < Duration::from_secs(10),
        "recovery took {:?}",
        restarted_at.elapsed()
    );
    let log = client.stop().stderr;
    assert!(
        log.contains(&format!("INFO: Resending (b'{pending}')")),
        "{log}"
    );
    assert!(!log.contains("abandoning"), "{log}");
    assert!(
        server
            .stop()
            .stderr
            .contains(&format!("INFO: Normal request (b'{pending}')"))
    );
}

#[test]
fn simple_pirate_queue_serves_through_a_new_worker_after_one_is_killed() {
    let scenario = Scenario::new();
    let calm = [
        (SCALE, "0.2"),
        ("ZGUIDE_OVERLOAD_CYCLE", "never"),
        ("ZGUIDE_CRASH_CYCLE", "never"),
    ];
    let queue = scenario.spawn("spqueue", &[]);
    let mut first = scenario.spawn_with_env("spworker", &[], &calm);
    first.wait_for_output("worker ready", TIMEOUT);
    let mut client = scenario.spawn_with_env("lpclient", &[], &[(SCALE, "0.2")]);
    client.wait_for_stderr("INFO: Server replied OK (b'2')", TIMEOUT);

    // The queue has no heartbeat: a dead worker costs the client a retry.
    let first = first.stop();
    let mut second = scenario.spawn_with_env("spworker", &[], &calm);
    second.wait_for_output("worker ready", TIMEOUT);
    let served_before = count(&client.stderr_so_far(), "Server replied OK");
    wait_until(&client, "three more replies", |_, err| {
        count(err, "Server replied OK") >= served_before + 3
    });
    let log = client.stop().stderr;
    assert!(!log.contains("abandoning"), "{log}");
    assert!(first.stdout.contains("normal reply"), "{}", first.stdout);
    let second = second.stop();
    assert!(second.stdout.contains("normal reply"), "{}", second.stdout);
    drop(queue.stop());
}

#[test]
fn simple_pirate_worker_stages_a_crash_at_the_scripted_cycle() {
    let scenario = Scenario::new();
    let queue = scenario.spawn("spqueue", &[]);
    let worker = scenario.spawn_with_env(
        "spworker",
        &[],
        &[
            (SCALE, "0.2"),
            ("ZGUIDE_OVERLOAD_CYCLE", "2"),
            ("ZGUIDE_CRASH_CYCLE", "3"),
        ],
    );
    let mut client = scenario.spawn_with_env("lpclient", &[], &[(SCALE, "0.2")]);
    let worker = worker.wait(TIMEOUT).success();
    let lines = worker.lines();
    let id = lines[0]
        .strip_prefix("I: (")
        .and_then(|rest| rest.strip_suffix(") worker ready"))
        .unwrap_or_else(|| panic!("unexpected first line {:?}", lines[0]));
    assert_eq!(
        lines[1..],
        [
            format!("I: ({id}) normal reply"),
            format!("I: ({id}) simulating CPU overload"),
            format!("I: ({id}) normal reply"),
            format!("I: ({id}) simulating a crash"),
        ]
    );
    // With no worker left, the client gives up.
    client.wait_for_stderr("ERROR: Server seems to be offline, abandoning", TIMEOUT);
    drop(queue.stop());
}

#[test]
fn paranoid_pirate_queue_drops_a_killed_worker_and_uses_a_new_one() {
    let scenario = Scenario::new();
    let calm = [
        (SCALE, "0.2"),
        ("ZGUIDE_OVERLOAD_CYCLE", "never"),
        ("ZGUIDE_CRASH_CYCLE", "never"),
    ];
    let queue = scenario.spawn_with_env("ppqueue", &[], &[(SCALE, "0.2")]);
    let mut doomed = scenario.spawn_with_env("ppworker", &[], &calm);
    doomed.wait_for_output("I: Queue heartbeat", TIMEOUT);

    // Killed while idle: three missed heartbeats later the queue forgets it.
    let killed_at = Instant::now();
    drop(doomed.stop());
    wait_until(&queue, "expiry of the killed worker", |out, _| {
        out.contains("W: Idle worker expired: b'")
    });
    assert!(
        killed_at.elapsed() < Duration::from_secs(5),
        "expiry took {:?}",
        killed_at.elapsed()
    );

    // A new worker takes the requests.
    let mut fresh = scenario.spawn_with_env("ppworker", &[], &calm);
    fresh.wait_for_output("I: Queue heartbeat", TIMEOUT);
    let mut client = scenario.spawn_with_env("lpclient", &[], &[(SCALE, "0.2")]);
    client.wait_for_stderr("INFO: Server replied OK (b'3')", TIMEOUT);
    let log = client.stop().stderr;
    assert!(!log.contains("No response"), "{log}");
    let fresh = fresh.stop();
    assert!(
        count(&fresh.stdout, "I: Normal reply") >= 4,
        "{}",
        fresh.stdout
    );
    let queue = queue.stop();
    assert_eq!(
        count(&queue.stdout, "W: Idle worker expired"),
        1,
        "{}",
        queue.stdout
    );
}

#[test]
fn paranoid_pirate_worker_backs_off_then_reconnects_to_a_restarted_queue() {
    let scenario = Scenario::new();
    let calm = [
        (SCALE, "0.2"),
        ("ZGUIDE_OVERLOAD_CYCLE", "never"),
        ("ZGUIDE_CRASH_CYCLE", "never"),
    ];
    let queue = scenario.spawn_with_env("ppqueue", &[], &[(SCALE, "0.2")]);
    let mut worker = scenario.spawn_with_env("ppworker", &[], &calm);
    worker.wait_for_output("I: Queue heartbeat", TIMEOUT);

    drop(queue.stop());
    // Each failed attempt doubles the wait.
    worker.wait_for_output("W: Heartbeat failure, can't reach queue", TIMEOUT);
    worker.wait_for_output("W: Reconnecting in 1.00s...", TIMEOUT);
    worker.wait_for_output("W: Reconnecting in 2.00s...", TIMEOUT);

    let queue = scenario.spawn_with_env("ppqueue", &[], &[(SCALE, "0.2")]);
    let heard_before = count(&worker.stdout_so_far(), "I: Queue heartbeat");
    wait_until(&worker, "the restarted queue's heartbeat", |out, _| {
        count(out, "I: Queue heartbeat") > heard_before
    });
    let mut client = scenario.spawn_with_env("lpclient", &[], &[(SCALE, "0.2")]);
    client.wait_for_stderr("INFO: Server replied OK (b'2')", TIMEOUT);
    drop(client.stop());
    let out = worker.stop().stdout;
    assert!(out.contains("I: Normal reply"), "{out}");
    drop(queue.stop());
}

/// The last line of a Majordomo client: how many round trips it made.
fn processed(out: &str) -> u64 {
    out.lines()
        .find_map(|line| line.strip_suffix(" requests/replies processed"))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no count in {out:?}"))
}

#[test]
fn majordomo_client_completes_its_requests_while_a_worker_is_killed_mid_stream() {
    let scenario = Scenario::new();
    let fast = [(SCALE, "0.2")];
    let mut broker = scenario.spawn_with_env("mdbroker", &[], &fast);
    broker.wait_for_stderr("I: MDP broker/0.1.1 is active at", TIMEOUT);
    let mut workers: Vec<Running> = (0..3)
        .map(|_| scenario.spawn_with_env("mdworker", &[], &fast))
        .collect();
    // A moment for the workers to say READY.
    thread::sleep(Duration::from_millis(300));

    let requests = 20_000;
    let mut client = scenario.spawn_with_env(
        "mdclient",
        &[],
        &[(SCALE, "0.2"), ("ZGUIDE_REQUESTS", &requests.to_string())],
    );
    thread::sleep(Duration::from_millis(300));
    assert!(client.is_running(), "the client finished before the kill");
    drop(workers.remove(0).stop());

    let client = client.wait(TIMEOUT).success();
    assert_eq!(processed(&client.stdout), requests, "{}", client.stderr);

    // The broker lives on and knows the service.
    let mmi = scenario
        .spawn_with_env("mmiecho", &[], &fast)
        .wait(TIMEOUT)
        .success();
    assert_eq!(mmi.lines(), ["Lookup echo service: b'200'"]);
    assert!(broker.is_running());
    drop(broker.stop());
}

#[test]
fn mmi_service_answers_404_until_a_worker_offers_the_service_then_200() {
    let scenario = Scenario::new();
    let fast = [(SCALE, "0.2")];
    let broker = scenario.spawn_with_env("mdbroker", &[], &fast);
    let mmi = scenario
        .spawn_with_env("mmiecho", &[], &fast)
        .wait(TIMEOUT)
        .success();
    assert_eq!(mmi.lines(), ["Lookup echo service: b'404'"]);

    let _worker = scenario.spawn_with_env("mdworker", &[], &fast);
    let deadline = Instant::now() + TIMEOUT;
    loop {
        let mmi = scenario
            .spawn_with_env("mmiecho", &[], &fast)
            .wait(TIMEOUT)
            .success();
        if mmi.lines() == ["Lookup echo service: b'200'"] {
            break;
        }
        assert_eq!(mmi.lines(), ["Lookup echo service: b'404'"]);
        assert!(Instant::now() < deadline, "the worker never registered");
        thread::sleep(Duration::from_millis(50));
    }
    drop(broker.stop());
}

#[test]
fn mmi_lookup_without_a_broker_reports_no_response() {
    let scenario = Scenario::new();
    let mmi = scenario
        .spawn_with_env("mmiecho", &[], &[(SCALE, "0.1")])
        .wait(TIMEOUT)
        .success();
    assert_eq!(
        mmi.lines(),
        ["E: no response from broker, make sure it's running"]
    );
    // Three attempts, then the permanent error.
    assert_eq!(count(&mmi.stderr, "W: no reply, reconnecting..."), 2);
    assert_eq!(count(&mmi.stderr, "W: permanent error, abandoning"), 1);
}

#[test]
fn asynchronous_majordomo_client_has_all_its_requests_in_flight_before_any_worker_exists() {
    let scenario = Scenario::new();
    let mut broker = scenario.spawn("mdbroker", &[]);
    broker.wait_for_stderr("I: MDP broker/0.1.1 is active at", TIMEOUT);
    // Every request is sent before the first reply is awaited, and the
    // first reply may take 2.5 s: long enough to start the workers after
    // the requests are queued at the broker.
    let requests = 2_000;
    let client = scenario.spawn_with_env(
        "mdclient2",
        &[],
        &[("ZGUIDE_REQUESTS", &requests.to_string())],
    );
    thread::sleep(Duration::from_millis(500));
    let workers: Vec<Running> = (0..2).map(|_| scenario.spawn("mdworker", &[])).collect();
    let client = client.wait(TIMEOUT).success();
    assert_eq!(processed(&client.stdout), requests, "{}", client.stderr);
    drop(workers);
    drop(broker.stop());
}

#[test]
fn majordomo_broker_worker_and_client_stop_cleanly_on_ctrl_c() {
    let scenario = Scenario::new();
    let fast = [(SCALE, "0.2")];
    let mut broker = scenario.spawn_with_env("mdbroker", &[], &fast);
    broker.wait_for_stderr("I: MDP broker/0.1.1 is active at", TIMEOUT);
    let worker = scenario.spawn_with_env("mdworker", &[], &fast);
    let client = scenario.spawn_with_env("mdclient", &[], &fast);
    thread::sleep(Duration::from_millis(500));

    // Ctrl-C ends the client's run early, with its count so far.
    let client = client.interrupt_until_exit(TIMEOUT).success();
    assert!(processed(&client.stdout) > 0, "{}", client.stdout);
    let worker = worker.interrupt_until_exit(TIMEOUT).success();
    assert!(
        worker
            .stderr
            .ends_with(" W: interrupt received, killing worker...\n"),
        "{}",
        worker.stderr
    );
    drop(broker.interrupt_until_exit(TIMEOUT).success());
}

#[test]
fn titanic_keeps_a_request_on_disk_across_a_kill_and_serves_it_after_restart() {
    let scenario = Scenario::new();
    let store = scenario.ipc_dir().join("titanic");
    let store_text = store.to_str().expect("a UTF-8 temp dir").to_owned();
    let fast = [(SCALE, "0.2")];
    let titanic_env = [(SCALE, "0.2"), ("ZGUIDE_TITANIC_DIR", store_text.as_str())];
    let _broker = scenario.spawn_with_env("mdbroker", &[], &fast);
    let titanic = scenario.spawn_with_env("titanic", &[], &titanic_env);

    // No echo worker yet: the request waits in Titanic's queue.
    let mut client = scenario.spawn_with_env("ticlient", &[], &fast);
    client.wait_for_output("I: no reply yet, trying again...", TIMEOUT);
    let out = client.stdout_so_far();
    let uuid = out
        .lines()
        .find_map(|line| line.strip_prefix("I: request UUID  b'"))
        .and_then(|rest| rest.strip_suffix('\''))
        .unwrap_or_else(|| panic!("no UUID in {out}"))
        .to_owned();
    assert_eq!(uuid.len(), 32, "{uuid}");
    assert!(store.join(format!("{uuid}.req")).exists());
    let queue = fs::read_to_string(store.join("queue")).expect("the queue file");
    assert_eq!(queue, format!("-{uuid}\n"));

    // Killed, and started again at once, on the same directory.
    let first = titanic.stop();
    assert!(
        first
            .stdout
            .contains(&format!("I: processing request {uuid}")),
        "{}",
        first.stdout
    );
    let titanic = scenario.spawn_with_env("titanic", &[], &titanic_env);

    // Only now can the request be served.
    let _worker = scenario.spawn_with_env("mdworker", &[], &fast);
    let client = client.wait(TIMEOUT).success();
    assert!(
        client.stdout.ends_with("I: reply: b'Hello world'\n"),
        "{}",
        client.stdout
    );
    let queue = fs::read_to_string(store.join("queue")).expect("the queue file");
    assert_eq!(queue, format!("+{uuid}\n"));
    // Closed: the request and reply files are gone.
    assert!(!store.join(format!("{uuid}.req")).exists());
    assert!(!store.join(format!("{uuid}.rep")).exists());
    drop(titanic.stop());
}

/// The lines Binary Star servers print as they meet.
const PRIMARY_MEETS: &str = "I: connected to backup (slave), ready as master";
const BACKUP_MEETS: &str = "I: connected to primary (master), ready as slave";

/// Runs a primary-backup pair of `server` and a `bstarcli`: the primary is
/// killed, the client fails over to the backup, and the primary comes back
/// as the slave. Returns the backup's output.
fn binary_star_fails_over(server: &str) -> String {
    let scenario = Scenario::new();
    let fast = [(SCALE, "0.2")];
    let mut primary = scenario.spawn_with_env(server, &["-p"], &fast);
    let mut backup = scenario.spawn_with_env(server, &["-b"], &fast);
    primary.wait_for_output(PRIMARY_MEETS, TIMEOUT);
    backup.wait_for_output(BACKUP_MEETS, TIMEOUT);

    let mut client = scenario.spawn_with_env("bstarcli", &[], &fast);
    client.wait_for_output("I: server replied OK (2)", TIMEOUT);
    assert!(!client.stdout_so_far().contains("failing over"));

    // The primary dies; the client fails over and the backup takes over.
    drop(primary.stop());
    let killed_at = Instant::now();
    client.wait_for_output("W: no response from server, failing over", TIMEOUT);
    client.wait_for_output(
        &format!(
            "I: connecting to server at tcp://localhost:{}..",
            scenario.port(5002)
        ),
        TIMEOUT,
    );
    let answered = count(&client.stdout_so_far(), "I: server replied OK");
    wait_until(&client, "a reply from the backup", |out, _| {
        count(out, "I: server replied OK") > answered
    });
    assert!(
        killed_at.elapsed() < Duration::from_secs(10),
        "failover took {:?}",
        killed_at.elapsed()
    );

    // The primary returns and finds the backup in charge: it stands by.
    let mut primary = scenario.spawn_with_env(server, &["-p"], &fast);
    primary.wait_for_output("I: connected to backup (master), ready as slave", TIMEOUT);

    // A passive primary refuses requests while its peer lives: a new
    // client tries it first, gets nothing and fails over to the backup.
    let mut second = scenario.spawn_with_env("bstarcli", &[], &fast);
    second.wait_for_output("I: server replied OK (0)", TIMEOUT);
    let out = second.stop().stdout;
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[..3],
        [
            "W: no response from server, failing over",
            &format!(
                "I: connecting to server at tcp://localhost:{}..",
                scenario.port(5002)
            ),
            "I: server replied OK (0)",
        ],
        "{out}"
    );

    // The first client carried on with the backup throughout.
    let answered = count(&client.stdout_so_far(), "I: server replied OK");
    wait_until(&client, "another reply", |out, _| {
        count(out, "I: server replied OK") > answered
    });
    let out = client.stop().stdout;
    assert_eq!(count(&out, "failing over"), 1, "{out}");
    assert!(!out.contains("malformed"), "{out}");
    drop(primary.stop());
    backup.stop().stdout
}

#[test]
fn binary_star_backup_takes_over_when_the_primary_is_killed() {
    let backup = binary_star_fails_over("bstarsrv");
    // bstarsrv's failover is silent, as in its original.
    assert_eq!(
        backup.lines().collect::<Vec<_>>(),
        [
            "I: Backup slave, waiting for primary (master)",
            BACKUP_MEETS
        ],
        "{backup}"
    );
}

#[test]
fn binary_star_reactor_backup_takes_over_when_the_primary_is_killed() {
    let backup = binary_star_fails_over("bstarsrv2");
    let lines: Vec<&str> = backup.lines().collect();
    assert_eq!(lines[0], BACKUP_MEETS, "{backup}");
    // Requests are refused until the failover, then each one is served.
    let failover = lines
        .iter()
        .position(|line| *line == "I: failover successful, ready as master")
        .unwrap_or_else(|| panic!("no failover in {backup}"));
    assert!(lines[1..failover].is_empty(), "{backup}");
    assert!(
        lines[failover + 1..]
            .iter()
            .all(|line| *line == "CLIENT REQUEST"),
        "{backup}"
    );
    assert!(lines.len() > failover + 1, "{backup}");
}

#[test]
fn binary_star_backup_alone_refuses_clients_until_the_primary_arrives() {
    let scenario = Scenario::new();
    let fast = [(SCALE, "0.2")];
    let mut backup = scenario.spawn_with_env("bstarsrv", &["-b"], &fast);
    backup.wait_for_output("I: Backup slave, waiting for primary (master)", TIMEOUT);
    let mut client = scenario.spawn_with_env("bstarcli", &[], &fast);

    // The client tries both servers in turn; the backup drops its
    // requests rather than become master on its own.
    wait_until(&client, "failovers", |out, _| {
        count(out, "W: no response from server, failing over") >= 3
    });
    assert!(!client.stdout_so_far().contains("replied OK"));

    // With the primary up, the pair forms and the client is served.
    let mut primary = scenario.spawn_with_env("bstarsrv", &["-p"], &fast);
    primary.wait_for_output(PRIMARY_MEETS, TIMEOUT);
    client.wait_for_output("I: server replied OK (0)", TIMEOUT);
    drop(client.stop());
    drop(primary.stop());
    let out = backup.stop().stdout;
    assert!(out.contains(BACKUP_MEETS), "{out}");
}

#[test]
fn bstarsrv2_without_a_role_prints_its_usage() {
    let run = Scenario::new().run("bstarsrv2", &[], TIMEOUT);
    assert_eq!(run.stdout, "Usage: bstarsrv2 { -p | -b }\n\n");
}

#[test]
fn freelance_model_1_skips_a_dead_server_and_retries_a_lone_one() {
    let scenario = Scenario::new();
    let fast = [(SCALE, "0.2")];
    let dead = "tcp://localhost:5556";
    let mut server = scenario.spawn("flserver1", &["tcp://*:5555"]);
    server.wait_for_output("I: Echo service is ready at", TIMEOUT);
    let live = format!("tcp://localhost:{}", scenario.port(5555));
    let dead_shifted = format!("tcp://localhost:{}", scenario.port(5556));

    let run = scenario
        .spawn_with_env("flclient1", &[dead, "tcp://localhost:5555"], &fast)
        .wait(TIMEOUT)
        .success();
    assert_eq!(
        run.lines(),
        [
            format!("I: Trying echo service at {dead_shifted}..."),
            format!("W: No response from {dead_shifted}"),
            format!("I: Trying echo service at {live}..."),
            "Service is running OK".to_owned(),
        ]
    );

    // One dead endpoint: three tries, then silence.
    let run = scenario
        .spawn_with_env("flclient1", &[dead], &fast)
        .wait(TIMEOUT)
        .success();
    let mut expected = Vec::new();
    for _ in 0..3 {
        expected.push(format!("I: Trying echo service at {dead_shifted}..."));
        expected.push(format!("W: No response from {dead_shifted}, retrying"));
    }
    assert_eq!(run.lines(), expected);
    drop(server.stop());
}

/// `Average round trip cost: N usec`, with N a whole number.
fn assert_round_trip_line(line: &str) {
    let usec = line
        .strip_prefix("Average round trip cost: ")
        .and_then(|rest| rest.strip_suffix(" usec"))
        .unwrap_or_else(|| panic!("unexpected line {line:?}"));
    usec.parse::<u64>()
        .unwrap_or_else(|_| panic!("not a whole number: {line:?}"));
}

#[test]
fn freelance_model_2_takes_the_live_servers_answer_beside_a_dead_one() {
    let scenario = Scenario::new();
    let fast = [(SCALE, "0.2")];
    let mut server = scenario.spawn("flserver2", &["tcp://*:5555"]);
    server.wait_for_output("I: Service is ready at", TIMEOUT);

    let run = scenario
        .spawn_with_env(
            "flclient2",
            &["tcp://localhost:5556", "tcp://localhost:5555"],
            &[(SCALE, "0.2"), ("ZGUIDE_REQUESTS", "2000")],
        )
        .wait(TIMEOUT)
        .success();
    let lines = run.lines();
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert_eq!(
        lines[0],
        format!("I: Connected to tcp://localhost:{}", scenario.port(5556))
    );
    assert_eq!(
        lines[1],
        format!("I: Connected to tcp://localhost:{}", scenario.port(5555))
    );
    assert_round_trip_line(lines[2]);

    // With no live server the first request gives up.
    drop(server.stop());
    let run = scenario
        .spawn_with_env("flclient2", &["tcp://localhost:5556"], &fast)
        .wait(TIMEOUT)
        .success();
    assert_eq!(run.lines()[1], "E: Name service not available, aborting");
}

#[test]
fn freelance_model_3_reaches_its_live_server_past_two_dead_ones() {
    let scenario = Scenario::new();
    let mut server = scenario.spawn("flserver3", &[]);
    server.wait_for_output("I: service is ready at", TIMEOUT);
    let run = scenario
        .spawn_with_env(
            "flclient3",
            &[],
            &[(SCALE, "0.2"), ("ZGUIDE_REQUESTS", "2000")],
        )
        .wait(TIMEOUT)
        .success();
    let lines = run.lines();
    let connecting: Vec<String> = [5555, 5556, 5557]
        .iter()
        .map(|&port| {
            format!(
                "I: connecting to tcp://localhost:{}...",
                scenario.port(port)
            )
        })
        .collect();
    assert_eq!(lines[..3], connecting);
    assert_eq!(lines.len(), 4, "{lines:?}");
    assert_round_trip_line(lines[3]);
    drop(server.stop());

    // No server at all: the request expires.
    let run = scenario
        .spawn_with_env("flclient3", &[], &[(SCALE, "0.2")])
        .wait(TIMEOUT)
        .success();
    assert_eq!(run.lines()[3], "E: name service not available, aborting");
}

#[test]
fn freelance_agent_drops_a_dead_server_once_its_time_to_live_is_up() {
    let scenario = Scenario::new();
    // A live flserver3 on 5556 (its fixed port, shifted one further); 5555
    // stays dead. The agent believes both alive at first, and a request
    // goes to the first: 5555.
    let mut server = scenario.spawn_with_port_shift("flserver3", &[], &[], 1);
    server.wait_for_output("I: service is ready at", TIMEOUT);
    let client = flcliapi::FreelanceClient::new().expect("the client");
    client
        .connect(&format!("tcp://localhost:{}", scenario.port(5555)))
        .expect("connect");
    client
        .connect(&format!("tcp://localhost:{}", scenario.port(5556)))
        .expect("connect");

    // The dead server lives 6 s in the agent's eyes, a request 3 s: the
    // first requests expire, then the dead server is dropped and the live
    // one answers.
    let started = Instant::now();
    let mut failed = 0;
    let reply = loop {
        match client.request(&[b"random name"]).expect("request") {
            Some(reply) => break reply,
            None => failed += 1,
        }
        assert!(started.elapsed() < TIMEOUT, "never answered");
    };
    assert_eq!(reply, [b"OK".to_vec()]);
    assert!((1..=2).contains(&failed), "{failed} requests failed");
    // From now on every request goes straight to the live server.
    for _ in 0..100 {
        assert_eq!(
            client.request(&[b"random name"]).expect("request"),
            Some(vec![b"OK".to_vec()])
        );
    }
    drop(server.stop());
}

#[test]
fn tripping_reports_synchronous_and_asynchronous_round_trip_rates() {
    let run = Scenario::new()
        .spawn_with_env("tripping", &[], &[("ZGUIDE_REQUESTS", "2000")])
        .wait(TIMEOUT)
        .success();
    let lines = run.lines();
    assert_eq!(lines.len(), 5, "{lines:?}");
    assert_eq!(lines[0], "Setting up test...");
    assert_eq!(lines[1], "Synchronous round-trip test...");
    assert_eq!(lines[3], "Asynchronous round-trip test...");
    for line in [lines[2], lines[4]] {
        let rate = line
            .strip_prefix(' ')
            .and_then(|rest| rest.strip_suffix(" calls/second"))
            .and_then(|n| n.parse::<u64>().ok())
            .unwrap_or_else(|| panic!("unexpected line {line:?}"));
        assert!(rate > 0, "{line}");
    }
}
