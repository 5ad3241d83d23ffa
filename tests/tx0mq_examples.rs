//! tx0mq's demos ported on `zmq::asyncio::connection`, each run as a
//! process beside its peer, its printed output checked.
//!
//! They need the `tokio` feature: `cargo build --features tokio --examples`
//! then `cargo test --features tokio --test tx0mq_examples`.
#![cfg(feature = "tokio")]

mod common;

use std::time::Duration;

use common::Scenario;

/// Far longer than any of these runs takes, so only a hang trips it.
const TIMEOUT: Duration = Duration::from_secs(30);

#[test]
fn puller_prints_each_time_the_pusher_pushes_as_a_python2_list() {
    let scenario = Scenario::new();
    let mut puller = scenario.spawn("tx0mq_puller", &["--endpoint=ipc:///tmp/sock"]);
    puller.wait_for_output("Puller connected\n", TIMEOUT);
    let mut pusher = scenario.spawn_with_env(
        "tx0mq_pusher",
        &["-e", "ipc:///tmp/sock"],
        &[("ZGUIDE_INTERVAL_MS", "50")],
    );
    pusher.wait_for_output("pusher connected\n", TIMEOUT);
    // Three pushes received, whichever came first.
    for _ in 0..100 {
        if puller.stdout_so_far().matches("Puller received: ").count() >= 3 {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let pusher = pusher.stop();
    let puller = puller.stop();

    let pushed: Vec<&str> = pusher.lines()[1..]
        .iter()
        .map(|line| {
            let time = line
                .strip_prefix("pushing ")
                .and_then(|rest| rest.strip_suffix(" ..."))
                .unwrap_or_else(|| panic!("unexpected line {line:?}"));
            let _: f64 = time.parse().expect("the time as a float");
            assert!(time.len() <= 13, "more than 12 digits: {time:?}");
            time
        })
        .collect();
    assert_eq!(pusher.lines()[0], "pusher connected");
    let received: Vec<String> = puller.lines()[1..]
        .iter()
        .map(|l| (*l).to_owned())
        .collect();
    assert_eq!(puller.lines()[0], "Puller connected");
    assert!(received.len() >= 3, "{received:?}");
    // Every message received is one pushed, in order.
    for (line, time) in received.iter().zip(&pushed) {
        assert_eq!(*line, format!("Puller received: ['{time}']"));
    }
}
