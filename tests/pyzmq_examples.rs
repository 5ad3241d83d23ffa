//! The classic pyzmq learning examples (`examples/pyzmq/pyzmq_*.rs`), each run as
//! processes the way their originals are run, their printed output checked.
//!
//! The example binaries come from `cargo test` (or `cargo build --examples`),
//! see `tests/common/mod.rs`. Servers, devices and subscribers that run
//! forever, as their originals do, are stopped once the test has seen what
//! it looks for.

mod common;

use std::collections::BTreeSet;
use std::thread;
use std::time::{Duration, Instant};

use common::{Running, Scenario};
use zmq::{ErrorKind, SocketType, sockopt};

/// Far longer than any of these runs takes, so only a hang trips it.
const TIMEOUT: Duration = Duration::from_secs(30);

/// The number in "I am consumer #N", the first line a consumer prints.
fn consumer_id(output: &str) -> String {
    output
        .lines()
        .next()
        .and_then(|line| line.strip_prefix("I am consumer #"))
        .unwrap_or_else(|| panic!("no consumer id in {output:?}"))
        .to_owned()
}

#[test]
fn reqrep_client_gets_worlds_and_the_server_stops_on_ctrl_c() {
    let scenario = Scenario::new();
    let server = scenario.spawn("pyzmq_reqrep_server", &[]);
    let client = scenario
        .spawn_with_env("pyzmq_reqrep_client", &[], &[("ZGUIDE_REQUESTS", "3")])
        .wait(TIMEOUT)
        .success();

    let mut expected = vec!["Connecting to server...".to_owned()];
    for request in 1..=3 {
        expected.push(format!("Sending request  {request} ..."));
        expected.push(format!("Received reply  {request} [ World from 5556 ]"));
    }
    assert_eq!(client.lines(), expected);

    // Ctrl-C: the server leaves its loop, closes up and exits with 0.
    let server = server.interrupt_until_exit(TIMEOUT).success();
    assert_eq!(
        server.lines(),
        [
            "Received request:  Hello",
            "Received request:  Hello",
            "Received request:  Hello",
            "W: interrupt received, stopping...",
        ]
    );
}

#[test]
fn reqrep_server_stops_on_ctrl_c_during_its_second_of_work() {
    let scenario = Scenario::new();
    let mut server = scenario.spawn("pyzmq_reqrep_server", &[]);
    let client = scenario.spawn_with_env("pyzmq_reqrep_client", &[], &[("ZGUIDE_REQUESTS", "1")]);
    server.wait_for_output("Received request:  Hello", TIMEOUT);
    // The first signal lands in the second of work: the reply still goes
    // out, then the server stops instead of waiting for another request.
    let server = server.interrupt_until_exit(TIMEOUT).success();
    let client = client.wait(TIMEOUT).success();
    assert_eq!(client.lines()[2], "Received reply  1 [ World from 5556 ]");
    assert_eq!(
        server.lines(),
        [
            "Received request:  Hello",
            "W: interrupt received, stopping..."
        ]
    );
}

#[test]
fn reqrep_server_answers_with_the_port_it_was_given() {
    let scenario = Scenario::new();
    let server = scenario.spawn("pyzmq_reqrep_server", &["5560"]);
    let client = scenario
        .spawn_with_env(
            "pyzmq_reqrep_client",
            &["5560"],
            &[("ZGUIDE_REQUESTS", "1")],
        )
        .wait(TIMEOUT)
        .success();
    assert_eq!(client.lines()[2], "Received reply  1 [ World from 5560 ]");
    server.interrupt_until_exit(TIMEOUT).success();
}

#[test]
fn waynes_world_cameras_see_only_their_own_transport() {
    let scenario = Scenario::new();
    let server = scenario.spawn("pyzmq_pubsub_server", &[]);
    let camera1 = scenario.spawn("pyzmq_camera1", &[]);
    let camera2 = scenario.spawn("pyzmq_camera2", &[]);
    let twice = |out: &str, _: &str| out.lines().count() >= 2;
    camera1.wait_until("two Camera 1 shots", TIMEOUT, twice);
    camera2.wait_until("two Camera 2 shots", TIMEOUT, twice);
    server.stop();

    let camera1 = camera1.stop();
    let camera2 = camera2.stop();
    assert!(
        camera1.lines().iter().all(|l| *l == "Camera 1"),
        "{camera1:?}"
    );
    assert!(
        camera2.lines().iter().all(|l| *l == "Camera 2"),
        "{camera2:?}"
    );
}

// Its examples need serde_json: `required-features = ["json"]`.
#[cfg(feature = "json")]
#[test]
fn worker_pool_tallies_a_thousand_json_results_split_across_its_consumers() {
    let scenario = Scenario::new();
    let collector = scenario.spawn("pyzmq_resultcollector", &[]);
    let consumers = [
        scenario.spawn("pyzmq_consumer", &[]),
        scenario.spawn("pyzmq_consumer", &[]),
    ];
    for consumer in &consumers {
        consumer.wait_until("consumer id", TIMEOUT, |out, _| out.contains('\n'));
    }
    let ids: BTreeSet<String> = consumers
        .iter()
        .map(|c| consumer_id(&c.stdout_so_far()))
        .collect();
    let producer = scenario.spawn("pyzmq_producer", &[]);

    let collector = collector.wait(TIMEOUT).success();
    producer.wait(TIMEOUT).success();
    for consumer in consumers {
        consumer.stop();
    }

    // One line, `{id: count, ...}`, counts adding up to the 1000 results.
    let lines = collector.lines();
    assert_eq!(lines.len(), 1, "{lines:?}");
    let tally = lines[0]
        .strip_prefix('{')
        .and_then(|rest| rest.strip_suffix('}'))
        .unwrap_or_else(|| panic!("not a dict: {lines:?}"));
    let mut total = 0;
    for entry in tally.split(", ") {
        let (id, count) = entry.split_once(": ").expect("id: count");
        assert!(ids.contains(id), "{id} is none of the consumers {ids:?}");
        total += count.parse::<u32>().expect("a count");
    }
    assert_eq!(total, 1000, "{lines:?}");
}

#[test]
fn nasdaq_feed_republishes_only_nasdaq_messages_from_both_publishers() {
    let scenario = Scenario::new();
    let ctx = zmq::Context::new().unwrap();
    let publishers = [
        ctx.socket(SocketType::Pub).unwrap(),
        ctx.socket(SocketType::Pub).unwrap(),
    ];
    let mut addresses = Vec::new();
    for publisher in &publishers {
        publisher.bind("tcp://127.0.0.1:*").unwrap();
        addresses.push(publisher.last_endpoint().unwrap());
    }
    let feed = scenario.spawn("pyzmq_nasdaq", &[&addresses[0], &addresses[1]]);

    let local = ctx.socket(SocketType::Sub).unwrap();
    local.subscribe(b"").unwrap();
    local
        .set(sockopt::RcvTimeo, Some(Duration::from_millis(50)))
        .unwrap();
    let feed_path = scenario.ipc_dir().join("nasdaq-feed");
    local
        .connect(&format!("ipc://{}", feed_path.display()))
        .unwrap();

    // Publish until both NASDAQ quotes came through: the subscriptions
    // travel upstream while the first messages go out.
    let mut seen = BTreeSet::new();
    let deadline = Instant::now() + TIMEOUT;
    while seen.len() < 2 {
        assert!(Instant::now() < deadline, "feed got only {seen:?}");
        publishers[0].send("NYSE:IBM 140").unwrap();
        publishers[0].send("NASDAQ:AAPL 170").unwrap();
        publishers[1].send("NASDAQ:MSFT 410").unwrap();
        publishers[1].send("LSE:BP 5").unwrap();
        loop {
            match local.recv_string() {
                Ok(quote) => {
                    assert!(quote.starts_with("NASDAQ"), "forwarded {quote:?}");
                    seen.insert(quote);
                }
                Err(e) if e.kind() == ErrorKind::Again => break,
                Err(e) => panic!("receiving from the feed: {e}"),
            }
        }
    }
    assert_eq!(
        seen,
        BTreeSet::from(["NASDAQ:AAPL 170".to_owned(), "NASDAQ:MSFT 410".to_owned()])
    );
    feed.stop();
}

#[test]
fn queue_device_carries_requests_to_a_server_and_replies_back() {
    let scenario = Scenario::new();
    let device = scenario.spawn("pyzmq_queue_device", &[]);
    let server = scenario.spawn("pyzmq_queue_server", &[]);
    let client = scenario
        .spawn_with_env("pyzmq_queue_client", &[], &[("ZGUIDE_REQUESTS", "2")])
        .wait(TIMEOUT)
        .success();
    let server = server.stop();
    device.stop();

    let lines = client.lines();
    assert_eq!(lines.len(), 5, "{lines:?}");
    assert_eq!(
        lines[..2],
        ["Connecting to server...", "Sending request  1 ..."]
    );
    assert_eq!(lines[3], "Sending request  2 ...");
    let server_id = lines[2]
        .strip_prefix("Received reply  1 [ World from server ")
        .and_then(|rest| rest.strip_suffix(" ]"))
        .unwrap_or_else(|| panic!("unexpected reply {:?}", lines[2]));
    assert_eq!(
        lines[4],
        format!("Received reply  2 [ World from server {server_id} ]")
    );

    let requests = server.lines();
    assert_eq!(requests.len(), 2, "{requests:?}");
    assert_eq!(requests[0], requests[1]);
    assert!(
        requests[0].starts_with("Received request:  Hello from "),
        "{requests:?}"
    );
}

#[test]
fn forwarder_device_passes_topic_nine_from_publisher_to_subscriber() {
    let scenario = Scenario::new();
    let device = scenario.spawn("pyzmq_forwarder_device", &[]);
    let fast = [("ZGUIDE_INTERVAL_MS", "20")];
    let server = scenario.spawn_with_env("pyzmq_forwarder_server", &[], &fast);
    let subscriber = scenario
        .spawn_with_env(
            "pyzmq_forwarder_subscriber",
            &[],
            &[("ZGUIDE_UPDATES", "3")],
        )
        .wait(TIMEOUT)
        .success();
    let server = server.stop();
    device.stop();

    // The server prints "<topic> server#<id>" for each message it sends.
    let sent = server.lines();
    let publisher = sent[0].split_once(' ').expect("topic and data").1;
    for line in &sent {
        let (topic, data) = line.split_once(' ').expect("topic and data");
        assert!(("1"..="9").contains(&topic) && topic.len() == 1, "{line:?}");
        assert_eq!(data, publisher);
    }
    let received = subscriber.lines();
    assert_eq!(received[0], "Collecting updates from server...");
    assert_eq!(received[1..], vec![format!("9 {publisher}"); 3]);
}

// Its examples need serde_json: `required-features = ["json"]`.
#[cfg(feature = "json")]
#[test]
fn streamer_device_spreads_json_tasks_over_its_workers() {
    let scenario = Scenario::new();
    let device = scenario.spawn("pyzmq_streamer_device", &[]);
    let workers = [
        scenario.spawn("pyzmq_task_worker", &[]),
        scenario.spawn("pyzmq_task_worker", &[]),
    ];
    for worker in &workers {
        worker.wait_until("consumer id", TIMEOUT, |out, _| out.contains('\n'));
    }
    let env = [("ZGUIDE_TASKS", "10"), ("ZGUIDE_INTERVAL_MS", "10")];
    scenario
        .spawn_with_env("pyzmq_task_feeder", &[], &env)
        .wait(TIMEOUT)
        .success();
    let tasks_done = |worker: &Running| worker.stdout_so_far().lines().count() - 1;
    let deadline = Instant::now() + TIMEOUT;
    while workers.iter().map(tasks_done).sum::<usize>() < 10 {
        assert!(
            Instant::now() < deadline,
            "the workers did not get 10 tasks"
        );
        thread::sleep(Duration::from_millis(20));
    }
    device.stop();

    let mut nums = Vec::new();
    for worker in workers {
        let output = worker.stop().stdout;
        let id = consumer_id(&output);
        for line in output.lines().skip(1) {
            let num = line
                .strip_prefix(&format!("{{'consumer': {id}, 'num': "))
                .and_then(|rest| rest.strip_suffix('}'))
                .and_then(|n| n.parse::<u32>().ok())
                .unwrap_or_else(|| panic!("unexpected line {line:?}"));
            nums.push(num);
        }
    }
    nums.sort_unstable();
    assert_eq!(nums, (0..10).collect::<Vec<_>>());
}

#[test]
fn echo_client_and_server_on_the_reactor_echo_every_ping() {
    let scenario = Scenario::new();
    let server = scenario.spawn("pyzmq_echo_server", &[]);
    let env = [("ZGUIDE_REQUESTS", "3"), ("ZGUIDE_INTERVAL_MS", "50")];
    let client = scenario
        .spawn_with_env("pyzmq_echo_client", &[], &env)
        .wait(TIMEOUT)
        .success();
    let server = server.stop();

    assert_eq!(client.lines(), ["b'ping 1'", "b'ping 2'", "b'ping 3'"]);
    // The server sees the DEALER's generated identity, then the ping.
    let lines = server.lines();
    assert_eq!(lines.len(), 3, "{lines:?}");
    let identity = lines[0].split_once(' ').expect("two frames").0;
    assert!(identity.starts_with("b'\\x00"), "{identity:?}");
    for (n, line) in lines.iter().enumerate() {
        assert_eq!(*line, format!("{identity} b'ping {}'", n + 1));
    }
}

#[test]
fn reqrep_client_waiting_for_a_missing_server_stops_on_ctrl_c() {
    let scenario = Scenario::new();
    let mut client = scenario.spawn("pyzmq_reqrep_client", &[]);
    client.wait_for_output("Sending request  1 ...", TIMEOUT);
    let client = client.interrupt_until_exit(TIMEOUT).success();
    assert_eq!(
        client.lines(),
        [
            "Connecting to server...",
            "Sending request  1 ...",
            "W: interrupt received, stopping...",
        ]
    );
}

#[test]
fn a_device_that_cannot_bind_reports_the_error_and_comes_down() {
    let scenario = Scenario::new();
    let mut first = scenario.spawn("pyzmq_queue_device", &[]);
    // The first device has bound both its ports (a fixed 300 ms for it
    // could run out on a loaded machine, and the second device would then
    // take the ports and run).
    first.wait_for_listener(scenario.port(5559), TIMEOUT);
    first.wait_for_listener(scenario.port(5560), TIMEOUT);
    assert!(first.is_running(), "the first device should keep running");
    let second = scenario
        .spawn("pyzmq_queue_device", &[])
        .wait(TIMEOUT)
        .success();
    assert_eq!(
        second.lines().last().copied(),
        Some("bringing down zmq device"),
        "{second:?}"
    );
    assert_eq!(
        second.lines().len(),
        2,
        "the error, then the farewell: {second:?}"
    );
    first.stop();
}
