//! More async ports on `zmq::asyncio`, each run as a process beside its
//! peers, its printed output checked: the rest of the zguide's
//! `asyncio_ioloop` examples that talk to the ones in `asyncio_examples.rs`
//! (pathopub/pathosub, rrworker_parallel, tasksink2/taskwork2,
//! wuclient_parallel and its async/await edition), and pyzmq's
//! `examples/asyncio` and `security/asyncio-ironhouse.py`.
//!
//! They need the `tokio` feature: `cargo test --features tokio --test
//! asyncio_examples_more` (a filtered run after source changes needs
//! `cargo build --features tokio --examples` first).
#![cfg(feature = "tokio")]

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use common::Scenario;
use common::pipeline::{self, Pipeline};

/// Far longer than any of these runs takes, so only a hang trips it.
const TIMEOUT: Duration = Duration::from_secs(30);

/// The counts of the updates pathopub printed as sent on topic 005, from
/// its output after the line of dots; panics on any other line.
fn sent_on_005(pub_lines: &[&str]) -> BTreeSet<usize> {
    let mut sent = BTreeSet::new();
    for (count, line) in pub_lines.iter().enumerate() {
        let count = count + 1;
        let topic = line
            .strip_prefix("sent message: [b'00")
            .and_then(|rest| rest.strip_suffix(&format!("', b'Off with his head. {count}']")))
            .unwrap_or_else(|| panic!("unexpected line {line:?}"));
        assert!(
            topic.len() == 1 && topic.as_bytes()[0].is_ascii_digit(),
            "{line:?}"
        );
        if topic == "5" {
            sent.insert(count);
        }
    }
    sent
}

/// The counts of the updates pathosub printed, after its first line.
fn received_updates(sub_lines: &[&str]) -> Vec<usize> {
    sub_lines
        .iter()
        .map(|line| {
            line.strip_prefix("b'Off with his head. ")
                .and_then(|rest| rest.strip_suffix('\''))
                .and_then(|n| n.parse().ok())
                .unwrap_or_else(|| panic!("unexpected line {line:?}"))
        })
        .collect()
}

#[test]
fn pathosub_gets_its_topics_roger_then_the_updates_pathopub_sent_on_it() {
    let scenario = Scenario::new();
    // The publisher's first second leaves the subscriber, started first
    // and retrying its connect every 100-200 ms, time to be connected
    // before the 1000 topics go out; the updates then come every 100 ms.
    let sub = scenario.spawn("asyncio_pathosub", &[]);
    let env = [("ZGUIDE_INTERVAL_MS", "100")];
    let publisher = scenario.spawn_with_env("asyncio_pathopub", &[], &env);
    // Topic 005 is one of the ten the updates pick from at random.
    sub.wait_until("update on topic 005", TIMEOUT, |out, _| {
        out.contains("b'Off with his head. ")
    });
    // Every update the publisher has sent on 005 so far reaches the
    // subscriber: the publisher still runs, so none can have died with it
    // unsent, and the subscriber is waited for, not given a fixed time.
    let printed = publisher.stdout_so_far();
    let pub_lines: Vec<&str> = printed.lines().collect();
    assert_eq!(pub_lines[0], ".".repeat(1000));
    let checked = pub_lines.len() - 1;
    let sent = sent_on_005(&pub_lines[1..]);
    sub.wait_until("every update sent on 005 so far", TIMEOUT, |out, _| {
        let lines: Vec<&str> = out.lines().skip(1).collect();
        let received: BTreeSet<usize> = received_updates(&lines).into_iter().collect();
        received.is_superset(&sent)
    });
    let sub = sub.stop();
    let publisher = publisher.stop();

    // A dot per topic, then each update as a Python list, counted from 1.
    let pub_lines = publisher.lines();
    assert_eq!(pub_lines[0], ".".repeat(1000));
    let sent = sent_on_005(&pub_lines[1..]);

    // The subscriber printed the bodies on its topic only: Roger's, then
    // the updates sent on 005, each once: up to those checked above,
    // exactly the ones sent; after them (the subscriber was stopped
    // first), only ones sent, or the one after the publisher's last line,
    // which it may have sent and not yet printed when it was stopped.
    let sub_lines = sub.lines();
    assert_eq!(sub_lines[0], "b'Save Roger'", "{sub_lines:?}");
    let received = received_updates(&sub_lines[1..]);
    let unique: BTreeSet<usize> = received.iter().copied().collect();
    assert_eq!(unique.len(), received.len(), "{sub_lines:?}");
    let up_to_checked = |set: &BTreeSet<usize>| -> BTreeSet<usize> {
        set.iter()
            .copied()
            .filter(|count| *count <= checked)
            .collect()
    };
    assert_eq!(
        up_to_checked(&unique),
        up_to_checked(&sent),
        "{sub_lines:?}"
    );
    let unprinted = pub_lines.len();
    for count in &unique {
        assert!(
            sent.contains(count) || *count == unprinted,
            "update {count} was not sent on 005: {sub_lines:?} {pub_lines:?}"
        );
    }
}

#[test]
fn rrworker_parallel_serves_rrclient_through_rrbroker_from_its_named_workers() {
    let scenario = Scenario::new();
    let broker = scenario.spawn("asyncio_rrbroker", &[]);
    let workers = scenario.spawn("asyncio_rrworker_parallel", &["W", "3"]);
    let client = scenario
        .spawn("asyncio_rrclient", &["6"])
        .wait(TIMEOUT)
        .success();

    // Each reply names the worker task that made it.
    let mut replied_by = BTreeMap::new();
    for (n, line) in (1..=6).zip(client.lines()) {
        let worker = line
            .strip_prefix(&format!(
                "Received reply {n} [b'Hello {n}, World from worker W-"
            ))
            .and_then(|rest| rest.strip_suffix("']"))
            .unwrap_or_else(|| panic!("unexpected line {line:?}"));
        assert!(["0", "1", "2"].contains(&worker), "{line:?}");
        replied_by.insert(n, format!("W-{worker}"));
    }
    assert_eq!(replied_by.len(), 6, "{:?}", client.lines());

    // The workers printed both sides of each request they served.
    let workers = workers.stop();
    let lines = workers.lines();
    assert_eq!(lines.len(), 12, "{lines:?}");
    for (n, worker) in &replied_by {
        let received = format!("Worker {worker} received request: b'Hello {n}'");
        let sent = format!("Worker {worker} sent reply: b'Hello {n}, World from worker {worker}'");
        let at = lines
            .iter()
            .position(|l| *l == received)
            .unwrap_or_else(|| panic!("no {received:?} in {lines:?}"));
        assert!(
            lines[at..].contains(&sent.as_str()),
            "no {sent:?} in {lines:?}"
        );
    }
    broker.stop();
}

#[test]
fn rrworker_parallel_without_a_worker_count_exits_with_its_usage() {
    let run = Scenario::new()
        .spawn("asyncio_rrworker_parallel", &["W"])
        .wait(TIMEOUT);
    assert_eq!(run.status.code(), Some(1), "{run:?}");
    assert!(run.stderr.contains("usage"), "{:?}", run.stderr);
}

#[test]
fn tasksink2_times_the_batch_then_its_kill_ends_both_taskwork2s() {
    let run = Pipeline {
        vent: "asyncio_taskvent",
        work: "asyncio_taskwork2",
        sink: "asyncio_tasksink2",
    }
    .run(&Scenario::new(), TIMEOUT);
    let _: u64 = run.sink_elapsed_msec().parse().expect("whole msec");
    // KILL ends both workers on their own, after one dot per task between them.
    pipeline::assert_each_task_worked_once(
        run.workers
            .map(|worker| worker.wait(TIMEOUT).success().stdout),
    );
}

/// Checks the updates wuclient_parallel printed for each zip code and the
/// results it printed last, after `prefix`: the sum of each task's
/// temperatures over one less than their count, truncated, for the zip
/// code of its last update.
fn assert_parallel_weather_report(lines: &[&str], zipcodes: &[&str], updates: usize, prefix: &str) {
    let n = zipcodes.len();
    assert_eq!(lines.len(), n + n * updates + n, "{lines:?}");
    for (line, zip) in lines.iter().zip(zipcodes) {
        assert_eq!(
            *line,
            format!("Collecting updates from weather server for zipcode: {zip}")
        );
    }
    // The updates, each given to the task whose prefix it has; the prefixes
    // in the tests are not prefixes of each other.
    let mut per_task: Vec<Vec<(String, i64)>> = vec![Vec::new(); n];
    for line in &lines[n..n + n * updates] {
        let update = line
            .strip_prefix("I: received -- string: \"")
            .and_then(|rest| rest.strip_suffix('"'))
            .unwrap_or_else(|| panic!("unexpected line {line:?}"));
        let fields: Vec<&str> = update.split(' ').collect();
        assert_eq!(fields.len(), 3, "{update:?}");
        let temperature: i64 = fields[1].parse().expect("a temperature");
        assert!((-80..135).contains(&temperature), "{update:?}");
        let task = zipcodes
            .iter()
            .position(|zip| fields[0].starts_with(zip))
            .unwrap_or_else(|| panic!("{update:?} matches no subscription"));
        per_task[task].push((fields[0].to_owned(), temperature));
    }
    for (task, result) in per_task.iter().zip(&lines[n + n * updates..]) {
        assert_eq!(task.len(), updates, "{lines:?}");
        let total: i64 = task.iter().map(|(_, t)| t).sum();
        let average = (total as f64 / (updates - 1) as f64) as i64;
        let zip = &task[updates - 1].0;
        assert_eq!(
            *result,
            format!("{prefix}Average temperature for zipcode '{zip}' was {average}F")
        );
    }
}

#[test]
fn wuclient_parallel_averages_each_zip_code_in_its_own_task() {
    let scenario = Scenario::new();
    let server = scenario.spawn("asyncio_wuserver", &[]);
    let zipcodes = ["10001", "10004", "10007"];
    let client = scenario
        .spawn_with_env(
            "asyncio_wuclient_parallel",
            &zipcodes,
            &[("ZGUIDE_UPDATES", "3")],
        )
        .wait(TIMEOUT)
        .success();
    assert_parallel_weather_report(&client.lines(), &zipcodes, 3, "");
    server.stop().silent();
}

#[test]
fn wuclient_parallel_await_says_so_and_names_the_zip_code_its_prefix_matched() {
    let scenario = Scenario::new();
    let server = scenario.spawn("asyncio_wuserver", &[]);
    let env = [("ZGUIDE_UPDATES", "3")];
    let zipcodes = ["10002", "10009"];
    let client = scenario
        .spawn_with_env("asyncio_wuclient_parallel_await", &zipcodes, &env)
        .wait(TIMEOUT)
        .success();
    let lines = client.lines();
    assert_eq!(lines[0], "Running async/await version.");
    assert_parallel_weather_report(&lines[1..], &zipcodes, 3, "result: ");

    // A prefix takes every zip code that starts with it, and the result
    // names the zip code of the last update, as the original reports it.
    let client = scenario
        .spawn_with_env("asyncio_wuclient_parallel_await", &["1000"], &env)
        .wait(TIMEOUT)
        .success();
    let lines = client.lines();
    assert_eq!(lines[0], "Running async/await version.");
    assert_parallel_weather_report(&lines[1..], &["1000"], 3, "result: ");
    server.stop().silent();
}

#[test]
fn wuclient_parallel_without_zip_codes_exits_with_its_usage() {
    for name in [
        "asyncio_wuclient_parallel",
        "asyncio_wuclient_parallel_await",
    ] {
        let run = Scenario::new().spawn(name, &[]).wait(TIMEOUT);
        assert_eq!(run.status.code(), Some(1), "{run:?}");
        assert!(run.stderr.contains("usage"), "{:?}", run.stderr);
    }
}

#[test]
fn helloworld_pubsub_dealerrouter_switches_the_greeting_on_each_command() {
    let scenario = Scenario::new();
    // Greetings every 50 ms, commands every 200 ms.
    let running = scenario.spawn_with_env(
        "asyncio_helloworld_pubsub_dealerrouter",
        &[],
        &[("ZGUIDE_TIME_SCALE", "0.1")],
    );
    running.wait_until("two changes of language, heard", TIMEOUT, |out, _| {
        out.contains("Changed language! New language is: eng\n")
            && out.contains("message received world: Hello Sekai\n")
    });
    let run = running.stop();
    let lines = run.lines();
    assert_eq!(
        lines[0],
        format!(
            "Current libzmq version is {}.{}.{}",
            zmq::version().0,
            zmq::version().1,
            zmq::version().2
        )
    );
    for setup in [
        "Setting up world sub",
        "World sub initialized",
        "Command router initialized",
        "Command dealer initialized",
    ] {
        assert_eq!(
            lines.iter().filter(|l| **l == setup).count(),
            1,
            "{lines:?}"
        );
    }

    // Each greeting received is printed twice, by the subscriber and by its
    // printer; each command is followed by the new language, alternating.
    let mut languages = Vec::new();
    let mut heard = BTreeSet::new();
    for (i, line) in lines.iter().enumerate().skip(1) {
        let next = lines.get(i + 1);
        if let Some(msg) = line.strip_prefix("world sub; topic: world\tmessage: ") {
            heard.insert(msg);
            if let Some(next) = next {
                assert_eq!(*next, format!("message received world: {msg}"));
            }
        } else if *line
            == "Command rout; Sender ID: b'lang_dealer';\tmessage: Change that language!"
        {
            if let Some(next) = next {
                let lang = next
                    .strip_prefix("Changed language! New language is: ")
                    .unwrap_or_else(|| panic!("unexpected line {next:?}"));
                languages.push(lang);
            }
        } else if let Some(msg) = line.strip_prefix("world pub: ") {
            assert!(["Hello World", "Hello Sekai"].contains(&msg), "{line:?}");
        } else {
            assert!(
                line.is_empty()
                    || line.starts_with("message received world: ")
                    || line.starts_with("Changed language! New language is: ")
                    || line.starts_with("Command deal: Change that language!")
                    || line.starts_with("Setting up")
                    || line.ends_with(" initialized"),
                "unexpected line {line:?}"
            );
        }
    }
    assert!(languages.len() >= 2, "{lines:?}");
    for (n, lang) in languages.iter().enumerate() {
        assert_eq!(*lang, if n % 2 == 0 { "jap" } else { "eng" }, "{lines:?}");
    }
    assert_eq!(
        heard,
        BTreeSet::from(["Hello Sekai", "Hello World"]),
        "{lines:?}"
    );
    assert_eq!(run.stderr, "");
}

#[test]
fn router_router_clients_and_server_greet_each_other_until_the_loop_ends() {
    // Three seconds rather than one, so that even a loaded machine gets a
    // few rounds done.
    let run = Scenario::new()
        .spawn_with_env("asyncio_router_router", &[], &[("ZGUIDE_RUN_MS", "3000")])
        .wait(TIMEOUT)
        .success();
    let lines = run.lines();
    let count = |line: &str| lines.iter().filter(|l| **l == line).count();
    let mut total = 0;
    for name in ["romeo", "sierra"] {
        let requests = count(&format!("Server received [b'{name}', b'', b'cheers']"));
        let replies = count(&format!("{name} received [b'server', b'', b'whatup']"));
        // A round every tenth of a second or so; the last request may have
        // been cut off before its reply.
        assert!(replies >= 1, "{lines:?}");
        assert!(requests == replies || requests == replies + 1, "{lines:?}");
        total += requests + replies;
    }
    // Nothing else, and the clients' lines never come before the server's.
    assert_eq!(total, lines.len(), "{lines:?}");
    for name in ["romeo", "sierra"] {
        let mut pending = 0i32;
        for line in &lines {
            if *line == format!("Server received [b'{name}', b'', b'cheers']") {
                pending += 1;
            } else if *line == format!("{name} received [b'server', b'', b'whatup']") {
                pending -= 1;
                assert!(pending >= 0, "a reply before its request: {lines:?}");
            }
        }
    }
}

#[test]
fn asyncio_ironhouse_lets_in_the_known_client_under_its_key_and_removes_its_keys() {
    if !zmq::has(zmq::Capability::Curve) {
        return;
    }
    let running = Scenario::new().spawn("asyncio_ironhouse", &[]);
    let pid = running.id();
    let run = running.wait(TIMEOUT).success();
    assert_eq!(run.stdout, "");
    let log: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(log.len(), 2, "{log:?}");
    // The user id of a CURVE client is its public key in Z85: 40 characters.
    let user_id = log[0]
        .strip_prefix("[INFO] Received b'Hello' from '")
        .and_then(|rest| rest.strip_suffix('\''))
        .unwrap_or_else(|| panic!("unexpected line {:?}", log[0]));
    assert_eq!(user_id.len(), 40, "{user_id:?}");
    assert!(zmq::z85::decode(user_id).is_ok(), "{user_id:?}");
    assert_eq!(log[1], "[INFO] Ironhouse test OK");
    let dir = std::env::temp_dir().join(format!("zmq-security-asyncio-ironhouse-{pid}"));
    assert!(!dir.exists(), "{dir:?}");
}

#[test]
fn asyncio_coroutines_receive_each_second_and_never_report_an_empty_poll() {
    let running = Scenario::new().spawn("asyncio_coroutines", &[]);
    running.wait_until("two messages and two dots", TIMEOUT, |out, _| {
        out.matches("recvd [b'").count() >= 2 && out.lines().filter(|l| *l == ".").count() >= 2
    });
    let out = running.stop();
    let lines = out.lines();
    assert!(
        lines.iter().filter(|l| **l == ".").count() >= 2,
        "{lines:?}"
    );
    let mut received = Vec::new();
    for line in &lines {
        if let Some(seconds) = line
            .strip_prefix("recvd [b'")
            .and_then(|rest| rest.strip_suffix("']"))
        {
            received.push(seconds.parse::<f64>().unwrap_or_else(|_| panic!("{line}")));
        } else {
            assert!(
                [
                    ".",
                    "sending",
                    "recving [(<Socket PULL>, <PollEvent.POLLIN: 1>)]"
                ]
                .contains(line),
                "{line:?}"
            );
        }
    }
    // Each message is announced by its poll result, and the times rise.
    assert_eq!(
        lines.iter().filter(|l| l.starts_with("recving ")).count(),
        received.len(),
        "{lines:?}"
    );
    assert!(received.windows(2).all(|w| w[0] < w[1]), "{received:?}");
}
