//! Chapter 8 of the guide, discovery and presence: each ported example run
//! as a process, its printed output checked.
//!
//! Everything stays on the loopback interface: the UDP examples broadcast
//! to 127.255.255.255 (`ZGUIDE_BROADCAST`), which Linux delivers to every
//! socket bound to the port on this host, and dechat runs on `lo`, whose
//! /24 is 127.0.0.1 to 127.0.0.254. The UDP port 9999 is shifted like the
//! TCP ports (`ZGUIDE_PORT_OFFSET`).
//!
//! The example binaries come from `cargo test` (or `cargo build --examples`),
//! see `tests/common/mod.rs`.

mod common;

use std::collections::BTreeSet;
use std::net::{Ipv4Addr, UdpSocket};
use std::thread;
use std::time::{Duration, Instant};

use common::{Running, Scenario};
use zmq::{SocketType, sockopt};

/// Far longer than any of these runs takes, so only a hang trips it.
const TIMEOUT: Duration = Duration::from_secs(30);

/// The beacons' port, as the guide has it.
const PING_PORT_NUMBER: u16 = 9999;

/// Keeps the examples' broadcasts on this host.
const LOOPBACK_BROADCAST: (&str, &str) = ("ZGUIDE_BROADCAST", "127.255.255.255");

#[test]
fn eagain_reports_resource_temporarily_unavailable_at_the_high_water_mark() {
    let run = Scenario::new().run("eagain", &[], TIMEOUT);
    // Four messages fit under the mark; the fifth fails at once.
    assert_eq!(
        run.lines(),
        [
            "Sending message 0",
            "Sending message 1",
            "Sending message 2",
            "Sending message 3",
            "Sending message 4",
            "Resource temporarily unavailable",
        ]
    );
}

/// A peer of the test's own: a UDP socket on an ephemeral loopback port,
/// allowed to broadcast.
fn test_peer() -> UdpSocket {
    let socket = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind a UDP socket");
    socket.set_broadcast(true).expect("SO_BROADCAST");
    socket
}

/// Broadcasts `beacon` from `peer` to the scenario's ping port every 100 ms
/// until `running` has printed `needle`.
fn beacon_until(
    scenario: &Scenario,
    peer: &UdpSocket,
    beacon: &[u8],
    running: &Running,
    needle: &str,
) {
    let deadline = Instant::now() + TIMEOUT;
    let target = (
        Ipv4Addr::new(127, 255, 255, 255),
        scenario.port(PING_PORT_NUMBER),
    );
    while !running.stdout_so_far().contains(needle) {
        assert!(
            Instant::now() < deadline,
            "never printed {needle:?}:\n{}",
            running.stdout_so_far()
        );
        peer.send_to(beacon, target).expect("broadcast a beacon");
        thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn udpping1_pings_and_reports_itself_and_a_peer_on_loopback() {
    let scenario = Scenario::new();
    let mut ping = scenario.spawn_with_env("udpping1", &[], &[LOOPBACK_BROADCAST]);
    // Its own beacon comes back to it, from its own port.
    let own = format!("Found peer 127.0.0.1:{}\n", scenario.port(PING_PORT_NUMBER));
    ping.wait_for_output(&own, TIMEOUT);

    // So does ours, from ours.
    let peer = test_peer();
    let ours = format!(
        "Found peer 127.0.0.1:{}\n",
        peer.local_addr().expect("our address").port()
    );
    beacon_until(&scenario, &peer, b"!", &ping, &ours);

    let ping = ping.interrupt_until_exit(TIMEOUT).success();
    let lines = ping.lines();
    assert_eq!(lines.first(), Some(&"Pinging peers..."));
    assert_eq!(lines.last(), Some(&"interrupted"));
    assert!(
        lines.iter().all(|line| *line == "Pinging peers..."
            || *line == "interrupted"
            || line.starts_with("Found peer 127.0.0.1:")),
        "{}",
        ping.stdout
    );
}

/// The number of `Found peer` lines in each interval between two pings of
/// `stdout`, after the first `skip` intervals.
fn beacons_per_ping(stdout: &str, skip: usize) -> Vec<usize> {
    let mut intervals = Vec::new();
    for line in stdout.lines() {
        if line == "Pinging peers..." {
            intervals.push(0);
        } else if line.starts_with("Found peer ")
            && let Some(last) = intervals.last_mut()
        {
            *last += 1;
        }
    }
    // The interval still open is not complete.
    intervals.pop();
    intervals.into_iter().skip(skip).collect()
}

/// Waits until `running` has pinged `count` more times than in `since`.
fn wait_for_pings(running: &Running, since: &str, count: usize) -> String {
    let pings = |text: &str| text.matches("Pinging peers...\n").count();
    let target = pings(since) + count;
    let deadline = Instant::now() + TIMEOUT;
    loop {
        let output = running.stdout_so_far();
        if pings(&output) >= target {
            return output;
        }
        assert!(Instant::now() < deadline, "too few pings:\n{output}");
        thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn udpping2_peers_on_one_host_share_the_port_and_hear_each_other_until_one_dies() {
    let scenario = Scenario::new();
    let env = [LOOPBACK_BROADCAST];
    let a = scenario.spawn_with_env("udpping2", &[], &env);
    let b = scenario.spawn_with_env("udpping2", &[], &env);
    // Both pinging once a second: each interval of one holds its own
    // beacon and the other's (all from 127.0.0.1:port, which udplib does
    // not take for its own address).
    let with_b = wait_for_pings(&a, "", 7);
    let heard: usize = beacons_per_ping(&with_b, 1).iter().sum();
    let intervals = beacons_per_ping(&with_b, 1).len();
    assert!(
        heard >= 2 * intervals - 1,
        "{intervals} pings, {heard} beacons:\n{with_b}"
    );

    // B dies: A hears only itself again.
    drop(b.stop());
    let since = wait_for_pings(&a, &with_b, 1);
    let alone = wait_for_pings(&a, &since, 5);
    let skip = beacons_per_ping(&since, 0).len() + 1;
    let heard: usize = beacons_per_ping(&alone, skip).iter().sum();
    let intervals = beacons_per_ping(&alone, skip).len();
    assert!(
        heard <= intervals + 1,
        "{intervals} pings, {heard} beacons:\n{alone}"
    );
    assert!(
        heard + 1 >= intervals,
        "{intervals} pings, {heard} beacons:\n{alone}"
    );

    // A peer on a port of its own shows as itself.
    let peer = test_peer();
    let ours = format!(
        "Found peer 127.0.0.1:{}\n",
        peer.local_addr().expect("our address").port()
    );
    beacon_until(&scenario, &peer, b"!", &a, &ours);
    let a = a.interrupt_until_exit(TIMEOUT).success();
    assert_eq!(a.lines().last(), Some(&"interrupted"));
}

/// The UUIDs in `[b'EVENT', b'<uuid>']` lines of `stdout`.
fn presence(stdout: &str, event: &str) -> Vec<String> {
    let prefix = format!("[b'{event}', b'");
    stdout
        .lines()
        .filter_map(|line| line.strip_prefix(&prefix)?.strip_suffix("']"))
        .map(str::to_owned)
        .collect()
}

#[test]
fn udpping3_interfaces_report_each_other_joining_and_the_killed_one_leaving() {
    let scenario = Scenario::new();
    let env = [LOOPBACK_BROADCAST];
    let mut a = scenario.spawn_with_env("udpping3", &[], &env);
    let mut b = scenario.spawn_with_env("udpping3", &[], &env);

    // Each sees two peers join: itself and the other.
    let deadline = Instant::now() + TIMEOUT;
    while presence(&a.stdout_so_far(), "JOINED").len() < 2
        || presence(&b.stdout_so_far(), "JOINED").len() < 2
    {
        assert!(a.is_running() && b.is_running() && Instant::now() < deadline);
        thread::sleep(Duration::from_millis(50));
    }
    let joined_a: BTreeSet<String> = presence(&a.stdout_so_far(), "JOINED").into_iter().collect();
    let joined_b: BTreeSet<String> = presence(&b.stdout_so_far(), "JOINED").into_iter().collect();
    assert_eq!(joined_a, joined_b);
    assert_eq!(joined_a.len(), 2);
    for uuid in &joined_a {
        assert!(uuid.len() == 32 && uuid.chars().all(|c| c.is_ascii_hexdigit()));
    }

    // B is killed: after five silent seconds A reaps it, and only it.
    drop(b.stop());
    let left = {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = presence(&a.stdout_so_far(), "LEFT");
            if !left.is_empty() {
                break left;
            }
            assert!(a.is_running() && Instant::now() < deadline);
            thread::sleep(Duration::from_millis(50));
        }
    };
    assert_eq!(left.len(), 1);
    assert!(joined_a.contains(&left[0]));
    a.wait_for_output(&format!("reaping b'{}' ", left[0]), TIMEOUT);

    // A keeps hearing itself, so it never leaves.
    thread::sleep(Duration::from_secs(2));
    let a = a.interrupt_until_exit(TIMEOUT).success();
    assert_eq!(presence(&a.stdout, "LEFT"), left);
    assert_eq!(a.lines().last(), Some(&"interrupted"));
    assert!(a.stdout.contains("Found peer 127.0.0.1:"));
}

#[test]
fn dechat_on_loopback_sends_what_is_typed_and_prints_what_it_hears() {
    let scenario = Scenario::new();
    let mut chat = scenario.spawn("dechat", &["lo", "alice"]);
    chat.wait_for_output("starting chat on lo:9000 (127.0.0.*)\n", TIMEOUT);

    // Bob, on another address of the same /24.
    let ctx = zmq::Context::new().expect("context");
    let bob = ctx.socket(SocketType::Pub).expect("socket");
    bob.set(sockopt::Linger, Some(Duration::ZERO))
        .expect("linger");
    bob.bind(&format!("tcp://127.0.0.2:{}", scenario.port(9000)))
        .expect("bind bob");
    let deadline = Instant::now() + TIMEOUT;
    while !chat.stdout_so_far().contains("bob: hi\n") {
        assert!(Instant::now() < deadline, "{}", chat.stdout_so_far());
        bob.send("bob: hi").expect("send");
        thread::sleep(Duration::from_millis(100));
    }

    // What Alice types reaches Bob, and Alice herself.
    let listener = ctx.socket(SocketType::Sub).expect("socket");
    listener
        .set(sockopt::RcvTimeo, Some(Duration::from_millis(100)))
        .expect("rcvtimeo");
    listener
        .set(sockopt::Linger, Some(Duration::ZERO))
        .expect("linger");
    listener.subscribe(b"").expect("subscribe");
    listener
        .connect(&format!("tcp://127.0.0.1:{}", scenario.port(9000)))
        .expect("connect");
    let mut n = 0;
    let heard = loop {
        assert!(Instant::now() < deadline, "Bob heard nothing");
        n += 1;
        chat.write_stdin(&format!("hello {n}\n"));
        if let Ok(line) = listener.recv_string() {
            break line;
        }
    };
    assert!(heard.starts_with("alice: hello "), "{heard}");
    chat.wait_for_output(&format!("{heard}\n"), TIMEOUT);

    // The end of input ends the chat.
    let chat = chat.close_stdin().wait(TIMEOUT).success();
    assert_eq!(chat.lines()[0], "starting chat on lo:9000 (127.0.0.*)");
}

#[test]
fn dechat_refuses_an_interface_it_does_not_have() {
    let run = Scenario::new()
        .spawn("dechat", &["no-such-interface", "alice"])
        .wait(TIMEOUT);
    assert_eq!(run.status.code(), Some(2));
    assert!(
        run.stderr
            .contains("argument interface: invalid choice: 'no-such-interface' (choose from 'lo'"),
        "{}",
        run.stderr
    );
}
