//! Helpers shared by the security and authenticator tests: socket pairs
//! over TCP on loopback and the outcome of handshakes from the monitor.

use std::time::Duration;

use zmq::{
    Context, CurveKeyPair, Monitor, MonitorEvents, PublicKey, Security, SendFlags, Socket,
    SocketEvent, SocketType, sockopt,
};

/// Long enough for any handshake on loopback, short enough to fail fast.
pub(crate) const PATIENCE: Duration = Duration::from_secs(5);
/// How long a refused client is given to (wrongly) get a message through.
pub(crate) const REFUSAL_WAIT: Duration = Duration::from_millis(300);

/// A PULL socket, configured by `setup` and bound on a free loopback port;
/// returns it with its endpoint.
pub(crate) fn bound_pull(ctx: &Context, setup: impl FnOnce(&Socket)) -> (Socket, String) {
    let server = ctx.socket(SocketType::Pull).unwrap();
    server.set(sockopt::Linger, Some(Duration::ZERO)).unwrap();
    setup(&server);
    server.bind("tcp://127.0.0.1:*").unwrap();
    let endpoint = server.last_endpoint().unwrap();
    (server, endpoint)
}

/// A PUSH socket, configured by `setup`, connected to `endpoint`.
pub(crate) fn connected_push(ctx: &Context, endpoint: &str, setup: impl FnOnce(&Socket)) -> Socket {
    let client = ctx.socket(SocketType::Push).unwrap();
    client.set(sockopt::Linger, Some(Duration::ZERO)).unwrap();
    setup(&client);
    client.connect(endpoint).unwrap();
    client
}

/// A CURVE server (PULL) with `keys`, bound on a free loopback port.
pub(crate) fn curve_server(ctx: &Context, keys: &CurveKeyPair) -> (Socket, String) {
    bound_pull(ctx, |s| {
        s.set_security(&Security::CurveServer {
            secret_key: keys.secret(),
            zap_domain: None,
        })
        .unwrap();
    })
}

/// A CURVE client (PUSH) with `keys` that trusts `server_key`, connected
/// to `endpoint`.
pub(crate) fn curve_client(
    ctx: &Context,
    endpoint: &str,
    keys: &CurveKeyPair,
    server_key: &PublicKey,
) -> Socket {
    connected_push(ctx, endpoint, |c| {
        c.set_security(&Security::CurveClient { keys, server_key })
            .unwrap();
    })
}

/// A PLAIN client (PUSH) connected to `endpoint`.
pub(crate) fn plain_client(
    ctx: &Context,
    endpoint: &str,
    username: &str,
    password: &str,
) -> Socket {
    connected_push(ctx, endpoint, |c| {
        c.set_security(&Security::PlainClient { username, password })
            .unwrap();
    })
}

/// Sends `text` without waiting from a client the server is about to
/// refuse, for the caller to check that nothing gets through. The message
/// is queued while the client's connection stands; once the refusal has
/// reached the client (an ERROR command, or a mechanism mismatch), libzmq
/// tears the connection's pipe down and the send finds no peer (EAGAIN).
/// The handshake runs on libzmq's I/O thread, so on a loaded machine the
/// refusal can come before this call: both are right.
pub(crate) fn send_to_be_refused(client: &Socket, text: &str) {
    match client.send_with(text, SendFlags::DONTWAIT) {
        Ok(()) => {}
        Err(e) if e.is_again() => {}
        Err(e) => panic!("send failed: {e}"),
    }
}

/// Receives one message within `wait`, or `None` if none came.
pub(crate) fn recv_within(socket: &Socket, wait: Duration) -> Option<zmq::Message> {
    socket.set(sockopt::RcvTimeo, Some(wait)).unwrap();
    match socket.recv() {
        Ok(msg) => Some(msg),
        Err(e) if e.is_again() => None,
        Err(e) => panic!("recv failed: {e}"),
    }
}

/// Monitors every event of `socket` with the crate's typed monitor. Keep
/// it alive while the socket is used: a monitor whose reader is gone can
/// stall the context's I/O thread in libzmq 4.3.
pub(crate) fn monitor(socket: &Socket) -> Monitor {
    Monitor::new(socket, MonitorEvents::ALL).unwrap()
}

/// The outcome of the next handshake the monitor reports: success or one
/// of the failures. Panics if none comes within [`PATIENCE`].
pub(crate) fn handshake_outcome(monitor: &Monitor) -> SocketEvent {
    monitor
        .wait_for(PATIENCE, |event| {
            *event == SocketEvent::HandshakeSucceeded || event.is_handshake_failure()
        })
        .unwrap()
        .expect("the monitor reports the handshake")
        .event
}
