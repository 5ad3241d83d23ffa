//! Chapter 3 of the guide: each ported example run as a process (several
//! for the peering brokers), its printed output checked.
//!
//! The example binaries come from `cargo test` (or `cargo build --examples`),
//! see `tests/common/mod.rs`. The peering brokers and asyncsrv run until
//! interrupted, as their originals do: each test waits until the traffic it
//! looks for has shown up, then stops them.

mod common;

use std::collections::BTreeMap;
use std::time::Duration;

use common::Scenario;

/// Far longer than any of these runs takes, so only a hang trips it.
const TIMEOUT: Duration = Duration::from_secs(30);

/// How many lines of `lines` are each distinct line, e.g. {"Client-0: OK": 1}.
fn tally<'a>(lines: impl IntoIterator<Item = &'a str>) -> BTreeMap<&'a str, usize> {
    let mut counts = BTreeMap::new();
    for line in lines {
        *counts.entry(line).or_insert(0) += 1;
    }
    counts
}

#[test]
fn identity_dumps_a_generated_and_a_chosen_identity() {
    let run = Scenario::new().run("identity", &[], TIMEOUT);
    let separator = "-".repeat(40);
    let out = &run.stdout;
    let generated = out
        .strip_prefix(&format!("{separator}\n[005] "))
        .unwrap_or_else(|| panic!("no 5-byte first frame in {out:?}"));
    // libzmq's generated identity is a zero byte, then a 32-bit counter that
    // starts at a random value. dump shows it as hex unless all five bytes
    // are ASCII; then the raw bytes are the text, which may even hold a
    // line break, so the line is taken apart by bytes, not by lines.
    let rest = if let Some(hex) = generated.strip_prefix("0x") {
        let digits = hex.get(..10).unwrap_or(hex);
        assert!(
            digits.len() == 10 && digits.chars().all(|c| c.is_ascii_hexdigit()),
            "not ten hex digits: {out:?}"
        );
        let bytes: Vec<u8> = (0..10)
            .step_by(2)
            .map(|i| u8::from_str_radix(&digits[i..i + 2], 16).expect("hex"))
            .collect();
        assert_eq!(bytes[0], 0, "{out:?}");
        assert!(!bytes.is_ascii(), "all ASCII, so dump prints text: {out:?}");
        &hex[10..]
    } else {
        let bytes = generated.as_bytes();
        assert!(
            bytes.len() >= 5 && bytes[0] == 0 && bytes[..5].is_ascii(),
            "neither hex nor a zero byte and four ASCII bytes: {out:?}"
        );
        &generated[5..]
    };
    let lines: Vec<&str> = rest
        .strip_prefix('\n')
        .unwrap_or_else(|| panic!("the identity line does not end: {out:?}"))
        .lines()
        .collect();
    assert_eq!(
        lines,
        [
            "[000] ",
            "[039] ROUTER uses a generated 5 byte identity",
            &separator,
            "[005] PEER2",
            "[000] ",
            "[040] ROUTER socket uses REQ's socket identity",
        ]
    );
}

#[test]
fn rtreq_hands_a_hundred_tasks_to_ten_workers() {
    let run = Scenario::new().run("rtreq", &[], TIMEOUT);
    let lines = run.lines();
    assert_eq!(lines.len(), 10, "{lines:?}");
    let total: usize = lines
        .iter()
        .map(|line| {
            line.strip_prefix("Processed: ")
                .and_then(|rest| rest.strip_suffix(" tasks"))
                .and_then(|n| n.parse::<usize>().ok())
                .unwrap_or_else(|| panic!("unexpected line {line:?}"))
        })
        .sum();
    assert_eq!(total, 100, "{lines:?}");
}

#[test]
fn rtdealer_splits_ten_workloads_between_a_and_b() {
    let run = Scenario::new().run("rtdealer", &[], TIMEOUT);
    let mut lines = run.lines();
    lines.sort_unstable();
    assert_eq!(lines.len(), 2, "{lines:?}");
    let count = |prefix: &str, line: &str| -> usize {
        line.strip_prefix(prefix)
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("{line:?} is not `{prefix}N`"))
    };
    let (a, b) = (
        count("A received: ", lines[0]),
        count("B received: ", lines[1]),
    );
    assert_eq!(a + b, 10, "{lines:?}");
}

/// The lines of a load-balancing broker run: every client gets one "OK",
/// every request is printed by one of the three workers.
fn assert_ten_clients_served_by_three_workers(lines: &[&str]) {
    let clients: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| l.starts_with("Client-"))
        .collect();
    let expected: BTreeMap<String, usize> =
        (0..10).map(|i| (format!("Client-{i}: OK"), 1)).collect();
    let seen: BTreeMap<String, usize> = tally(clients)
        .into_iter()
        .map(|(line, n)| (line.to_owned(), n))
        .collect();
    assert_eq!(seen, expected, "{lines:?}");

    let workers: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| !l.starts_with("Client-"))
        .collect();
    assert_eq!(workers.len(), 10, "{lines:?}");
    for line in workers {
        assert!(
            ["Worker-0: HELLO", "Worker-1: HELLO", "Worker-2: HELLO"].contains(&line),
            "unexpected line {line:?}"
        );
    }
}

#[test]
fn lbbroker_serves_ten_clients_with_three_workers() {
    let run = Scenario::new().run("lbbroker", &[], TIMEOUT);
    assert_ten_clients_served_by_three_workers(&run.lines());
}

#[test]
fn lbbroker2_serves_ten_clients_then_stops_its_workers() {
    let run = Scenario::new().run("lbbroker2", &[], TIMEOUT);
    assert_ten_clients_served_by_three_workers(&run.lines());
}

#[test]
fn lbbroker3_serves_ten_clients_from_its_event_loop() {
    let run = Scenario::new().run("lbbroker3", &[], TIMEOUT);
    assert_ten_clients_served_by_three_workers(&run.lines());
}

#[test]
fn asyncsrv_clients_get_their_own_requests_echoed() {
    let scenario = Scenario::new();
    let server = scenario.spawn("asyncsrv", &[]);
    server.wait_until("replies to all three clients", TIMEOUT, |out, _| {
        (0..3).all(|i| out.contains(&format!("Client worker-{i} received: b'request #")))
    });
    let run = server.stop();

    let lines = run.lines();
    let count = |wanted: &str| lines.iter().filter(|l| **l == wanted).count();
    assert_eq!(count("Worker started"), 5, "{lines:?}");
    for i in 0..3 {
        assert_eq!(count(&format!("Client worker-{i} started")), 1, "{lines:?}");
    }
    for line in &lines {
        if let Some(rest) = line.strip_prefix("Client worker-") {
            // "Client worker-N received: b'request #K'": N's own request K,
            // which a worker has received from N.
            let Some((id, reply)) = rest.split_once(" received: ") else {
                continue;
            };
            let seen = format!("Worker received {reply} from b'worker-{id}'");
            assert!(lines.contains(&seen.as_str()), "no {seen:?} in {lines:?}");
        } else {
            let known = *line == "Worker started"
                || (line.starts_with("Req #") && line.ends_with(" sent.."))
                || line.starts_with("Worker received b'request #");
            assert!(known, "unexpected line {line:?}");
        }
    }
}

#[test]
fn peering1_brokers_print_each_others_state() {
    let scenario = Scenario::new();
    let dc1 = scenario.spawn("peering1", &["DC1", "DC2"]);
    let dc2 = scenario.spawn("peering1", &["DC2", "DC1"]);
    dc1.wait_until("state from DC2", TIMEOUT, |out, _| {
        out.contains("DC1 Received: ")
    });
    dc2.wait_until("state from DC1", TIMEOUT, |out, _| {
        out.contains("DC2 Received: ")
    });

    for (run, me, peer) in [(dc1.stop(), "DC1", "DC2"), (dc2.stop(), "DC2", "DC1")] {
        let lines = run.lines();
        assert_eq!(lines[0], format!("Hello, I am {me}"));
        let prefix = format!("{me} Received: [b'ipc://{peer}-state.ipc', b'");
        for line in &lines[1..] {
            // The figure is random, 1 to 9.
            let figure = line
                .strip_prefix(&prefix)
                .and_then(|rest| rest.strip_suffix("']"))
                .unwrap_or_else(|| panic!("unexpected line {line:?}"));
            assert!(
                ("1"..="9").contains(&figure) && figure.len() == 1,
                "{line:?}"
            );
        }
    }
}

#[test]
fn peering1_without_a_name_prints_its_usage() {
    let run = Scenario::new().spawn("peering1", &[]).wait(TIMEOUT);
    assert_eq!(run.status.code(), Some(1));
    assert_eq!(
        run.lines(),
        ["Usage: peering1 <myself> <peer_1> ... <peer_N>"]
    );
}

#[test]
fn peering2_brokers_serve_their_clients_and_each_others() {
    let scenario = Scenario::new();
    let mut dc1 = scenario.spawn("peering2", &["DC1", "DC2"]);
    let mut dc2 = scenario.spawn("peering2", &["DC2", "DC1"]);
    dc1.wait_for_output("Press Enter when all brokers are started: ", TIMEOUT);
    dc2.wait_for_output("Press Enter when all brokers are started: ", TIMEOUT);
    dc1.write_stdin("\n");
    dc2.write_stdin("\n");

    // A fifth of the requests go to the other broker: its workers print the
    // request with the sending broker's name in front.
    dc1.wait_until("request from DC2", TIMEOUT, |out, _| {
        out.contains("[b'DC2', b'', b'Client-DC2-")
    });
    dc2.wait_until("request from DC1", TIMEOUT, |out, _| {
        out.contains("[b'DC1', b'', b'Client-DC1-")
    });
    dc1.wait_until("a reply", TIMEOUT, |out, _| out.contains(": b'OK'"));
    dc2.wait_until("a reply", TIMEOUT, |out, _| out.contains(": b'OK'"));

    for (run, me, peer) in [(dc1.stop(), "DC1", "DC2"), (dc2.stop(), "DC2", "DC1")] {
        let lines = run.lines();
        assert_eq!(lines[0], format!("I: preparing broker at {me}..."));
        assert_eq!(
            lines[1],
            format!("I: connecting to cloud frontend at {peer}")
        );
        for line in &lines[2..] {
            let line = line
                .strip_prefix("Press Enter when all brokers are started: ")
                .unwrap_or(line);
            let local = format!(": [b'Client-{me}-");
            let remote = format!(": [b'{peer}', b'', b'Client-{peer}-");
            let known = line.is_empty()
                || (line.starts_with("Client-") && line.ends_with(": b'OK'"))
                || (line.starts_with("Worker-")
                    && (line.contains(&local) || line.contains(&remote))
                    && line.ends_with(", b'', b'HELLO']"));
            assert!(known, "unexpected line {line:?}");
        }
    }
}

#[test]
fn peering3_brokers_report_completed_tasks() {
    let scenario = Scenario::new();
    let dc1 = scenario.spawn("peering3", &["DC1", "DC2"]);
    let dc2 = scenario.spawn("peering3", &["DC2", "DC1"]);
    let is_task_id = |line: &str| line.len() == 4 && line.chars().all(|c| c.is_ascii_hexdigit());
    let reports = |out: &str| out.lines().filter(|l| is_task_id(l)).count();
    dc1.wait_until("five task reports", TIMEOUT, |out, _| reports(out) >= 5);
    dc2.wait_until("five task reports", TIMEOUT, |out, _| reports(out) >= 5);

    for (run, me, peer) in [(dc1.stop(), "DC1", "DC2"), (dc2.stop(), "DC2", "DC1")] {
        let lines = run.lines();
        assert_eq!(
            lines[..3],
            [
                format!("I: preparing broker at {me}..."),
                format!("I: connecting to cloud frontend at {peer}"),
                format!("I: connecting to state backend at {peer}"),
            ]
        );
        for line in &lines[3..] {
            // Task ids are "%04X" of 0..=10000; no task may be lost.
            let id = u32::from_str_radix(line, 16)
                .unwrap_or_else(|_| panic!("unexpected line {line:?}"));
            assert!(is_task_id(line) && id <= 10000, "{line:?}");
        }
    }
}
