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
    puller.wait_until("three pushes received", TIMEOUT, |out, _| {
        out.matches("Puller received: ").count() >= 3
    });
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

#[test]
fn pair_server_answers_each_time_the_pair_client_sends_with_its_own() {
    let scenario = Scenario::new();
    let mut server = scenario.spawn("tx0mq_pair_server", &["--endpoint", "ipc:///tmp/sock"]);
    server.wait_for_output("Server listening\n", TIMEOUT);
    let client = scenario.spawn_with_env(
        "tx0mq_pair_client",
        &["-e=ipc:///tmp/sock"],
        &[("ZGUIDE_INTERVAL_MS", "50")],
    );
    // Three responses received.
    client.wait_until("three responses received", TIMEOUT, |out, _| {
        out.matches("received response: ").count() >= 3
    });
    let client = client.stop();
    let server = server.stop();

    let client_lines = client.lines();
    assert_eq!(client_lines[0], "Client connected");
    let sent: Vec<&str> = client_lines
        .iter()
        .filter_map(|l| l.strip_prefix("sending "))
        .collect();
    let responses: Vec<&str> = client_lines
        .iter()
        .filter_map(|l| l.strip_prefix("received response: "))
        .collect();
    assert!(responses.len() >= 3, "{client_lines:?}");
    assert_eq!(
        sent.len() + responses.len() + 1,
        client_lines.len(),
        "{client_lines:?}"
    );

    // The server printed each request it got, in order, then its answer;
    // the client got those answers, in order.
    let server_lines = server.lines();
    assert_eq!(server_lines[0], "Server listening");
    let pairs: Vec<(&str, &str)> = server_lines[1..]
        // A server stopped between its two lines leaves a lone request.
        .chunks_exact(2)
        .map(|pair| {
            let request = pair[0]
                .strip_prefix("received request: ")
                .unwrap_or_else(|| panic!("unexpected line {:?}", pair[0]));
            let response = pair[1]
                .strip_prefix("sending response: ")
                .unwrap_or_else(|| panic!("unexpected line {:?}", pair[1]));
            (request, response)
        })
        .collect();
    for ((request, response), (sent, received)) in pairs.iter().zip(sent.iter().zip(&responses)) {
        assert_eq!(request, sent);
        assert_eq!(response, received);
        let _: f64 = response.parse().expect("the time as a float");
    }
}

#[test]
fn subscriber_prints_what_the_publisher_publishes_on_its_topic() {
    let scenario = Scenario::new();
    let publisher = scenario.spawn_with_env(
        "tx0mq_publisher",
        &["-t", "clock"],
        &[("ZGUIDE_INTERVAL_MS", "50")],
    );
    let subscriber = scenario.spawn("tx0mq_subscriber", &["--topic=clock"]);
    subscriber.wait_until("three messages received", TIMEOUT, |out, _| {
        out.matches("Received message: ").count() >= 3
    });
    let subscriber = subscriber.stop();
    let publisher = publisher.stop();

    let published: Vec<&str> = publisher.lines()[1..]
        .iter()
        .map(|line| {
            line.strip_prefix("publishing (clock) ")
                .and_then(|rest| rest.strip_suffix(" ..."))
                .unwrap_or_else(|| panic!("unexpected line {line:?}"))
        })
        .collect();
    assert_eq!(publisher.lines()[0], "Publisher connected");
    let lines = subscriber.lines();
    assert_eq!(
        lines[0],
        "subscriber connected, subscribing for topic: clock"
    );
    assert!(lines.len() > 3, "{lines:?}");
    // What the subscriber got is a run of what was published (it joined
    // late, so it missed the first ones).
    let times: Vec<&str> = lines[1..]
        .iter()
        .map(|line| {
            line.strip_prefix("Received message: (clock) ")
                .unwrap_or_else(|| panic!("unexpected line {line:?}"))
        })
        .collect();
    let start = published
        .iter()
        .position(|t| *t == times[0])
        .unwrap_or_else(|| panic!("{times:?} not in {published:?}"));
    assert_eq!(times, published[start..start + times.len()]);
}

#[test]
fn requester_gets_the_repliers_time_for_its_request_then_stops() {
    let scenario = Scenario::new();
    let mut replier = scenario.spawn("tx0mq_replier", &[]);
    replier.wait_for_output("Replier listening\n", TIMEOUT);
    let requester = scenario
        .spawn_with_env("tx0mq_requester", &[], &[("ZGUIDE_INTERVAL_MS", "100")])
        .wait(TIMEOUT)
        .success();
    let replier = replier.stop();

    let lines = requester.lines();
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert_eq!(lines[0], "Requester connected");
    let sent = lines[1]
        .strip_prefix("sending request containing ")
        .and_then(|rest| rest.strip_suffix(" ..."))
        .unwrap_or_else(|| panic!("unexpected line {:?}", lines[1]));
    let reply = lines[2]
        .strip_prefix("received reply: ")
        .unwrap_or_else(|| panic!("unexpected line {:?}", lines[2]));

    // The replier names the request by the requester's identifier.
    let served = replier.lines();
    assert_eq!(served.len(), 3, "{served:?}");
    assert_eq!(served[0], "Replier listening");
    let (id, request) = served[1]
        .strip_prefix("received request ")
        .and_then(|rest| rest.split_once(" : "))
        .unwrap_or_else(|| panic!("unexpected line {:?}", served[1]));
    assert!(!id.is_empty());
    assert_eq!(request, sent);
    assert_eq!(served[2], format!("response contains {id} : {reply}"));
}

#[test]
fn rrclient_gets_world_from_rrserver_through_rrbroker() {
    let scenario = Scenario::new();
    let mut broker = scenario.spawn("tx0mq_rrbroker", &[]);
    broker.wait_for_output("broker is ready\n", TIMEOUT);
    let mut server = scenario.spawn("tx0mq_rrserver", &[]);
    server.wait_for_output("Service waiting for requests\n", TIMEOUT);
    let client = scenario
        .spawn_with_env("tx0mq_rrclient", &[], &[("ZGUIDE_INTERVAL_MS", "100")])
        .wait(TIMEOUT)
        .success();
    let server = server.stop();
    let broker = broker.stop();

    assert_eq!(
        client.lines(),
        [
            "ZmqEndpoint(type='connect', address='ipc:///tmp/broker_frontend.ipc')",
            "<RequestClient connected to ipc:///tmp/broker_frontend.ipc>",
            "client connected to broker",
            "client sending request containing 'hello'",
            "received reply: world",
        ]
    );
    let lines = server.lines();
    assert_eq!(lines.len(), 5, "{lines:?}");
    assert_eq!(
        lines[2],
        "<ReplyServer connected to ipc:///tmp/broker_backend.ipc>"
    );
    let id = lines[3]
        .strip_prefix("received request ")
        .and_then(|rest| rest.strip_suffix(" : hello"))
        .unwrap_or_else(|| panic!("unexpected line {:?}", lines[3]));
    assert_eq!(lines[4], format!("response contains {id} : world"));
    assert_eq!(broker.lines().len(), 6, "{:?}", broker.lines());
}
