//! Chapter 4 of the guide, its failover patterns: Binary Star (a primary
//! and a backup server, the client failing over between them) and
//! Freelance (clients talking to several servers, skipping the dead). As in
//! `guide_ch4.rs`, servers are killed for real (SIGKILL) and restarted, and
//! recovery is checked within a bound; `ZGUIDE_TIME_SCALE` shortens the
//! examples' heartbeats and timeouts, every ratio kept.

mod common;

#[path = "../examples/guide/ch4/flcliapi.rs"]
mod flcliapi;

use std::time::{Duration, Instant};

use common::Scenario;

/// Far longer than any of these waits should take, so only a failure to
/// recover trips it.
const TIMEOUT: Duration = Duration::from_secs(30);

/// The variable that shortens the examples' timing.
const SCALE: &str = "ZGUIDE_TIME_SCALE";

/// How many times `needle` occurs in `text`.
fn count(text: &str, needle: &str) -> usize {
    text.matches(needle).count()
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
    client.wait_until("a reply from the backup", TIMEOUT, |out, _| {
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
    client.wait_until("another reply", TIMEOUT, |out, _| {
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
    client.wait_until("failovers", TIMEOUT, |out, _| {
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

    // The live server must answer within the client's request timeout:
    // the original's second here (a fifth of it, 200 ms, was outrun on a
    // loaded machine: "No response" from the live server, 1 run in 10).
    let run = scenario
        .spawn_with_env("flclient1", &[dead, "tcp://localhost:5555"], &[])
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
