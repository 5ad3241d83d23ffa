//! Helpers shared by the security and authenticator tests: socket pairs
//! over TCP on loopback and a reader of libzmq's monitor events.
#![allow(dead_code, unreachable_pub)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use zmq::{Context, RecvFlags, Socket, SocketType, sockopt};

/// Long enough for any handshake on loopback, short enough to fail fast.
pub const PATIENCE: Duration = Duration::from_secs(5);
/// How long a refused client is given to (wrongly) get a message through.
pub const REFUSAL_WAIT: Duration = Duration::from_millis(300);

/// `ZMQ_EVENT_HANDSHAKE_SUCCEEDED`.
pub const HANDSHAKE_SUCCEEDED: u16 = zmq::sys::ZMQ_EVENT_HANDSHAKE_SUCCEEDED as u16;
/// `ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL`.
pub const HANDSHAKE_FAILED_PROTOCOL: u16 = zmq::sys::ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL as u16;
/// `ZMQ_EVENT_HANDSHAKE_FAILED_AUTH`.
pub const HANDSHAKE_FAILED_AUTH: u16 = zmq::sys::ZMQ_EVENT_HANDSHAKE_FAILED_AUTH as u16;
/// `ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL`.
pub const HANDSHAKE_FAILED_NO_DETAIL: u16 = zmq::sys::ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL as u16;

/// A PULL socket, configured by `setup` and bound on a free loopback port;
/// returns it with its endpoint.
pub fn bound_pull(ctx: &Context, setup: impl FnOnce(&Socket)) -> (Socket, String) {
    let server = ctx.socket(SocketType::Pull).unwrap();
    server.set(sockopt::Linger, Some(Duration::ZERO)).unwrap();
    setup(&server);
    server.bind("tcp://127.0.0.1:*").unwrap();
    let endpoint = server.last_endpoint().unwrap();
    (server, endpoint)
}

/// A PUSH socket, configured by `setup`, connected to `endpoint`.
pub fn connected_push(ctx: &Context, endpoint: &str, setup: impl FnOnce(&Socket)) -> Socket {
    let client = ctx.socket(SocketType::Push).unwrap();
    client.set(sockopt::Linger, Some(Duration::ZERO)).unwrap();
    setup(&client);
    client.connect(endpoint).unwrap();
    client
}

/// Receives one message within `wait`, or `None` if none came.
pub fn recv_within(socket: &Socket, wait: Duration) -> Option<zmq::Message> {
    socket.set(sockopt::RcvTimeo, Some(wait)).unwrap();
    match socket.recv(RecvFlags::empty()) {
        Ok(msg) => Some(msg),
        Err(e) if e.is_again() => None,
        Err(e) => panic!("recv failed: {e}"),
    }
}

/// One decoded monitor event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Event {
    /// The `ZMQ_EVENT_*` number.
    pub event: u16,
    /// Its value: an errno, a protocol error or a ZAP status code.
    pub value: u32,
}

/// The PAIR end of a socket monitor.
pub struct Monitor {
    pair: Socket,
}

impl Monitor {
    /// Monitors every event of `socket`.
    pub fn attach(ctx: &Context, socket: &Socket) -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let endpoint = format!(
            "inproc://security-monitor-{}",
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        socket.monitor(&endpoint, zmq::MonitorEvents::ALL).unwrap();
        let pair = ctx.socket(SocketType::Pair).unwrap();
        pair.set(sockopt::Linger, Some(Duration::ZERO)).unwrap();
        pair.connect(&endpoint).unwrap();
        Self { pair }
    }

    /// The next event, within `wait`.
    pub fn next(&self, wait: Duration) -> Option<Event> {
        self.pair.set(sockopt::RcvTimeo, Some(wait)).ok()?;
        let frames = self.pair.recv_multipart(RecvFlags::empty()).ok()?;
        let head = frames.first()?;
        assert_eq!(head.len(), 6, "monitor event frame");
        assert_eq!(frames.len(), 2, "monitor event has two frames");
        Some(Event {
            event: u16::from_ne_bytes([head[0], head[1]]),
            value: u32::from_ne_bytes([head[2], head[3], head[4], head[5]]),
        })
    }

    /// Reads events until one of `wanted` arrives (within [`PATIENCE`]).
    pub fn wait_for(&self, wanted: &[u16]) -> Option<Event> {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let left = deadline.checked_duration_since(Instant::now())?;
            let event = self.next(left)?;
            if wanted.contains(&event.event) {
                return Some(event);
            }
        }
    }
}
