//! The servers of the `zmtp` target, shared with the seed generator
//! (`examples/make_seeds.rs`), which records real clients talking to them.

use std::net::SocketAddr;
use std::time::Duration;

use zmq::auth::{Authenticator, CurvePolicy};
use zmq::{SecretKey, Security, Socket, SocketType, sockopt};

use crate::socket;

/// The CURVE server's long-term secret key: fixed, so that a recorded
/// client HELLO (encrypted to the matching public key) stays valid.
pub const CURVE_SECRET: [u8; 32] = *b"zmq fuzz: fixed CURVE server key";

/// The PLAIN credentials the authenticator accepts.
pub const PLAIN_USER: &str = "admin";
/// See [`PLAIN_USER`].
pub const PLAIN_PASSWORD: &str = "secret";

/// The ZAP domain of the servers that consult the authenticator.
pub const DOMAIN: &str = "fuzz";

/// The largest message most servers accept (`ZMQ_MAXMSGSIZE`), so that a
/// frame header announcing more is refused before anything is allocated.
pub const MAX_MSG_SIZE: u64 = 1024;

/// What each server is; its index is the selector byte of an input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// ROUTER, NULL mechanism.
    NullRouter,
    /// PULL, NULL, with a tiny MAXMSGSIZE (64 bytes).
    NullPull,
    /// XPUB, NULL: subscriptions arrive as messages.
    NullXpub,
    /// REP, PLAIN server, checked by the authenticator.
    PlainRep,
    /// ROUTER, CURVE server, checked by the authenticator.
    CurveRouter,
    /// DEALER, NULL with a ZAP domain (the authenticator sees every
    /// peer) and ZMTP heartbeats.
    NullZapDealer,
    /// STREAM: raw TCP, no ZMTP at all.
    Stream,
}

/// Every server, in selector order.
pub const KINDS: [Kind; 7] = [
    Kind::NullRouter,
    Kind::NullPull,
    Kind::NullXpub,
    Kind::PlainRep,
    Kind::CurveRouter,
    Kind::NullZapDealer,
    Kind::Stream,
];

impl Kind {
    /// The socket type of the server.
    pub fn socket_type(self) -> SocketType {
        match self {
            Kind::NullRouter | Kind::CurveRouter => SocketType::Router,
            Kind::NullPull => SocketType::Pull,
            Kind::NullXpub => SocketType::Xpub,
            Kind::PlainRep => SocketType::Rep,
            Kind::NullZapDealer => SocketType::Dealer,
            Kind::Stream => SocketType::Stream,
        }
    }
}

/// A bound server.
#[derive(Debug)]
pub struct Server {
    /// What it is.
    pub kind: Kind,
    /// The bound socket.
    pub socket: Socket,
    /// Where it listens.
    pub addr: SocketAddr,
}

/// Starts the authenticator (PLAIN `admin`/`secret`, any CURVE client) in
/// the shared context and binds one server of each kind on
/// `tcp://127.0.0.1:*`.
pub fn servers() -> (Authenticator, Vec<Server>) {
    let auth = Authenticator::start(crate::context()).expect("start the authenticator");
    auth.configure_plain("*", [(PLAIN_USER, PLAIN_PASSWORD)]);
    auth.configure_curve("*", CurvePolicy::AllowAny);
    let secret = SecretKey::from_bytes(CURVE_SECRET);
    let servers = KINDS
        .iter()
        .map(|&kind| {
            let socket = socket(kind.socket_type());
            // Unlimited queues: each iteration drains what arrived, and an
            // engine stopped at its HWM would not see the client's EOF.
            socket.set(sockopt::RcvHwm, 0).expect("RCVHWM");
            let max = if kind == Kind::NullPull {
                64
            } else {
                MAX_MSG_SIZE
            };
            socket
                .set(sockopt::MaxMsgSize, Some(max))
                .expect("MAXMSGSIZE");
            let security = match kind {
                Kind::PlainRep => Security::PlainServer {
                    zap_domain: Some(DOMAIN),
                },
                Kind::CurveRouter => Security::CurveServer {
                    secret_key: &secret,
                    zap_domain: Some(DOMAIN),
                },
                Kind::NullZapDealer => Security::Null {
                    zap_domain: Some(DOMAIN),
                },
                _ => Security::Null { zap_domain: None },
            };
            socket.set_security(&security).expect("security");
            if kind == Kind::NullZapDealer {
                socket
                    .set(sockopt::HeartbeatIvl, Duration::from_millis(50))
                    .expect("HEARTBEAT_IVL");
            }
            socket.bind("tcp://127.0.0.1:*").expect("bind");
            let endpoint = socket.last_endpoint().expect("last endpoint");
            let addr = endpoint
                .trim_start_matches("tcp://")
                .parse()
                .expect("a tcp address");
            Server { kind, socket, addr }
        })
        .collect();
    (auth, servers)
}
