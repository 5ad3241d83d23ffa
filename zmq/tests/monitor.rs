//! Socket monitor events, provoked on real connections: listen, connect,
//! accept, handshake, disconnect, close, bind failure, retries and
//! handshake failures.

use std::time::Duration;

use zmq::monitor::protocol_error_name;
use zmq::{Context, Monitor, MonitorEvents, SocketEvent, SocketType, sockopt};

const PATIENCE: Duration = Duration::from_secs(5);

fn socket(ctx: &Context, kind: SocketType) -> zmq::Socket {
    let socket = ctx.socket(kind).unwrap();
    socket.set(sockopt::Linger, Some(Duration::ZERO)).unwrap();
    socket
}

/// Waits for an event matching `wanted`, failing the test after PATIENCE.
fn expect(
    monitor: &Monitor,
    what: &str,
    wanted: impl FnMut(&SocketEvent) -> bool,
) -> zmq::MonitorEvent {
    monitor
        .wait_for(PATIENCE, wanted)
        .unwrap()
        .unwrap_or_else(|| panic!("no {what} event within {PATIENCE:?}"))
}

#[test]
fn connection_lifecycle_produces_each_event() {
    let ctx = Context::new().unwrap();
    let server = socket(&ctx, SocketType::Rep);
    let server_events = Monitor::new(&server, MonitorEvents::ALL).unwrap();
    server.bind("tcp://127.0.0.1:*").unwrap();
    let endpoint = server.last_endpoint().unwrap();

    let listening = expect(&server_events, "listening", |e| {
        matches!(e, SocketEvent::Listening { .. })
    });
    assert_eq!(listening.endpoint, endpoint);

    let client = socket(&ctx, SocketType::Req);
    let client_events = Monitor::new(&client, MonitorEvents::ALL).unwrap();
    client.connect(&endpoint).unwrap();

    let connected = expect(&client_events, "connected", |e| {
        matches!(e, SocketEvent::Connected { .. })
    });
    assert_eq!(connected.endpoint, endpoint);
    let SocketEvent::Connected { fd } = connected.event else {
        unreachable!()
    };
    assert!(fd >= 0);
    expect(&client_events, "client handshake", |e| {
        *e == SocketEvent::HandshakeSucceeded
    });

    let accepted = expect(&server_events, "accepted", |e| {
        matches!(e, SocketEvent::Accepted { .. })
    });
    let SocketEvent::Accepted { fd: accepted_fd } = accepted.event else {
        unreachable!()
    };
    assert!(accepted_fd >= 0);
    expect(&server_events, "server handshake", |e| {
        *e == SocketEvent::HandshakeSucceeded
    });

    drop(client_events);
    client.close().unwrap();
    let disconnected = expect(&server_events, "disconnected", |e| {
        matches!(e, SocketEvent::Disconnected { .. })
    });
    assert_eq!(
        disconnected.event,
        SocketEvent::Disconnected { fd: accepted_fd }
    );

    server.unbind(&endpoint).unwrap();
    expect(&server_events, "closed", |e| {
        matches!(e, SocketEvent::Closed { .. })
    });
    server.disable_monitor().unwrap();
    expect(&server_events, "monitor stopped", |e| {
        *e == SocketEvent::MonitorStopped
    });
}

#[test]
fn the_mask_filters_events() {
    let ctx = Context::new().unwrap();
    let server = socket(&ctx, SocketType::Rep);
    let events = Monitor::new(&server, MonitorEvents::ACCEPTED).unwrap();
    server.bind("tcp://127.0.0.1:*").unwrap();
    let client = socket(&ctx, SocketType::Req);
    client.connect(&server.last_endpoint().unwrap()).unwrap();
    let first = events
        .next(Some(PATIENCE))
        .unwrap()
        .expect("an accepted event");
    // LISTENING and HANDSHAKE_SUCCEEDED were not asked for.
    assert!(
        matches!(first.event, SocketEvent::Accepted { .. }),
        "{first:?}"
    );
    assert_eq!(events.next(Some(Duration::from_millis(200))).unwrap(), None);
}

#[test]
fn bind_to_a_busy_port_reports_bind_failed() {
    let ctx = Context::new().unwrap();
    let first = socket(&ctx, SocketType::Rep);
    first.bind("tcp://127.0.0.1:*").unwrap();
    let endpoint = first.last_endpoint().unwrap();
    let second = socket(&ctx, SocketType::Rep);
    let events = Monitor::new(&second, MonitorEvents::BIND_FAILED).unwrap();
    // The bind fails; which errno it reports is libzmq's business (4.3.5
    // may report the monitor's own EAGAIN), the event tells the cause.
    assert!(second.bind(&endpoint).is_err());
    let failed = expect(&events, "bind failed", |e| {
        matches!(e, SocketEvent::BindFailed { .. })
    });
    assert_eq!(
        failed.event,
        SocketEvent::BindFailed {
            errno: libc::EADDRINUSE
        }
    );
}

#[test]
fn connecting_to_nothing_retries_with_the_reconnect_interval() {
    let ctx = Context::new().unwrap();
    // A port that was free a moment ago and is now closed.
    let probe = socket(&ctx, SocketType::Rep);
    probe.bind("tcp://127.0.0.1:*").unwrap();
    let endpoint = probe.last_endpoint().unwrap();
    probe.close().unwrap();

    let client = socket(&ctx, SocketType::Req);
    client
        .set(sockopt::ReconnectIvl, Some(Duration::from_millis(50)))
        .unwrap();
    let events = Monitor::new(&client, MonitorEvents::CONNECT_RETRIED).unwrap();
    client.connect(&endpoint).unwrap();
    let retried = expect(&events, "connect retried", |e| {
        matches!(e, SocketEvent::ConnectRetried { .. })
    });
    let SocketEvent::ConnectRetried { interval } = retried.event else {
        unreachable!()
    };
    assert!(interval >= Duration::from_millis(50), "{interval:?}");
    assert_eq!(retried.endpoint, endpoint);
}

#[test]
fn security_mechanism_mismatch_fails_the_handshake() {
    let ctx = Context::new().unwrap();
    let server = socket(&ctx, SocketType::Rep);
    server.set(sockopt::PlainServer, true).unwrap();
    let events = Monitor::new(&server, MonitorEvents::ALL).unwrap();
    server.bind("tcp://127.0.0.1:*").unwrap();
    // A NULL-mechanism client against a PLAIN server.
    let client = socket(&ctx, SocketType::Req);
    client.connect(&server.last_endpoint().unwrap()).unwrap();

    let failure = expect(
        &events,
        "handshake failure",
        SocketEvent::is_handshake_failure,
    );
    let SocketEvent::HandshakeFailedProtocol { code } = failure.event else {
        panic!("expected a protocol failure, got {failure:?}");
    };
    assert_eq!(protocol_error_name(code), Some("ZMTP_MECHANISM_MISMATCH"));
}

#[test]
fn curve_client_with_the_wrong_server_key_fails_the_handshake() {
    if !zmq::has(zmq::Capability::Curve) {
        return;
    }
    let ctx = Context::new().unwrap();
    let server_keys = zmq::CurveKeyPair::generate().unwrap();
    let client_keys = zmq::CurveKeyPair::generate().unwrap();
    let impostor = zmq::CurveKeyPair::generate().unwrap();

    let server = socket(&ctx, SocketType::Rep);
    server.set(sockopt::CurveServer, true).unwrap();
    server
        .set(
            sockopt::CurveSecretKey,
            server_keys.secret().to_z85().as_bytes(),
        )
        .unwrap();
    let server_events = Monitor::new(&server, MonitorEvents::ALL).unwrap();
    server.bind("tcp://127.0.0.1:*").unwrap();

    let client = socket(&ctx, SocketType::Req);
    client
        .set(
            sockopt::CurvePublicKey,
            client_keys.public().to_z85().as_bytes(),
        )
        .unwrap();
    client
        .set(
            sockopt::CurveSecretKey,
            client_keys.secret().to_z85().as_bytes(),
        )
        .unwrap();
    client
        .set(
            sockopt::CurveServerKey,
            impostor.public().to_z85().as_bytes(),
        )
        .unwrap();
    client.connect(&server.last_endpoint().unwrap()).unwrap();

    let failure = expect(
        &server_events,
        "handshake failure",
        SocketEvent::is_handshake_failure,
    );
    assert!(
        matches!(failure.event, SocketEvent::HandshakeFailedProtocol { .. }),
        "{failure:?}"
    );
}
