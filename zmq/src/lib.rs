//! Safe, fast, complete Rust bindings to [libzmq](https://zeromq.org), the
//! ZeroMQ messaging library.
//!
//! * [`Context`] — the container of I/O threads; a cheap, thread-safe handle.
//! * [`Socket`] — a socket of a [`SocketType`]; `Send`, not `Sync`.
//! * [`Message`] — one frame, zero-copy from owned buffers or any owner
//!   ([`Message::from_owner`], [`Message::tracked`] with a [`Tracker`]);
//!   clones share the buffer. [`Frame`] and [`frames!`] — mixed frames in
//!   one multipart message.
//! * [`serialize`] — `send_json`/`recv_json` (feature `serde`) and
//!   `send_serialized`/`recv_serialized` for any format.
//! * [`Timers`] — libzmq's timer sets, with closures.
//! * [`log`] — tracing events published as pyzmq's `PUBHandler` does
//!   (feature `tracing`), and a log watcher.
//! * [`poll`] and [`PollItem`] — wait on several sockets and descriptors;
//!   [`PollSet`] also hands back the sockets that fired.
//! * [`sockopt`] and [`ctxopt`] — every option, typed.
//! * `ThreadSafeSocket` and `Poller` (feature `draft`) — libzmq's thread-safe
//!   draft socket types and its `zmq_poller` API.
//! * [`Error`] — libzmq's errno, classified by [`ErrorKind`].
//! * [`Security`], [`CurveKeyPair`], [`z85`], [`cert`] and [`auth`] — CURVE keys,
//!   mechanism setup, certificates and the ZAP authenticator.
//! * [`proxy`](mod@proxy), [`device`], [`monitor`], [`reactor`] and [`interrupt`] —
//!   proxies and devices, typed socket events, an event loop, Ctrl-C handling.
//! * `asyncio` (feature `tokio`, Unix) — async sockets on tokio, with
//!   futures' `Stream` and `Sink`, and Twisted tx0mq's connections.
//! * [`coverage`] — every function of `zmq.h` and its wrapper here, or why
//!   there is none.
//!
//! Sending and receiving block by default and take no flags; each call has a
//! `_with` form that takes [`SendFlags`] or [`RecvFlags`] (`DONTWAIT`,
//! `SNDMORE`): `send`/`send_with`, `recv`/`recv_with`,
//! `send_multipart`/`send_multipart_with`, and so on (the table is in
//! [`Socket`]'s docs). The draft `ThreadSafeSocket` follows the same rule.
//!
//! ```
//! use zmq::{ErrorKind, RecvFlags, SocketType};
//!
//! let ctx = zmq::Context::new()?;
//! let rep = ctx.socket(SocketType::Rep)?;
//! rep.bind("tcp://127.0.0.1:*")?;
//! let req = ctx.socket(SocketType::Req)?;
//! req.connect(&rep.last_endpoint()?)?;
//!
//! req.send("Hello")?;
//! let request = rep.recv()?;
//! assert_eq!(request, "Hello");
//! rep.send("World")?;
//! assert_eq!(req.recv_string()?, "World");
//! // No second request yet: DONTWAIT says so instead of blocking.
//! let error = rep.recv_with(RecvFlags::DONTWAIT).unwrap_err();
//! assert_eq!(error.kind(), ErrorKind::Again);
//! # Ok::<(), zmq::Error>(())
//! ```
//!
//! By default libzmq 4.3.5 is built from source with CURVE support; see the
//! `zmq-sys` crate for the `system` and `draft` features.

#![deny(missing_docs)]

#[cfg(all(feature = "tokio", unix))]
pub mod asyncio;
pub mod auth;
pub mod cert;
mod context;
pub mod coverage;
pub mod ctxopt;
mod curve;
pub mod device;
#[cfg(feature = "draft")]
mod draft;
mod error;
mod flags;
mod frame;
#[cfg(unix)]
pub mod interrupt;
pub mod log;
mod message;
pub mod monitor;
mod poll;
#[cfg(feature = "draft")]
mod poller;
pub mod proxy;
mod random_port;
mod raw_socket;
#[cfg(unix)]
pub mod reactor;
mod security;
mod send_const;
pub mod serialize;
mod socket;
pub mod sockopt;
mod timers;
#[cfg(unix)]
mod use_fd;
mod version;
pub mod z85;

pub use context::{Context, DEFAULT_LINGER};
pub use curve::{CurveKeyPair, KEY_SIZE, KEY_SIZE_Z85, PublicKey, SecretKey, curve_public};
#[cfg(feature = "draft")]
pub use draft::{ThreadSafeSocket, ThreadSafeType};
pub use error::{Error, ErrorKind, Result};
pub use flags::{PollEvents, RecvFlags, SendFlags};
#[cfg(feature = "draft")]
pub use flags::{ReconnectStopFlags, RouterNotifyFlags};
pub use frame::Frame;
pub use message::{Message, Tracker};
pub use monitor::{Monitor, MonitorEvent, MonitorEvents, SocketEvent};
pub use poll::{PollItem, PollSet, RawFd, poll};
#[cfg(feature = "draft")]
pub use poller::{Pollable, Poller, PollerEvent};
pub use proxy::{
    ProxyControl, ProxySideStatistics, ProxyStatistics, proxy, proxy_steerable, proxy_with_capture,
};
pub use security::Security;
pub use socket::{Mechanism, Sendable, Socket, SocketType};
pub use sockopt::values::GssapiNameType;
#[cfg(feature = "draft")]
pub use sockopt::values::NormMode;
pub use timers::{TimerId, Timers};
pub use version::{Capability, has, has_named, version};

/// The raw FFI, for what this crate does not wrap.
pub use zmq_sys as sys;
