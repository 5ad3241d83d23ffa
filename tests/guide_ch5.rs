//! Chapter 5 of the guide, advanced pub-sub: each ported example run as a
//! process, its printed output checked. The Clone models are in
//! `guide_ch5_clone.rs`.
//!
//! The example binaries come from `cargo test` (or `cargo build --examples`),
//! see `tests/common/mod.rs`.

mod common;

use std::time::Duration;

use common::Scenario;
use zmq::{SocketType, sockopt};

/// Far longer than any of these runs takes, so only a hang trips it.
const TIMEOUT: Duration = Duration::from_secs(30);

#[test]
fn espresso_shows_data_one_way_and_subscriptions_the_other_then_stops_on_ctrl_c() {
    let scenario = Scenario::new();
    let mut espresso = scenario.spawn("espresso", &[]);
    espresso.wait_for_output("Subscriber received 5 messages\n", TIMEOUT);
    // The subscriber's two subscriptions went up through the proxy...
    espresso.wait_for_output("[b'sub', b'\\x01A']\n", TIMEOUT);
    espresso.wait_for_output("[b'sub', b'\\x01B']\n", TIMEOUT);
    // ...and the five messages the subscriber got came down through it. The
    // listener prints the proxy's copies on a thread of its own, so it may
    // still be behind the subscriber: wait for it before the Ctrl-C.
    espresso.wait_until("five messages through the proxy", TIMEOUT, |out, _| {
        out.matches("[b'pub', b'").count() >= 5
    });
    let espresso = espresso.interrupt_until_exit(TIMEOUT).success();
    assert_eq!(espresso.lines().last(), Some(&"Interrupted"));

    // ...and the publisher's data came down, each piece shown once.
    let data: Vec<&str> = espresso
        .lines()
        .into_iter()
        .filter_map(|line| line.strip_prefix("[b'pub', b'"))
        .map(|rest| rest.strip_suffix("']").expect("a closed list"))
        .collect();
    assert!(data.len() >= 5, "{}", espresso.stdout);
    for item in data {
        let (letter, number) = item.split_once('-').expect("X-NNNNN");
        assert!(("A"..="K").contains(&letter), "{item}");
        assert!(number.len() >= 5 && number.parse::<u32>().is_ok_and(|n| n <= 100_000));
    }
}

#[test]
fn pathosub_hears_save_roger_on_its_random_topic() {
    let scenario = Scenario::new();
    let mut subscriber = scenario.spawn("pathosub", &[]);
    // The publisher gives subscribers a second before its 1000 topics.
    let publisher = scenario.spawn("pathopub", &[]);
    subscriber.wait_for_output("Save Roger\n", TIMEOUT);
    let subscriber = subscriber.stop();
    assert!(
        subscriber
            .lines()
            .iter()
            .all(|line| ["Save Roger", "Off with his head!"].contains(line)),
        "{}",
        subscriber.stdout
    );
    publisher.stop().silent();
}

#[test]
fn lvcache_gives_a_late_subscriber_the_cached_value_at_once() {
    let scenario = Scenario::new();
    let mut lvcache = scenario.spawn("lvcache", &[]);

    // A subscriber of our own on the cache's output proves the publisher's
    // burst of 1000 topics has gone through (and so into the cache).
    let ctx = zmq::Context::new().expect("context");
    let watcher = ctx.socket(SocketType::Sub).expect("socket");
    watcher
        .set(sockopt::RcvTimeo, Some(TIMEOUT))
        .expect("rcvtimeo");
    watcher.subscribe(b"999").expect("subscribe");
    // The watcher must be subscribed at the cache before the burst gets
    // there: later, the cache would answer its subscription from the
    // cache, a second "Sending cached topic" below. The publisher's first
    // second is the margin, counted from the watcher's handshake, not from
    // a cache process that may still be starting.
    let watcher_events = zmq::Monitor::new(&watcher, zmq::MonitorEvents::HANDSHAKE_SUCCEEDED)
        .expect("monitor the watcher");
    watcher
        .connect(&format!("tcp://127.0.0.1:{}", scenario.port(5558)))
        .expect("connect");
    watcher_events
        .wait_for(TIMEOUT, |event| {
            *event == zmq::SocketEvent::HandshakeSucceeded
        })
        .expect("the watcher's monitor")
        .expect("the watcher connects to the cache");
    let publisher = scenario.spawn("pathopub", &["tcp://*:5557"]);
    let last = watcher
        .recv_multipart()
        .expect("topic 999 through the cache");
    assert_eq!(last, [&b"999"[..], b"Save Roger"]);

    // The publisher now sends one random topic a second: a late subscriber
    // would wait about 1000 seconds for its own. The cache answers at once.
    let mut late = scenario.spawn("pathosub", &["tcp://localhost:5558"]);
    late.wait_for_output("Save Roger\n", Duration::from_secs(10));
    lvcache.wait_for_output("Sending cached topic b'", TIMEOUT);
    drop(late.stop());
    publisher.stop().silent();
    let lvcache = lvcache.interrupt_until_exit(TIMEOUT).success();
    let sent: Vec<&str> = lvcache
        .lines()
        .into_iter()
        .filter(|line| line.starts_with("Sending cached topic"))
        .collect();
    // The late subscriber's topic (our watcher subscribed before the cache
    // had anything).
    assert_eq!(sent.len(), 1, "{}", lvcache.stdout);
    assert_eq!(lvcache.lines().last(), Some(&"interrupted"));
}

#[test]
fn suisnail_subscriber_detects_it_is_too_slow_and_ends_the_program() {
    let snail = Scenario::new().run("suisnail", &[], TIMEOUT);
    assert_eq!(snail.stdout, "");
    assert_eq!(snail.stderr, "E: subscriber cannot keep up, aborting\n");
}

#[test]
fn kvsimple_self_test_round_trips_a_message() {
    let run = Scenario::new().run("kvsimple", &["-v"], TIMEOUT);
    // Python 2's `print "x",` then `print "OK"` puts a space between them.
    assert_eq!(run.stdout, " * kvmsg:  OK\n");
    assert_eq!(run.stderr, "[seq:1][key:key][size:4] 'body'\n".repeat(2));
}

#[test]
fn kvmsg_self_test_round_trips_messages_with_properties() {
    let run = Scenario::new().run("kvmsg", &["-v"], TIMEOUT);
    assert_eq!(run.stdout, " * kvmsg: OK\n");
    let plain = "<< [seq:1][key:b'key'][size:4][props:b''][data:b'body'] >>\n";
    let props = "<< [seq:2][key:b'key'][size:4]\
                 [props:b'prop1=value1\\nprop2=value2\\nprop3=value3\\n'][data:b'body'] >>\n";
    assert_eq!(run.stderr, format!("{plain}{plain}{props}{props}"));
}
