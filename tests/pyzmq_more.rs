//! The rest of pyzmq's `examples/` folder (`examples/pyzmq/<folder>/`), each
//! run as processes the way its original is run, its printed output
//! checked. Servers and loops that run forever, as their originals do, are
//! stopped once the test has seen what it looks for.
//!
//! The example binaries come from `cargo test` (or `cargo build
//! --examples`), see `tests/common/mod.rs`; the draft ones from `cargo test
//! --features draft`.

mod common;

use std::time::Duration;

use common::Scenario;
use zmq::{SocketType, sockopt};

/// Far longer than any of these runs takes, so only a hang trips it.
const TIMEOUT: Duration = Duration::from_secs(30);

/// A DEALER of the test's own, connected to `port` of `scenario`, with a
/// receive timeout.
fn dealer(ctx: &zmq::Context, scenario: &Scenario, port: u16) -> zmq::Socket {
    let socket = ctx.socket(SocketType::Dealer).unwrap();
    socket
        .set(sockopt::RcvTimeo, Some(Duration::from_secs(10)))
        .unwrap();
    socket
        .connect(&format!("tcp://127.0.0.1:{}", scenario.port(port)))
        .unwrap();
    socket
}

#[cfg(feature = "json")]
#[test]
fn array_subscriber_counts_what_the_xpub_publisher_sends_after_it_subscribed() {
    let scenario = Scenario::new();
    let subscriber = scenario.spawn("subscriber", &[]);
    let publisher = scenario
        .run("publisher", &["-n", "5", "--size", "16"], TIMEOUT)
        .success();
    assert_eq!(
        publisher.lines(),
        ["Waiting for subscriber", "Sending arrays...", "   Done."]
    );
    let subscriber = subscriber.wait(TIMEOUT).success();
    let lines = subscriber.lines();
    assert_eq!(lines.len(), 6, "{lines:?}");
    assert_eq!(lines[..2], ["Receiving arrays...", "   Done."]);
    // 16 x 16 doubles, five arrays.
    assert_eq!(lines[2], "message size: 2048 [B]");
    assert_eq!(lines[3], "array count: 5");
    assert!(lines[4].starts_with("mean throughput: ") && lines[4].ends_with(" [msg/s]"));
    assert!(lines[5].starts_with("mean throughput: ") && lines[5].ends_with(" [Mb/s]"));
}

#[test]
fn topics_sub_gets_only_its_topics_and_both_stop_on_ctrl_c() {
    let scenario = Scenario::new();
    let url = "tcp://127.0.0.1:5556";
    let publisher = scenario.spawn("topics_pub", &[url]);
    let subscriber = scenario.spawn("topics_sub", &[url, "sports.foot", "w"]);
    subscriber.wait_until("two topics", TIMEOUT, |out, _| {
        out.contains("Topic: sports.football") && out.contains("Topic: weather")
    });
    let publisher = publisher.interrupt_until_exit(TIMEOUT).success();
    let subscriber = subscriber.interrupt_until_exit(TIMEOUT).success();

    let lines = publisher.lines();
    assert_eq!(
        lines[..5],
        [
            "Starting broadcast on topics:",
            "   [b'sports.general', b'sports.football', b'sports.basketball', \
             b'stocks.general', b'stocks.GOOG', b'stocks.AAPL', b'weather']",
            "Hit Ctrl-C to stop broadcasting.",
            "Waiting so subscriber sockets can connect...",
            "",
        ]
    );
    assert_eq!(lines[5], "   Topic: sports.general, msg:0");
    assert_eq!(lines[6], "   Topic: sports.football, msg:1");
    assert_eq!(
        lines[lines.len() - 2..],
        ["Waiting for message queues to flush...", "Done."]
    );

    let lines = subscriber.lines();
    assert_eq!(
        lines[0],
        "Receiving messages on topics: ['sports.foot', 'w'] ..."
    );
    assert_eq!(lines.last(), Some(&"Done."));
    let received = &lines[1..lines.len() - 1];
    for line in received {
        // The counter runs over the seven topics: football is 1 mod 7,
        // weather 6 mod 7.
        let (topic, n) = line
            .strip_prefix("   Topic: ")
            .and_then(|rest| rest.split_once(", msg:"))
            .unwrap_or_else(|| panic!("not a topic line: {line:?}"));
        let n: u32 = n.parse().unwrap();
        match topic {
            "sports.football" => assert_eq!(n % 7, 1, "{line}"),
            "weather" => assert_eq!(n % 7, 6, "{line}"),
            other => panic!("subscribed to neither: {other}"),
        }
    }
}

#[test]
fn topics_pub_and_sub_print_their_usage_without_arguments() {
    let scenario = Scenario::new();
    let publisher = scenario.spawn("topics_pub", &[]).wait(TIMEOUT);
    assert_eq!(publisher.status.code(), Some(1));
    assert_eq!(publisher.lines(), ["usage: publisher <bind-to>"]);
    let subscriber = scenario.spawn("topics_sub", &[]).wait(TIMEOUT);
    assert_eq!(subscriber.status.code(), Some(1));
    assert_eq!(
        subscriber.lines(),
        ["usage: subscriber <connect_to> [topic topic ...]"]
    );
}

#[test]
fn poll_pair_sees_pollout_then_pollin_as_the_original_asserts() {
    let poll = Scenario::new().run("poll_pair", &[], TIMEOUT).success();
    assert_eq!(
        poll.lines(),
        ["Running polling tests for PAIR sockets...", "Finished."]
    );
}

#[test]
fn poll_pubsub_sees_pub_writable_and_sub_readable_only_with_a_message() {
    let poll = Scenario::new().run("poll_pubsub", &[], TIMEOUT).success();
    assert_eq!(
        poll.lines(),
        ["Running polling tets for PUB/SUB sockets...", "Finished."]
    );
}

#[test]
fn poll_reqrep_follows_the_lockstep_as_the_original_asserts() {
    let poll = Scenario::new().run("poll_reqrep", &[], TIMEOUT).success();
    assert_eq!(
        poll.lines(),
        ["Running polling tests for REQ/REP sockets...", "Finished."]
    );
}

#[test]
fn device_relays_every_producers_messages_then_the_proxy_terminates() {
    let scenario = Scenario::new();
    let device = scenario
        .spawn_with_env("device", &[], &[("ZGUIDE_MSGS", "2")])
        .wait(TIMEOUT)
        .success();
    let lines = device.lines();
    let count = |line: &str| lines.iter().filter(|l| **l == line).count();
    for line in [
        "Consuming",
        "Producing 0",
        "Producing 1",
        "Consumer done",
        "proxy terminated",
        "Producer 0 done",
        "Producer 1 done",
    ] {
        assert_eq!(count(line), 1, "{line:?} in {lines:?}");
    }
    for ident in ["0", "1"] {
        let relayed: Vec<_> = lines
            .iter()
            .filter_map(|l| l.strip_prefix(&format!("{ident}: ")))
            .collect();
        assert_eq!(relayed.len(), 2, "{lines:?}");
        assert!(
            relayed.iter().all(|t| t.parse::<u64>().is_ok()),
            "{lines:?}"
        );
    }
    let position = |line: &str| lines.iter().position(|l| *l == line).unwrap();
    assert!(position("Consumer done") < position("proxy terminated"));
}

#[cfg(feature = "draft")]
#[test]
fn client_server_answers_each_fresh_client_by_its_routing_id() {
    let run = Scenario::new().run("client_server", &[], TIMEOUT).success();
    let lines = run.lines();
    assert_eq!(lines.len(), 20, "{lines:?}");
    for (i, pair) in lines.chunks(2).enumerate() {
        let id = pair[0]
            .strip_prefix(&format!("server recvd b'request {i}' from "))
            .unwrap_or_else(|| panic!("{pair:?}"));
        assert!(id.parse::<u32>().is_ok(), "{pair:?}");
        assert_eq!(pair[1], format!("client recvd 'reply {i}'"));
    }
}

#[cfg(feature = "draft")]
#[test]
fn radio_dish_receives_the_numbers_group_over_udp() {
    let run = Scenario::new().run("radio_dish", &[], TIMEOUT).success();
    let lines = run.lines();
    assert_eq!(lines.len(), 10, "{lines:?}");
    let received: Vec<_> = lines.iter().filter(|l| **l != "missed a message").collect();
    // UDP on loopback: losing most of them would be a bug.
    assert!(received.len() >= 8, "{lines:?}");
    for line in received {
        let n = line
            .strip_prefix("Received numbers:")
            .unwrap_or_else(|| panic!("{line:?}"));
        assert_eq!(n.len(), 3, "{line}");
    }
}

/// Sends two messages through `example`'s echoing ROUTER and checks they
/// come back unchanged; returns what the example printed.
fn echo_twice(example: &str) -> Vec<String> {
    let scenario = Scenario::new();
    let server = scenario.spawn(example, &[]);
    let ctx = zmq::Context::new().unwrap();
    let client = dealer(&ctx, &scenario, 5555);
    client.send_multipart(["hello", "world"]).unwrap();
    assert_eq!(
        client.recv_multipart().unwrap(),
        [b"hello".to_vec(), b"world".to_vec()]
    );
    client.send("again").unwrap();
    assert_eq!(client.recv_multipart().unwrap(), [b"again".to_vec()]);
    server
        .stop()
        .lines()
        .iter()
        .map(|l| (*l).to_owned())
        .collect()
}

/// The identity a ROUTER printed first, `b'\x00...'`, as Python shows it.
fn printed_identity(line: &str) -> &str {
    let end = line.find("' ").or_else(|| line.find("', ")).unwrap();
    &line[..=end]
}

#[test]
fn echo_prints_each_message_as_a_list_and_sends_it_back() {
    let lines = echo_twice("echo");
    assert_eq!(lines.len(), 2, "{lines:?}");
    let id = printed_identity(lines[0].trim_start_matches('['));
    assert!(id.starts_with("b'\\x00"), "{lines:?}");
    assert_eq!(lines[0], format!("[{id}, b'hello', b'world']"));
    assert_eq!(lines[1], format!("[{id}, b'again']"));
}

#[test]
fn echostream_prints_each_frames_repr_and_sends_it_back() {
    let lines = echo_twice("echostream");
    assert_eq!(lines.len(), 2, "{lines:?}");
    let id = printed_identity(&lines[0]);
    assert_eq!(lines[0], format!("{id} b'hello' b'world'"));
    assert_eq!(lines[1], format!("{id} b'again'"));
}

#[test]
fn echofuture_sends_each_message_back_silently() {
    assert!(echo_twice("echofuture").is_empty());
}

#[test]
fn heartbeater_welcomes_a_heart_then_declares_it_failed_when_it_stops() {
    let scenario = Scenario::new();
    let heartbeater = scenario.spawn("heartbeater", &[]);
    let heart = scenario.spawn_with_env("heart", &[], &[("ZGUIDE_MATRIX", "64")]);
    heartbeater.wait_until("new heart", TIMEOUT, |out, _| {
        out.contains("yay, got new heart b'") && out.contains("1 beating hearts: {b'")
    });
    let heart = heart.stop();
    assert_eq!(heart.lines()[0], "starting blocking loop");
    assert!(heart.lines()[1].starts_with("blocked for "), "{heart:?}");
    heartbeater.wait_until("failed heart", TIMEOUT, |out, _| out.contains(" failed :("));
    let lines: Vec<String> = heartbeater
        .stop()
        .lines()
        .iter()
        .map(|l| (*l).to_owned())
        .collect();
    // The first beat finds no one: "1.0..." then "0 beating hearts: set()".
    assert!(lines[0].parse::<f64>().is_ok(), "{lines:?}");
    assert_eq!(lines[1], "0 beating hearts: set()");
    let new = lines.iter().find(|l| l.starts_with("yay")).unwrap();
    let heart_id = new
        .strip_prefix("yay, got new heart ")
        .and_then(|rest| rest.strip_suffix('!'))
        .unwrap();
    assert!(
        lines.contains(&format!("Heart {heart_id} failed :(")),
        "{lines:?}"
    );
    assert!(
        lines.contains(&format!("1 beating hearts: {{{heart_id}}}")),
        "{lines:?}"
    );
}

#[test]
fn ping_gets_each_ping_echoed_by_pong_while_pong_blocks() {
    let scenario = Scenario::new();
    let pong = scenario.spawn_with_env("pong", &[], &[("ZGUIDE_MATRIX", "64")]);
    let ping = scenario.spawn("ping", &[]);
    ping.wait_until("five pings", TIMEOUT, |out, _| out.lines().count() >= 5);
    let ping = ping.stop();
    let pong = pong.stop();
    for (n, line) in ping.lines().iter().enumerate() {
        let ms = line
            .strip_prefix(&format!("ping {}: ", n + 1))
            .and_then(|rest| rest.strip_suffix(" ms"))
            .unwrap_or_else(|| panic!("{line:?}"));
        assert!(ms.parse::<f64>().is_ok(), "{line}");
    }
    assert_eq!(pong.lines()[0], "starting blocking loop");
}

/// The event name and endpoint of each `Event: {...}` line.
fn events(lines: &[&str]) -> Vec<(String, String)> {
    lines
        .iter()
        .filter_map(|l| l.strip_prefix("Event: {'event': <Event."))
        .map(|rest| {
            let name = rest.split(':').next().unwrap().to_owned();
            let endpoint = rest
                .split("'endpoint': b'")
                .nth(1)
                .and_then(|e| e.split('\'').next())
                .unwrap()
                .to_owned();
            (name, endpoint)
        })
        .collect()
}

#[test]
fn simple_monitor_reports_binds_accepts_disconnects_and_stops() {
    let scenario = Scenario::new();
    let run = scenario.run("simple_monitor", &[], TIMEOUT).success();
    let lines = run.lines();
    assert_eq!(lines[0], "libzmq-4.3.5");
    assert_eq!(lines[1], "Event names:");
    assert_eq!(lines[2], "EVENT_ACCEPTED        :   32");
    assert_eq!(lines[4], "EVENT_ALL             : 65535");
    assert_eq!(lines[14], "EVENT_HANDSHAKE_FAILED_AUTH : 16384");
    assert_eq!(lines[20], "EVENT_PIPES_STATS     : 65536");
    assert_eq!(lines.last(), Some(&"END"));
    assert!(lines.contains(&"event monitor thread done!"), "{lines:?}");
    let a = format!("tcp://127.0.0.1:{}", scenario.port(6666));
    let b = format!("tcp://127.0.0.1:{}", scenario.port(6667));
    let seen = events(&lines);
    for expected in [
        ("LISTENING", &a),
        ("LISTENING", &b),
        ("ACCEPTED", &a),
        ("ACCEPTED", &b),
        ("HANDSHAKE_SUCCEEDED", &a),
        ("HANDSHAKE_SUCCEEDED", &b),
        ("DISCONNECTED", &a),
        ("DISCONNECTED", &b),
    ] {
        let expected = (expected.0.to_owned(), expected.1.clone());
        assert!(seen.contains(&expected), "{expected:?} not in {lines:?}");
    }
    assert_eq!(
        seen.last(),
        Some(&("MONITOR_STOPPED".to_owned(), String::new())),
        "{lines:?}"
    );
    let stopped = lines
        .iter()
        .find(|l| l.contains("MONITOR_STOPPED: 1024"))
        .unwrap();
    assert!(stopped.ends_with(
        "'value': <Event: 0>, 'endpoint': b'', 'description': 'EVENT_MONITOR_STOPPED'}"
    ));
}

/// Runs `zmq_monitor_class` with `args`, lets its SUB connect to a PUB of
/// the test's, and checks what its monitor printed.
fn check_monitor_class(args: &[&str]) {
    let scenario = Scenario::new();
    let monitored = scenario.spawn("zmq_monitor_class", args);
    monitored.wait_until("a connect attempt", TIMEOUT, |out, _| {
        out.contains("<Event.CONNECT_DELAYED: 2>")
    });
    let ctx = zmq::Context::new().unwrap();
    let publisher = ctx.socket(SocketType::Pub).unwrap();
    publisher
        .bind(&format!("tcp://127.0.0.1:{}", scenario.port(7103)))
        .unwrap();
    monitored.wait_until("the connection", TIMEOUT, |out, _| {
        out.contains("'description': 'EVENT_HANDSHAKE_SUCCEEDED'}")
    });
    let lines: Vec<String> = monitored
        .stop()
        .lines()
        .iter()
        .map(|l| (*l).to_owned())
        .collect();
    assert_eq!(lines[0], "libzmq-4.3.5");
    assert_eq!(lines[1], "Event names:");
    assert_eq!(lines[21..23], ["", ""]);
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("Event: {'event': <Event.CONNECTED: 1>")),
        "{lines:?}"
    );
}

#[test]
fn zmq_monitor_class_prints_the_subs_connect_attempts_and_its_connection() {
    check_monitor_class(&[]);
}

#[cfg(feature = "tokio")]
#[test]
fn zmq_monitor_class_prints_the_same_from_its_async_loop_with_async() {
    check_monitor_class(&["--async"]);
}

#[cfg(not(feature = "tokio"))]
#[test]
fn zmq_monitor_class_says_async_needs_the_tokio_feature() {
    let failed = Scenario::new()
        .spawn("zmq_monitor_class", &["--async"])
        .wait(TIMEOUT);
    assert!(!failed.status.success());
    assert!(
        failed.stderr.contains("--async needs the tokio feature"),
        "{}",
        failed.stderr
    );
}

#[test]
fn discard_drops_large_frames_by_size_and_logs_small_ones_whole() {
    let run = Scenario::new().run("discard", &[], TIMEOUT).success();
    let log: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(
        log.first(),
        Some(&"INFO:subscriber:Receiving..."),
        "{log:?}"
    );
    let sent: Vec<&str> = log
        .iter()
        .filter_map(|l| l.strip_prefix("INFO:publisher:Sending "))
        .collect();
    assert_eq!(sent.len(), 11, "{log:?}");
    assert_eq!(sent[10], "exit");
    let received: Vec<&str> = log
        .iter()
        .filter(|l| {
            l.starts_with("INFO:subscriber:Discarding") || l.starts_with("INFO:subscriber:Received")
        })
        .copied()
        .collect();
    assert_eq!(received.len(), 10, "{log:?}");
    for (sent, received) in sent.iter().zip(&received) {
        let (kind, nbytes) = sent.split_once(": ").unwrap();
        let nbytes: usize = nbytes.strip_suffix(" bytes").unwrap().parse().unwrap();
        if kind == "large" {
            // The first frame, "large", is read, not discarded.
            let bytes = received
                .rsplit_once("bytes: ")
                .map(|(_, n)| n.parse::<usize>().unwrap())
                .unwrap_or_else(|| panic!("{received}"));
            assert_eq!(bytes, nbytes - 5, "{sent} / {received}");
        } else {
            assert!(
                received.starts_with("INFO:subscriber:Received ['small'"),
                "{received}"
            );
        }
    }
    assert!(log.contains(&"INFO:subscriber:Exiting..."), "{log:?}");
    assert!(log.contains(&"INFO:publisher:Done"), "{log:?}");
}

#[test]
fn recv_into_array_fills_the_second_array_with_the_first() {
    let run = Scenario::new()
        .run("recv_into_array", &[], TIMEOUT)
        .success();
    let lines = run.lines();
    assert_eq!(lines.len(), 12, "{lines:?}");
    assert_eq!(lines[0], "sending:");
    assert_eq!(lines[6], "received 200 bytes:");
    assert_eq!(lines[1..6], lines[7..12]);
    assert!(lines[1].starts_with(" [["), "{lines:?}");
    assert!(lines[5].ends_with("]]"), "{lines:?}");
}

#[test]
fn ioloop_ironhouse_echoes_through_curve_on_the_reactor() {
    let run = Scenario::new()
        .run("ioloop_ironhouse", &["-v"], TIMEOUT)
        .success();
    let log: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(log.len(), 4, "{log:?}");
    assert!(log[0].starts_with("[DEBUG] server recvd [b'"), "{log:?}");
    assert!(log[0].ends_with("', b'Hello']"), "{log:?}");
    assert!(log[1].ends_with("', b'Hello', b'World']"), "{log:?}");
    assert_eq!(log[2], "[DEBUG] client recvd [b'Hello', b'World']");
    assert_eq!(log[3], "[INFO] Ironhouse test OK");
}

/// Checks one line the log watcher wrote: `LEVEL:root:` and the text
/// PUBHandler's formatter gives that level, from worker `pid`.
#[cfg(feature = "tracing")]
fn check_log_line(line: &str, pids: &[String]) -> (String, String) {
    let (level, message) = line
        .strip_suffix(" - None")
        .unwrap_or(line)
        .split_once(":root:")
        .unwrap_or_else(|| panic!("not a root log line: {line:?}"));
    let text = if level == "INFO" {
        message
    } else {
        let rest = message
            .strip_prefix(&format!("{level} zmqlogger.rs:"))
            .unwrap_or_else(|| panic!("{line:?}"));
        rest.split_once(" - ")
            .unwrap_or_else(|| panic!("{line:?}"))
            .1
    };
    assert_eq!(line.ends_with(" - None"), level == "ERROR", "{line:?}");
    let pid = text
        .strip_prefix("Hello from ")
        .and_then(|t| t.strip_suffix('!'))
        .unwrap_or_else(|| panic!("{line:?}"));
    assert!(pids.iter().any(|p| p == pid), "{pid} is none of {pids:?}");
    (level.to_owned(), pid.to_owned())
}

#[cfg(feature = "tracing")]
#[test]
fn zmqlogger_watcher_logs_each_workers_records_at_its_level_and_ctrl_c_ends_the_workers() {
    let scenario = Scenario::new();
    let logger = scenario.spawn_with_env("zmqlogger", &["2"], &[("ZGUIDE_INTERVAL_MS", "50")]);
    // Both workers heard from: their pids in the log.
    logger.wait_until("records from both workers", TIMEOUT, |out, err| {
        let pids: Vec<&str> = out
            .lines()
            .filter_map(|l| l.strip_prefix("starting logger at "))
            .filter_map(|l| l.split(' ').next())
            .collect();
        pids.len() == 2
            && pids
                .iter()
                .all(|pid| err.contains(&format!("Hello from {pid}!")))
    });
    let logger = logger.interrupt_until_exit(TIMEOUT).success();

    let mut workers = Vec::new();
    for line in logger.lines() {
        let rest = line.strip_prefix("starting logger at ").unwrap();
        let (pid, level) = rest.split_once(" with level=").unwrap();
        workers.push((pid.to_owned(), level.parse::<u32>().unwrap()));
    }
    let pids: Vec<String> = workers.iter().map(|(pid, _)| pid.clone()).collect();
    for line in logger.stderr.lines() {
        let (level, pid) = check_log_line(line, &pids);
        let number = match level.as_str() {
            "DEBUG" => 10,
            "INFO" => 20,
            "WARNING" => 30,
            "ERROR" => 40,
            other => panic!("level {other}"),
        };
        let (_, threshold) = workers.iter().find(|(p, _)| *p == pid).unwrap();
        assert!(
            number >= *threshold,
            "{line} from a worker at level {threshold}"
        );
    }
    // `terminate()`d and reaped: the workers are gone.
    for pid in &pids {
        assert!(
            !std::path::Path::new(&format!("/proc/{pid}")).exists(),
            "worker {pid} outlived the watcher"
        );
    }
}

#[cfg(feature = "serialization")]
#[test]
fn serialsocket_round_trips_zipped_and_raw_arrays_and_refuses_a_wrong_signature() {
    let run = Scenario::new().run("serialsocket", &[], TIMEOUT).success();
    let lines = run.lines();
    assert_eq!(lines.len(), 9, "{lines:?}");
    assert_eq!(lines[0], "Array is 8388608 bytes");
    // Ones compress hundreds of times over.
    let zipped = lines[1]
        .strip_prefix("zipped pickle is ")
        .and_then(|rest| rest.strip_suffix("x smaller)"))
        .and_then(|rest| rest.split_once(" bytes ("))
        .unwrap_or_else(|| panic!("{lines:?}"));
    assert!(zipped.0.parse::<usize>().unwrap() < 100_000, "{lines:?}");
    assert!(zipped.1.parse::<f64>().unwrap() > 80.0, "{lines:?}");
    assert_eq!(
        lines[2..],
        [
            "Checking zipped pickle...",
            "Okay",
            "Checking send_array...",
            "Okay",
            "Checking incorrect signature...",
            lines[1],
            "Okay",
        ]
    );
}
