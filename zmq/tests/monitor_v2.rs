//! Version 2 monitor events and pipe statistics (draft).

#![cfg(feature = "draft")]

mod common;

use std::time::{Duration, Instant};

use common::{TIMEOUT, socket};
use zmq::monitor::{MonitorEventsV2, MonitorV2, SocketEventV2};
use zmq::{Context, ErrorKind, MonitorEvents, PollEvents, SocketEvent, SocketType, sockopt};

#[test]
fn v2_events_carry_the_local_and_remote_endpoints() {
    let ctx = Context::new().unwrap();
    let server = socket(&ctx, SocketType::Pull);
    let monitor = MonitorV2::new(&server, MonitorEvents::ACCEPTED.into()).unwrap();
    server.bind("tcp://127.0.0.1:*").unwrap();
    let endpoint = server.last_endpoint().unwrap();
    let client = socket(&ctx, SocketType::Push);
    client.connect(&endpoint).unwrap();
    let event = monitor
        .next(Some(TIMEOUT))
        .unwrap()
        .expect("an ACCEPTED event");
    assert!(
        matches!(event.event, SocketEventV2::V1(SocketEvent::Accepted { .. })),
        "{event:?}"
    );
    assert_eq!(event.local_endpoint, endpoint);
    assert!(
        event.remote_endpoint.starts_with("tcp://127.0.0.1:"),
        "{event:?}"
    );
    assert!(monitor.endpoint().starts_with("inproc://"));
    server.disable_monitor().unwrap();
}

#[test]
fn pipes_stats_report_the_messages_waiting_to_be_read() {
    let ctx = Context::new().unwrap();
    let server = socket(&ctx, SocketType::Pull);
    let monitor = MonitorV2::new(
        &server,
        MonitorEventsV2::from(MonitorEvents::HANDSHAKE_SUCCEEDED) | MonitorEventsV2::PIPES_STATS,
    )
    .unwrap();
    // No connection yet: nothing to report.
    let error = server.monitor_pipes_stats().unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Again);

    server.bind("tcp://127.0.0.1:*").unwrap();
    let client = socket(&ctx, SocketType::Push);
    client.connect(&server.last_endpoint().unwrap()).unwrap();
    for _ in 0..3 {
        client.send("queued").unwrap();
    }
    // Wait until the messages are in the server's pipe, unread.
    assert!(
        server
            .poll(PollEvents::POLLIN, Some(TIMEOUT))
            .unwrap()
            .contains(PollEvents::POLLIN)
    );
    server.monitor_pipes_stats().unwrap();
    let deadline = Instant::now() + TIMEOUT;
    let (egress, ingress) = loop {
        assert!(Instant::now() < deadline, "no PIPES_STATS event");
        // The stats are gathered as the socket processes commands: any
        // call on it lets them through.
        server.get(sockopt::Events).unwrap();
        if let Some(event) = monitor.next(Some(Duration::from_millis(20))).unwrap()
            && let SocketEventV2::PipesStats { egress, ingress } = event.event
        {
            assert!(event.remote_endpoint.starts_with("tcp://"), "{event:?}");
            break (egress, ingress);
        }
    };
    assert_eq!(egress, 0);
    assert!((1..=3).contains(&ingress), "ingress {ingress}");
}

#[test]
fn pipes_stats_without_a_v2_monitor_is_invalid_input() {
    let ctx = Context::new().unwrap();
    let server = socket(&ctx, SocketType::Pull);
    let error = server.monitor_pipes_stats().unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidInput);
}

#[test]
fn a_monitor_socket_type_other_than_pair_pub_push_is_refused() {
    let ctx = Context::new().unwrap();
    let server = socket(&ctx, SocketType::Pull);
    let error = server
        .monitor_versioned(
            "inproc://v2-bad-type",
            MonitorEventsV2::ALL_V2,
            SocketType::Router,
        )
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidInput);
    let error = server
        .monitor_versioned(
            "tcp://127.0.0.1:*",
            MonitorEventsV2::ALL_V2,
            SocketType::Pair,
        )
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::ProtocolNotSupported);
}

#[test]
fn a_pub_monitor_publishes_under_the_event_id() {
    let ctx = Context::new().unwrap();
    let server = socket(&ctx, SocketType::Pull);
    server
        .monitor_versioned(
            "inproc://v2-pub",
            MonitorEvents::LISTENING.into(),
            SocketType::Pub,
        )
        .unwrap();
    let sub = socket(&ctx, SocketType::Sub);
    sub.connect("inproc://v2-pub").unwrap();
    sub.subscribe(u64::from(zmq::sys::ZMQ_EVENT_LISTENING.cast_unsigned()).to_ne_bytes())
        .unwrap();
    // The subscription must reach the monitor's PUB before the event does:
    // bind again and again (each on a new port) until one arrives.
    let deadline = Instant::now() + TIMEOUT;
    loop {
        assert!(Instant::now() < deadline, "no LISTENING event");
        server.bind("tcp://127.0.0.1:*").unwrap();
        if !sub
            .poll(PollEvents::POLLIN, Some(Duration::from_millis(20)))
            .unwrap()
            .is_empty()
        {
            break;
        }
    }
    let event = zmq::monitor::MonitorEventV2::recv(&sub).unwrap();
    assert!(matches!(
        event.event,
        SocketEventV2::V1(SocketEvent::Listening { .. })
    ));
}

#[test]
fn a_router_knows_whether_a_peer_can_take_a_message() {
    let ctx = Context::new().unwrap();
    let router = socket(&ctx, SocketType::Router);
    router.bind("tcp://127.0.0.1:*").unwrap();
    let dealer = socket(&ctx, SocketType::Dealer);
    dealer.set(sockopt::RoutingId, b"peer").unwrap();
    dealer.connect(&router.last_endpoint().unwrap()).unwrap();
    dealer.send("hi").unwrap();
    let _ = router.recv_multipart().unwrap();
    let state = router.peer_state(b"peer").unwrap();
    assert!(state.contains(PollEvents::POLLOUT), "{state:?}");
    let error = router.peer_state(b"nobody").unwrap_err();
    assert_eq!(error.kind(), ErrorKind::HostUnreachable);
    assert_eq!(
        router.peer_state(b"").unwrap_err().kind(),
        ErrorKind::InvalidInput
    );
    let error = dealer.peer_state(b"peer").unwrap_err();
    assert_eq!(error.kind(), ErrorKind::NotSupported);
}
