//! Chapter 2 of the guide: each ported example run as a process, with the
//! peers the guide runs it with, its printed output checked.
//!
//! The example binaries come from `cargo test` (or `cargo build --examples`),
//! see `tests/common/mod.rs`.

mod common;

use std::net::TcpStream;
use std::thread;
use std::time::{Duration, Instant};

use common::pipeline::{self, Pipeline};
use common::{Running, Scenario};
use zmq::{SocketType, sockopt};

/// Far longer than any of these runs takes, so only a hang trips it.
const TIMEOUT: Duration = Duration::from_secs(30);

/// A socket of the test's own, with timeouts so that it cannot hang the test.
fn test_socket(ctx: &zmq::Context, kind: SocketType) -> zmq::Socket {
    let socket = ctx.socket(kind).expect("socket");
    socket
        .set(sockopt::RcvTimeo, Some(TIMEOUT))
        .expect("rcvtimeo");
    socket
        .set(sockopt::SndTimeo, Some(TIMEOUT))
        .expect("sndtimeo");
    socket
        .set(sockopt::Linger, Some(Duration::ZERO))
        .expect("linger");
    socket
}

/// Plays the task ventilator for msreader and mspoller: pushes far more
/// (and larger) tasks than the queues between the two processes can hold,
/// so every send returning proves the reader keeps taking them.
fn push_tasks_that_only_a_reader_can_absorb(scenario: &Scenario) {
    let ctx = zmq::Context::new().expect("context");
    let ventilator = test_socket(&ctx, SocketType::Push);
    // One message on our side, 1000 on the reader's (its default high-water
    // mark), a few in the kernel's buffers: 2000 cannot all be in flight.
    ventilator.set(sockopt::SndHwm, 1).expect("sndhwm");
    ventilator
        .bind(&format!("tcp://*:{}", scenario.port(5557)))
        .expect("bind the ventilator port");
    let task = vec![b'7'; 64 * 1024];
    for n in 0..2000 {
        ventilator
            .send(&task)
            .unwrap_or_else(|e| panic!("task {n} was not taken: {e}"));
    }
}

/// Plays the weather server for msreader and mspoller, on an XPUB that does
/// not drop at its high-water mark (`XpubNodrop`): like the ventilator's
/// PUSH, each send waits until the subscriber has room. The reader's
/// subscription must arrive first, for New York (10001) alone; then it must
/// take far more New York updates than the queues between us can hold.
///
/// wuserver itself cannot show this: its PUB drops what a slow or absent
/// reader does not take, so nothing it sees depends on the reader.
fn publish_weather_that_only_a_reader_can_absorb(scenario: &Scenario) {
    let ctx = zmq::Context::new().expect("context");
    let weather = test_socket(&ctx, SocketType::Xpub);
    weather.set(sockopt::SndHwm, 1).expect("sndhwm");
    weather.set(sockopt::XpubNodrop, true).expect("xpub_nodrop");
    weather
        .bind(&format!("tcp://*:{}", scenario.port(5556)))
        .expect("bind the weather port");
    let subscription = weather.recv().expect("the reader's subscription");
    assert_eq!(
        &subscription[..],
        b"\x0110001",
        "not a subscription to 10001 alone"
    );
    // The same sizes and count as the tasks, and for the same reason.
    let mut update = b"10001 ".to_vec();
    update.resize(64 * 1024, b'7');
    for n in 0..2000 {
        weather
            .send(&update)
            .unwrap_or_else(|e| panic!("update {n} was not taken: {e}"));
    }
}

fn assert_still_running(reader: &mut Running) {
    assert!(reader.is_running(), "the reader exited early");
}

#[test]
fn msreader_drains_both_the_ventilator_and_the_weather_feed() {
    let scenario = Scenario::new();
    let mut reader = scenario.spawn("msreader", &[]);
    push_tasks_that_only_a_reader_can_absorb(&scenario);
    publish_weather_that_only_a_reader_can_absorb(&scenario);
    assert_still_running(&mut reader);
    // Like the original, it prints nothing.
    reader.stop().silent();
}

#[test]
fn mspoller_drains_both_feeds_and_stops_cleanly_on_ctrl_c() {
    let scenario = Scenario::new();
    let mut poller = scenario.spawn("mspoller", &[]);
    push_tasks_that_only_a_reader_can_absorb(&scenario);
    publish_weather_that_only_a_reader_can_absorb(&scenario);
    assert_still_running(&mut poller);
    poller.interrupt_until_exit(TIMEOUT).success().silent();
}

/// The lines rrclient prints when every reply is "World".
fn rrclient_lines() -> Vec<String> {
    (1..=10)
        .map(|n| format!("Received reply {n} [b'World']"))
        .collect()
}

#[test]
fn rrclient_reaches_rrworker_through_rrbroker() {
    let scenario = Scenario::new();
    let broker = scenario.spawn("rrbroker", &[]);
    let worker = scenario.spawn("rrworker", &[]);
    let client = scenario.run("rrclient", &[], TIMEOUT);
    assert_eq!(client.lines(), rrclient_lines());
    assert_eq!(worker.stop().lines(), ["Received request: b'Hello'"; 10]);
    broker.stop().silent();
}

#[test]
fn rrclient_reaches_two_rrworkers_through_msgqueue() {
    let scenario = Scenario::new();
    let queue = scenario.spawn("msgqueue", &[]);
    let workers = [
        scenario.spawn("rrworker", &[]),
        scenario.spawn("rrworker", &[]),
    ];
    let client = scenario.run("rrclient", &[], TIMEOUT);
    assert_eq!(client.lines(), rrclient_lines());
    // The DEALER shares the ten requests between the workers it has.
    let mut served = 0;
    for worker in workers {
        let worker = worker.stop();
        assert!(
            worker
                .lines()
                .iter()
                .all(|line| *line == "Received request: b'Hello'"),
            "{}",
            worker.stdout
        );
        served += worker.lines().len();
    }
    assert_eq!(served, 10);
    queue.stop().silent();
}

#[test]
fn wuproxy_republishes_weather_updates_on_port_8100() {
    let scenario = Scenario::new();
    let weather = scenario.spawn("wuserver", &[]);
    let proxy = scenario.spawn("wuproxy", &[]);
    let ctx = zmq::Context::new().expect("context");
    let subscriber = test_socket(&ctx, SocketType::Sub);
    subscriber
        .connect(&format!("tcp://127.0.0.1:{}", scenario.port(8100)))
        .expect("connect");
    subscriber.subscribe(b"").expect("subscribe");
    for _ in 0..5 {
        let update = subscriber
            .recv_string()
            .expect("an update through the proxy");
        let fields: Vec<i32> = update
            .split(' ')
            .map(|field| field.parse().expect("a number"))
            .collect();
        let [zipcode, temperature, relhumidity] = fields[..] else {
            panic!("malformed update {update:?}");
        };
        assert!((1..100_000).contains(&zipcode), "{update}");
        assert!((-80..135).contains(&temperature), "{update}");
        assert!((10..60).contains(&relhumidity), "{update}");
    }
    proxy.stop().silent();
    weather.stop().silent();
}

#[test]
fn tasksink2_collects_a_batch_then_kills_the_taskwork2s() {
    let run = Pipeline {
        vent: "taskvent",
        work: "taskwork2",
        sink: "tasksink2",
    }
    .run(&Scenario::new(), TIMEOUT);
    let _: u64 = run.sink_elapsed_msec().parse().expect("whole msec");
    // KILL ends both workers on their own, after one dot per task between them.
    pipeline::assert_each_task_worked_once(
        run.workers
            .map(|worker| worker.wait(TIMEOUT).success().stdout),
    );
}

/// Waits until something listens on `port`, i.e. the example has bound it.
fn wait_until_bound(port: u16) {
    let deadline = Instant::now() + TIMEOUT;
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "nothing bound port {port}");
        thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn interrupt_reports_ctrl_c_and_exits_cleanly() {
    let scenario = Scenario::new();
    let server = scenario.spawn("interrupt", &[]);
    wait_until_bound(scenario.port(5558));
    let server = server.interrupt_until_exit(TIMEOUT).success();
    assert_eq!(server.lines(), ["W: interrupt received, stopping..."]);
}

#[test]
fn interrupt_ends_quietly_when_a_request_arrives_instead() {
    let scenario = Scenario::new();
    let server = scenario.spawn("interrupt", &[]);
    let ctx = zmq::Context::new().expect("context");
    let client = test_socket(&ctx, SocketType::Req);
    client
        .connect(&format!("tcp://127.0.0.1:{}", scenario.port(5558)))
        .expect("connect");
    client.send("Hello").expect("send");
    let server = server.wait(TIMEOUT).success();
    assert_eq!(server.stdout, "");
}

#[test]
fn mtserver_workers_answer_hwclient() {
    let scenario = Scenario::new();
    let server = scenario.spawn("mtserver", &[]);
    let client = scenario
        .spawn_with_env("hwclient", &[], &[("ZGUIDE_REQUESTS", "3")])
        .wait(TIMEOUT)
        .success();
    let mut expected = vec!["Connecting to hello world server...".to_owned()];
    for request in 0..3 {
        expected.push(format!("Sending request {request} ..."));
        expected.push(format!("Received reply {request} [ b'World' ]"));
    }
    assert_eq!(client.lines(), expected);
    assert_eq!(server.stop().lines(), ["Received request: [ b'Hello' ]"; 3]);
}

#[test]
fn mtrelay_passes_the_signal_through_three_threads() {
    let run = Scenario::new().run("mtrelay", &[], TIMEOUT);
    assert_eq!(run.lines(), ["Test successful!"]);
}

#[test]
fn syncsubs_each_receive_every_update_syncpub_sends() {
    const SUBSCRIBERS: usize = 3;
    const UPDATES: u32 = 100_000;
    let scenario = Scenario::new();
    let subscribers = SUBSCRIBERS.to_string();
    let updates = UPDATES.to_string();
    let publisher = scenario.spawn_with_env(
        "syncpub",
        &[],
        &[
            ("ZGUIDE_SUBSCRIBERS", subscribers.as_str()),
            ("ZGUIDE_UPDATES", updates.as_str()),
        ],
    );
    let subscribers: Vec<_> = (0..SUBSCRIBERS)
        .map(|_| scenario.spawn("syncsub", &[]))
        .collect();
    let publisher = publisher.wait(TIMEOUT).success();
    let expected: Vec<String> = (1..=SUBSCRIBERS)
        .map(|n| format!("+1 subscriber ({n}/{SUBSCRIBERS})"))
        .collect();
    assert_eq!(publisher.lines(), expected);
    for subscriber in subscribers {
        let subscriber = subscriber.wait(TIMEOUT).success();
        assert_eq!(subscriber.lines(), [format!("Received {UPDATES} updates")]);
    }
}

#[test]
fn psenvsub_sees_only_the_b_envelope() {
    let scenario = Scenario::new();
    let publisher = scenario.spawn("psenvpub", &[]);
    let mut subscriber = scenario.spawn("psenvsub", &[]);
    let line = "[b'B'] b'We would like to see this'\n";
    subscriber.wait_for_output(&line.repeat(2), TIMEOUT);
    let subscriber = subscriber.stop();
    assert!(subscriber.lines().len() >= 2);
    assert!(
        subscriber.lines().iter().all(|l| *l == line.trim_end()),
        "{}",
        subscriber.stdout
    );
    publisher.stop().silent();
}
