//! Soak variants of chapter 4's failure tests: the same processes, killed
//! (SIGKILL) and restarted over and over, for minutes. Ignored by default;
//! run them with
//!
//! ```text
//! cargo build --examples
//! cargo test --test guide_ch4_soak -- --ignored --test-threads 1
//! ```
//!
//! `ZGUIDE_SOAK_ROUNDS` sets how many kill-and-restart rounds each makes
//! (default 20).

mod common;

use std::thread;
use std::time::{Duration, Instant};

use common::{Running, Scenario};

/// One round's recovery must fit in this.
const ROUND_TIMEOUT: Duration = Duration::from_secs(60);

const SCALE: &str = "ZGUIDE_TIME_SCALE";

fn rounds() -> usize {
    std::env::var("ZGUIDE_SOAK_ROUNDS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(20)
}

fn count(text: &str, needle: &str) -> usize {
    text.matches(needle).count()
}

/// Waits until `count(stream, needle)` exceeds `above`, on stdout or (with
/// `stderr`) stderr; fails with the output otherwise.
fn wait_for_more(running: &Running, stderr: bool, needle: &str, above: usize) {
    let deadline = Instant::now() + ROUND_TIMEOUT;
    loop {
        let text = if stderr {
            running.stderr_so_far()
        } else {
            running.stdout_so_far()
        };
        if count(&text, needle) > above {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "no more {needle:?} within {ROUND_TIMEOUT:?}:\n{text}"
        );
        thread::sleep(Duration::from_millis(20));
    }
}

const CALM: [(&str, &str); 3] = [
    (SCALE, "0.3"),
    ("ZGUIDE_OVERLOAD_CYCLE", "never"),
    ("ZGUIDE_CRASH_CYCLE", "never"),
];

#[test]
#[ignore = "soak: minutes of kills and restarts"]
fn soak_lazy_pirate_client_outlives_a_server_killed_again_and_again() {
    let scenario = Scenario::new();
    let client = scenario.spawn_with_env("lpclient", &[], &[(SCALE, "0.3")]);
    for _ in 0..rounds() {
        let server = scenario.spawn_with_env("lpserver", &[], &CALM);
        let ok = count(&client.stderr_so_far(), "Server replied OK");
        wait_for_more(&client, true, "Server replied OK", ok + 2);
        let silent = count(&client.stderr_so_far(), "No response from server");
        drop(server.stop());
        wait_for_more(&client, true, "No response from server", silent);
    }
    let server = scenario.spawn_with_env("lpserver", &[], &CALM);
    let ok = count(&client.stderr_so_far(), "Server replied OK");
    wait_for_more(&client, true, "Server replied OK", ok);
    let log = client.stop().stderr;
    assert!(!log.contains("abandoning"), "{log}");
    assert!(!log.contains("Malformed"), "{log}");
    drop(server.stop());
}

#[test]
#[ignore = "soak: minutes of kills and restarts"]
fn soak_paranoid_pirate_survives_killed_workers_and_a_killed_queue() {
    let scenario = Scenario::new();
    let queue_env = [(SCALE, "0.3")];
    let mut queue = scenario.spawn_with_env("ppqueue", &[], &queue_env);
    let mut workers: Vec<Running> = (0..3)
        .map(|_| scenario.spawn_with_env("ppworker", &[], &CALM))
        .collect();
    let client = scenario.spawn_with_env("lpclient", &[], &[(SCALE, "0.3")]);
    for round in 0..rounds() {
        let ok = count(&client.stderr_so_far(), "Server replied OK");
        wait_for_more(&client, true, "Server replied OK", ok + 2);
        if round % 5 == 4 {
            // The queue dies; its workers back off and come back to the
            // new one.
            drop(queue.stop());
            thread::sleep(Duration::from_millis(300));
            queue = scenario.spawn_with_env("ppqueue", &[], &queue_env);
        } else {
            // One worker dies; another takes its place.
            drop(workers.remove(round % workers.len()).stop());
            workers.push(scenario.spawn_with_env("ppworker", &[], &CALM));
        }
    }
    let ok = count(&client.stderr_so_far(), "Server replied OK");
    wait_for_more(&client, true, "Server replied OK", ok + 2);
    let log = client.stop().stderr;
    assert!(!log.contains("abandoning"), "{log}");
    drop(workers);
    drop(queue.stop());
}

#[test]
#[ignore = "soak: minutes of kills and restarts"]
fn soak_majordomo_client_completes_while_workers_are_killed_and_replaced() {
    let scenario = Scenario::new();
    let fast = [(SCALE, "0.2")];
    let mut broker = scenario.spawn_with_env("mdbroker", &[], &fast);
    broker.wait_for_stderr("I: MDP broker/0.1.1 is active at", ROUND_TIMEOUT);
    let mut workers: Vec<Running> = (0..4)
        .map(|_| scenario.spawn_with_env("mdworker", &[], &fast))
        .collect();
    thread::sleep(Duration::from_millis(300));
    // Each round, a client's run with a worker killed in the middle of it
    // and a new one started.
    let requests = 5_000u64;
    for round in 0..rounds() {
        let client = scenario.spawn_with_env(
            "mdclient",
            &[],
            &[(SCALE, "0.2"), ("ZGUIDE_REQUESTS", &requests.to_string())],
        );
        thread::sleep(Duration::from_millis(100));
        drop(workers.remove(round % workers.len()).stop());
        workers.push(scenario.spawn_with_env("mdworker", &[], &fast));
        let client = client.wait(ROUND_TIMEOUT).success();
        assert_eq!(
            client.stdout,
            format!("{requests} requests/replies processed\n"),
            "{}",
            client.stderr
        );
    }
    drop(workers);
    drop(broker.stop());
}

#[test]
#[ignore = "soak: minutes of kills and restarts"]
fn soak_binary_star_fails_over_back_and_forth() {
    let scenario = Scenario::new();
    let fast = [(SCALE, "0.2")];
    let mut servers = [
        scenario.spawn_with_env("bstarsrv2", &["-p"], &fast),
        scenario.spawn_with_env("bstarsrv2", &["-b"], &fast),
    ];
    servers[0].wait_for_output("ready as master", ROUND_TIMEOUT);
    let client = scenario.spawn_with_env("bstarcli", &[], &fast);
    // The active server alternates: primary, backup, primary, ...
    for round in 0..rounds() {
        let ok = count(&client.stdout_so_far(), "I: server replied OK");
        wait_for_more(&client, false, "I: server replied OK", ok + 2);
        let active = round % 2;
        let role = if active == 0 { "-p" } else { "-b" };
        let failed = count(&client.stdout_so_far(), "failing over");
        // Killed first: the new one binds the same ports.
        servers[active].kill();
        servers[active] = scenario.spawn_with_env("bstarsrv2", &[role], &fast);
        // The restarted server finds its peer in charge and stands by
        // (the peer takes over on the client's next request).
        servers[active].wait_for_output("ready as slave", ROUND_TIMEOUT);
        wait_for_more(&client, false, "failing over", failed);
    }
    let ok = count(&client.stdout_so_far(), "I: server replied OK");
    wait_for_more(&client, false, "I: server replied OK", ok + 2);
    let out = client.stop().stdout;
    assert!(!out.contains("malformed"), "{out}");
    // At least one failover a round; more when the client reached the
    // standby before it learnt that its peer had died.
    assert!(count(&out, "failing over") >= rounds(), "{out}");
}

#[test]
#[ignore = "soak: minutes of kills and restarts"]
fn soak_titanic_serves_every_request_across_repeated_kills() {
    let scenario = Scenario::new();
    let store = scenario.ipc_dir().join("titanic");
    let store_text = store.to_str().expect("a UTF-8 temp dir").to_owned();
    let fast = [(SCALE, "0.2")];
    let titanic_env = [(SCALE, "0.2"), ("ZGUIDE_TITANIC_DIR", store_text.as_str())];
    let _broker = scenario.spawn_with_env("mdbroker", &[], &fast);
    let _worker = scenario.spawn_with_env("mdworker", &[], &fast);
    let mut titanic = scenario.spawn_with_env("titanic", &[], &titanic_env);
    for _ in 0..rounds() {
        let client = scenario.spawn_with_env("ticlient", &[], &fast);
        thread::sleep(Duration::from_millis(150));
        // Killed with the request in any state: stored, queued, served.
        drop(titanic.stop());
        titanic = scenario.spawn_with_env("titanic", &[], &titanic_env);
        let client = client.wait(ROUND_TIMEOUT).success();
        assert!(
            client.stdout.ends_with("I: reply: b'Hello world'\n"),
            "{}",
            client.stdout
        );
    }
    drop(titanic.stop());
}
