//! pyzmq's examples against their ports: each test runs one side in Rust
//! and the other in Python (pyzmq's own script, unchanged), on the
//! originals' fixed ports, and checks that both print what they print
//! among themselves.
//!
//! Ignored by default: they need Python 3 with pyzmq (and numpy, and
//! tornado for `heartbeater.py`) and pyzmq's `examples` folder, which this
//! repository does not ship. Run them with
//!
//! ```text
//! PYZMQ_EXAMPLES=/path/to/pyzmq/examples ZGUIDE_PYTHON=python3 \
//!     cargo test --test pyzmq_interop -- --ignored --test-threads=1
//! ```
//!
//! They use the fixed ports 5555, 5556, 5558, 6666, 6667 and 10111; where other programs
//! hold them, run inside a private network namespace:
//! `unshare -rn sh -c 'ip link set lo up && cargo test ...'`.
//!
//! `heart.py` and `heartbeater.py` were written for Python 2: the first
//! passes a `str` subscription, the second sends and compares its ping as
//! a `str`. Both fail under Python 3 before any heartbeat; their tests run
//! them with a prelude that makes pyzmq take and give text as Python 2 did
//! (the scripts themselves unchanged).

mod common;

use std::thread;
use std::time::{Duration, Instant};

use common::{Running, Scenario};

/// Generous: heart.py multiplies 2048 x 2048 matrices, numpy sends 8 MB
/// arrays.
const TIMEOUT: Duration = Duration::from_secs(60);

/// Checks the lines a topics subscriber printed for topics "sports.foot"
/// and "w", between its header and "Done.".
fn check_topics_sub(lines: &[&str]) {
    assert_eq!(
        lines[0],
        "Receiving messages on topics: ['sports.foot', 'w'] ..."
    );
    assert_eq!(lines.last(), Some(&"Done."), "{lines:?}");
    let received = &lines[1..lines.len() - 1];
    assert!(received.len() >= 2, "{lines:?}");
    for line in received {
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

/// Stops a Python original with one Ctrl-C (a second one would cut its
/// clean-up short) and waits for it.
fn ctrl_c(mut python: Running) -> common::Finished {
    python.interrupt();
    python.wait(TIMEOUT)
}

#[test]
#[ignore = "needs pyzmq and PYZMQ_EXAMPLES"]
fn topics_pub_py_feeds_topics_sub_rs_and_topics_pub_rs_feeds_topics_sub_py() {
    let scenario = Scenario::unshifted();
    let url = "tcp://127.0.0.1:5556";
    let topics = [url, "sports.foot", "w"];
    let both = |out: &str, _: &str| {
        out.contains("Topic: sports.football") && out.contains("Topic: weather")
    };

    let publisher = scenario.spawn_pyzmq("pubsub/topics_pub", &[url]);
    let subscriber = scenario.spawn("topics_sub", &topics);
    subscriber.wait_until("two topics from topics_pub.py", TIMEOUT, both);
    let subscriber = subscriber.interrupt_until_exit(TIMEOUT).success();
    check_topics_sub(&subscriber.lines());
    let publisher = ctrl_c(publisher).success();
    assert_eq!(publisher.lines().last(), Some(&"Done."));

    let publisher = scenario.spawn("topics_pub", &[url]);
    let subscriber = scenario.spawn_pyzmq("pubsub/topics_sub", &topics);
    subscriber.wait_until("two topics from topics_pub", TIMEOUT, both);
    let subscriber = ctrl_c(subscriber).success();
    check_topics_sub(&subscriber.lines());
    publisher.interrupt_until_exit(TIMEOUT).success();
}

#[cfg(feature = "json")]
#[test]
#[ignore = "needs pyzmq, numpy and PYZMQ_EXAMPLES"]
fn numpy_arrays_from_publisher_py_reach_subscriber_rs_and_back() {
    let scenario = Scenario::unshifted();
    let expected_sizes = "message size: 8388608 [B]";

    let subscriber = scenario.spawn("subscriber", &[]);
    scenario
        .spawn_pyzmq("pubsub/publisher", &[])
        .wait(TIMEOUT)
        .success();
    let subscriber = subscriber.wait(TIMEOUT).success();
    assert_eq!(
        subscriber.lines()[2..4],
        [expected_sizes, "array count: 10"]
    );

    let subscriber = scenario.spawn_pyzmq("pubsub/subscriber", &[]);
    scenario.spawn("publisher", &[]).wait(TIMEOUT).success();
    let subscriber = subscriber.wait(TIMEOUT).success();
    assert_eq!(
        subscriber.lines()[2..4],
        [expected_sizes, "array count: 10"]
    );
}

/// Makes `heart.py`'s `setsockopt_in(zmq.SUBSCRIBE, "")` work on Python 3.
const HEART_PRELUDE: &str = "
from zmq import devices
_setsockopt_in = devices.ThreadDevice.setsockopt_in
def setsockopt_in(self, opt, value):
    if isinstance(value, str):
        value = value.encode()
    return _setsockopt_in(self, opt, value)
devices.ThreadDevice.setsockopt_in = setsockopt_in
";

/// Makes `heartbeater.py`'s text pings work on Python 3: sent as bytes,
/// pongs handed back as text to compare with them.
const HEARTBEATER_PRELUDE: &str = "
from zmq.eventloop import zmqstream
_send = zmqstream.ZMQStream.send
def send(self, msg, *args, **kwargs):
    if isinstance(msg, str):
        msg = msg.encode()
    return _send(self, msg, *args, **kwargs)
zmqstream.ZMQStream.send = send
_on_recv = zmqstream.ZMQStream.on_recv
def on_recv(self, callback, copy=True):
    return _on_recv(self, lambda msg: callback(msg[:1] + [f.decode() for f in msg[1:]]), copy)
zmqstream.ZMQStream.on_recv = on_recv
";

/// Waits for `heartbeater` to welcome a heart and count it, stops the heart,
/// and waits for the heartbeater to declare it failed.
fn heart_welcomed_then_failed(heartbeater: Running, heart: Running) {
    heartbeater.wait_until("a new heart", TIMEOUT, |out, _| {
        out.contains("yay, got new heart b'") && out.contains("1 beating hearts: {b'")
    });
    let heart = heart.stop();
    assert_eq!(heart.lines()[0], "starting blocking loop", "{heart:?}");
    heartbeater.wait_until("a failed heart", TIMEOUT, |out, _| {
        out.contains(" failed :(")
    });
    let lines = heartbeater.stop();
    assert!(
        !lines.stdout.contains("got bad heartbeat"),
        "{}",
        lines.stdout
    );
}

#[test]
#[ignore = "needs pyzmq, numpy, tornado and PYZMQ_EXAMPLES"]
fn heart_py_beats_for_heartbeater_rs_and_heart_rs_for_heartbeater_py() {
    let scenario = Scenario::unshifted();
    let heartbeater = scenario.spawn("heartbeater", &[]);
    let heart = scenario.spawn_pyzmq_patched("heartbeat/heart", HEART_PRELUDE);
    heart_welcomed_then_failed(heartbeater, heart);

    let heartbeater = scenario.spawn_pyzmq_patched("heartbeat/heartbeater", HEARTBEATER_PRELUDE);
    let heart = scenario.spawn_with_env("heart", &[], &[("ZGUIDE_MATRIX", "64")]);
    heart_welcomed_then_failed(heartbeater, heart);
}

/// Checks that `ping` got `count` echoes.
fn check_pings(ping: &Running, count: usize) {
    ping.wait_until("pings", TIMEOUT, |out, _| out.lines().count() >= count);
    for (n, line) in ping.stdout_so_far().lines().enumerate() {
        assert!(
            line.starts_with(&format!("ping {}: ", n + 1)) && line.ends_with(" ms"),
            "{line:?}"
        );
    }
}

#[test]
#[ignore = "needs pyzmq, numpy and PYZMQ_EXAMPLES"]
fn ping_py_is_echoed_by_pong_rs_and_ping_rs_by_pong_py() {
    let scenario = Scenario::unshifted();
    let pong = scenario.spawn_with_env("pong", &[], &[("ZGUIDE_MATRIX", "64")]);
    let ping = scenario.spawn_pyzmq("heartbeat/ping", &[]);
    check_pings(&ping, 8);
    ping.stop();
    pong.stop();

    let pong = scenario.spawn_pyzmq("heartbeat/pong", &[]);
    let ping = scenario.spawn("ping", &[]);
    check_pings(&ping, 8);
    // pong.py's device echoes from its start; the loop's line comes a
    // second later and after a 64 MB random array, which under load is
    // after the eight pings.
    pong.wait_until("pong.py's blocking loop", TIMEOUT, |out, _| {
        out.contains("starting blocking loop")
    });
    ping.stop();
    assert_eq!(pong.stop().lines()[0], "starting blocking loop");
}

#[test]
#[ignore = "needs pyzmq and PYZMQ_EXAMPLES"]
fn poll_ports_print_what_the_originals_print() {
    let scenario = Scenario::unshifted();
    for (script, port) in [
        ("poll/reqrep", "poll_reqrep"),
        ("poll/pair", "poll_pair"),
        ("poll/pubsub", "poll_pubsub"),
    ] {
        let python = scenario.spawn_pyzmq(script, &[]).wait(TIMEOUT).success();
        let rust = scenario.run(port, &[], TIMEOUT);
        assert_eq!(rust.lines(), python.lines(), "{script}");
    }
}

/// The event names (`LISTENING`, ...) of the `Event: ` lines, in order.
fn event_names(lines: &[&str]) -> Vec<String> {
    lines
        .iter()
        .filter_map(|l| l.split("Event: {'event': <Event.").nth(1))
        .map(|rest| rest.split(':').next().unwrap_or_default().to_owned())
        .collect()
}

#[test]
#[ignore = "needs pyzmq and PYZMQ_EXAMPLES"]
fn simple_monitor_prints_the_names_and_events_simple_monitor_py_prints() {
    let scenario = Scenario::unshifted();
    let python = scenario
        .spawn_pyzmq("monitoring/simple_monitor", &[])
        .wait(TIMEOUT)
        .success();
    let rust = scenario.run("simple_monitor", &[], TIMEOUT);
    let (python, rust) = (python.lines(), rust.lines());
    assert_eq!(rust[..21], python[..21]);
    let mut python_events = event_names(&python);
    let mut rust_events = event_names(&rust);
    // The two connections' events may interleave differently.
    python_events.sort();
    rust_events.sort();
    assert_eq!(rust_events, python_events);
}

#[cfg(feature = "tracing")]
#[test]
#[ignore = "needs pyzmq and PYZMQ_EXAMPLES"]
fn zmqlogger_py_watches_what_a_zmqlogger_rs_worker_publishes() {
    let scenario = Scenario::unshifted();
    // No Python workers: zmqlogger.py only runs its log watcher.
    let watcher = scenario.spawn_pyzmq("logger/zmqlogger", &["0"]);
    let worker = scenario.spawn_with_env(
        "zmqlogger",
        &["--worker", "5558", "10"],
        &[("ZGUIDE_INTERVAL_MS", "50")],
    );
    let deadline = Instant::now() + TIMEOUT;
    let levels = ["DEBUG", "INFO", "WARNING", "ERROR"];
    while !levels
        .iter()
        .all(|level| watcher.stderr_so_far().contains(&format!("{level}:root:")))
    {
        assert!(
            Instant::now() < deadline,
            "zmqlogger.py logged no record of some level:\n{}",
            watcher.stderr_so_far()
        );
        thread::sleep(Duration::from_millis(20));
    }
    let worker = worker.stop();
    let pid = worker.lines()[0]
        .strip_prefix("starting logger at ")
        .and_then(|rest| rest.strip_suffix(" with level=10"))
        .unwrap_or_else(|| panic!("{worker:?}"))
        .to_owned();
    let log = watcher.stop().stderr;
    for line in log.lines() {
        let hello = format!("Hello from {pid}!");
        let expected_ends = [hello.clone(), format!("{hello} - None")];
        assert!(
            expected_ends.iter().any(|end| line.ends_with(end.as_str())),
            "{line:?}"
        );
        if line.starts_with("INFO:root:") {
            assert_eq!(line, format!("INFO:root:{hello}"));
        } else {
            let (level, rest) = line.split_once(":root:").unwrap();
            assert!(
                rest.starts_with(&format!("{level} zmqlogger.rs:")),
                "{line:?}"
            );
        }
    }
}

/// The line Python's root logger writes, `LEVEL:root:text`, for a record
/// PUBHandler published at `level` from `zmqlogger.py`: INFO's formatter
/// gives the message alone, the others put the level and the calling line
/// first, ERROR adds its empty exception slot.
#[cfg(feature = "tracing")]
fn pubhandler_line_matches(line: &str, level: &str, pid: &str) -> bool {
    let hello = format!("Hello from {pid}!");
    let Some(text) = line.strip_prefix(&format!("{level}:root:")) else {
        return false;
    };
    if level == "INFO" {
        return text == hello;
    }
    let suffix = if level == "ERROR" {
        format!(" - {hello} - None")
    } else {
        format!(" - {hello}")
    };
    text.strip_prefix(&format!("{level} zmqlogger.py:"))
        .and_then(|rest| rest.strip_suffix(&suffix))
        .is_some_and(|line_number| line_number.parse::<u32>().is_ok())
}

#[cfg(feature = "tracing")]
#[test]
#[ignore = "needs pyzmq and PYZMQ_EXAMPLES"]
fn zmqlogger_rs_watches_what_zmqlogger_py_workers_publish_at_every_level() {
    let scenario = Scenario::unshifted();
    // No Rust workers: the port only runs its log watcher, on 5558.
    let watcher = scenario.spawn("zmqlogger", &["0"]);
    // zmqlogger.py's own log_worker, twice, at level DEBUG so every record
    // passes, a record every 50 ms.
    let workers: Vec<Running> = (0..2)
        .map(|_| {
            scenario.spawn_pyzmq_function(
                "logger/zmqlogger",
                "log_worker(5558, interval=0.05, level=logging.DEBUG)",
            )
        })
        .collect();
    let pids: Vec<String> = workers
        .iter()
        .map(|worker| {
            worker.wait_until("the worker's start", TIMEOUT, |out, _| out.contains('\n'));
            worker
                .stdout_so_far()
                .lines()
                .next()
                .and_then(|l| l.strip_prefix("starting logger at "))
                .and_then(|l| l.strip_suffix(" with level=10"))
                .unwrap_or_else(|| panic!("{}", worker.stdout_so_far()))
                .to_owned()
        })
        .collect();
    // Python has five levels, CRITICAL included: each from each worker.
    let levels = ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"];
    let deadline = Instant::now() + TIMEOUT;
    loop {
        let log = watcher.stderr_so_far();
        let seen = |level: &str, pid: &str| {
            log.lines()
                .any(|line| pubhandler_line_matches(line, level, pid))
        };
        if pids
            .iter()
            .all(|pid| levels.iter().all(|level| seen(level, pid)))
        {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "zmqlogger.rs did not log every level from both workers {pids:?}:\n{log}"
        );
        thread::sleep(Duration::from_millis(20));
    }
    for worker in workers {
        worker.stop();
    }
    let watcher = watcher.interrupt_until_exit(TIMEOUT).success();
    assert_eq!(watcher.stdout, "");
    for line in watcher.stderr.lines() {
        assert!(
            levels.iter().any(|level| pids
                .iter()
                .any(|pid| pubhandler_line_matches(line, level, pid))),
            "not a record of {pids:?} as Python's root logger writes it: {line:?}"
        );
    }
}
