//! Typed socket monitor events (`zmq_socket_monitor`).
//!
//! [`Socket::monitor`] makes libzmq publish a socket's connection events on
//! a PAIR socket bound at an `inproc://` endpoint; each event is a
//! two-frame message (a 16-bit event code and a 32-bit value in native byte
//! order, then the endpoint concerned). [`MonitorEvent::decode`] turns such a
//! message into a [`SocketEvent`] with its payload, and [`Monitor`] does the
//! plumbing: it starts monitoring, connects the PAIR and reads events.
//!
//! ```
//! use std::time::Duration;
//! use zmq::{Monitor, MonitorEvents, SocketEvent, SocketType};
//!
//! let ctx = zmq::Context::new()?;
//! let server = ctx.socket(SocketType::Rep)?;
//! let monitor = Monitor::new(&server, MonitorEvents::LISTENING | MonitorEvents::ACCEPTED)?;
//! server.bind("tcp://127.0.0.1:*")?;
//!
//! let event = monitor.next(Some(Duration::from_secs(5)))?.expect("an event");
//! assert!(matches!(event.event, SocketEvent::Listening { .. }));
//! assert_eq!(event.endpoint, server.last_endpoint()?);
//! # Ok::<(), zmq::Error>(())
//! ```

#[cfg(feature = "draft")]
mod v2;

#[cfg(feature = "draft")]
pub use v2::{MonitorEventV2, MonitorEventsV2, MonitorV2, SocketEventV2};

use std::cell::Cell;
use std::ffi::c_int;
use std::mem::ManuallyDrop;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use crate::context::InternalSocket;
use crate::error::{Error, Result, check};
use crate::flags::{PollEvents, RecvFlags, flag_set};
use crate::message::Message;
use crate::poll::RawFd;
use crate::raw_socket;
use crate::socket::{Socket, SocketType};

flag_set! {
    /// Which events a monitor reports (`ZMQ_EVENT_*`).
    ///
    /// ```
    /// use zmq::MonitorEvents;
    /// let events = MonitorEvents::CONNECTED | MonitorEvents::DISCONNECTED;
    /// assert!(events.contains(MonitorEvents::CONNECTED));
    /// assert!(MonitorEvents::ALL.contains(events));
    /// ```
    MonitorEvents(c_int) {
        /// `ZMQ_EVENT_CONNECTED`: a connection was made.
        CONNECTED = zmq_sys::ZMQ_EVENT_CONNECTED;
        /// `ZMQ_EVENT_CONNECT_DELAYED`: a connect is in progress.
        CONNECT_DELAYED = zmq_sys::ZMQ_EVENT_CONNECT_DELAYED;
        /// `ZMQ_EVENT_CONNECT_RETRIED`: a reconnect was scheduled.
        CONNECT_RETRIED = zmq_sys::ZMQ_EVENT_CONNECT_RETRIED;
        /// `ZMQ_EVENT_LISTENING`: a bind succeeded.
        LISTENING = zmq_sys::ZMQ_EVENT_LISTENING;
        /// `ZMQ_EVENT_BIND_FAILED`: a bind failed.
        BIND_FAILED = zmq_sys::ZMQ_EVENT_BIND_FAILED;
        /// `ZMQ_EVENT_ACCEPTED`: a connection was accepted.
        ACCEPTED = zmq_sys::ZMQ_EVENT_ACCEPTED;
        /// `ZMQ_EVENT_ACCEPT_FAILED`: accepting a connection failed.
        ACCEPT_FAILED = zmq_sys::ZMQ_EVENT_ACCEPT_FAILED;
        /// `ZMQ_EVENT_CLOSED`: a connection or listener was closed.
        CLOSED = zmq_sys::ZMQ_EVENT_CLOSED;
        /// `ZMQ_EVENT_CLOSE_FAILED`: closing failed.
        CLOSE_FAILED = zmq_sys::ZMQ_EVENT_CLOSE_FAILED;
        /// `ZMQ_EVENT_DISCONNECTED`: a session was broken.
        DISCONNECTED = zmq_sys::ZMQ_EVENT_DISCONNECTED;
        /// `ZMQ_EVENT_MONITOR_STOPPED`: monitoring ended.
        MONITOR_STOPPED = zmq_sys::ZMQ_EVENT_MONITOR_STOPPED;
        /// `ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL`: a handshake failed.
        HANDSHAKE_FAILED_NO_DETAIL = zmq_sys::ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL;
        /// `ZMQ_EVENT_HANDSHAKE_SUCCEEDED`: a handshake (and authentication) succeeded.
        HANDSHAKE_SUCCEEDED = zmq_sys::ZMQ_EVENT_HANDSHAKE_SUCCEEDED;
        /// `ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL`: the peer broke the protocol.
        HANDSHAKE_FAILED_PROTOCOL = zmq_sys::ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL;
        /// `ZMQ_EVENT_HANDSHAKE_FAILED_AUTH`: authentication was refused.
        HANDSHAKE_FAILED_AUTH = zmq_sys::ZMQ_EVENT_HANDSHAKE_FAILED_AUTH;
        /// `ZMQ_EVENT_ALL`: every event.
        ALL = zmq_sys::ZMQ_EVENT_ALL;
    }
}

/// A socket event with its payload, decoded from libzmq's event code and
/// 32-bit value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SocketEvent {
    /// A connection was made; `fd` is its file descriptor.
    Connected {
        /// The connection's file descriptor.
        fd: RawFd,
    },
    /// A connect could not complete at once and is in progress.
    ConnectDelayed,
    /// A reconnect will be tried after `interval`.
    ConnectRetried {
        /// The reconnect interval.
        interval: Duration,
    },
    /// A bind succeeded; `fd` is the listening descriptor.
    Listening {
        /// The listening file descriptor.
        fd: RawFd,
    },
    /// A bind failed.
    BindFailed {
        /// Why (an errno).
        errno: i32,
    },
    /// A connection was accepted.
    Accepted {
        /// The accepted connection's file descriptor.
        fd: RawFd,
    },
    /// Accepting a connection failed.
    AcceptFailed {
        /// Why (an errno).
        errno: i32,
    },
    /// A connection or listener was closed.
    Closed {
        /// The descriptor closed.
        fd: RawFd,
    },
    /// Closing a descriptor failed.
    CloseFailed {
        /// Why (an errno).
        errno: i32,
    },
    /// A session was broken (the peer went away, or a handshake failed).
    Disconnected {
        /// The connection's file descriptor.
        fd: RawFd,
    },
    /// The monitor was stopped; the last event it sends.
    MonitorStopped,
    /// A handshake failed without more detail.
    HandshakeFailedNoDetail {
        /// Why (an errno).
        errno: i32,
    },
    /// The security handshake (and ZAP authentication) succeeded.
    HandshakeSucceeded,
    /// The peer broke the ZMTP or ZAP protocol; `code` is a
    /// `ZMQ_PROTOCOL_ERROR_*` value, named by [`protocol_error_name`].
    HandshakeFailedProtocol {
        /// The `ZMQ_PROTOCOL_ERROR_*` value.
        code: u32,
    },
    /// Authentication was refused; `status_code` is the ZAP status (e.g.
    /// 400).
    HandshakeFailedAuth {
        /// The ZAP status code.
        status_code: u32,
    },
    /// An event this crate does not know, kept as libzmq sent it.
    Unknown {
        /// The event code.
        event: u16,
        /// Its value.
        value: u32,
    },
}

/// Reinterprets an event value as the C `int` (descriptor or errno) it is.
fn as_int(value: u32) -> i32 {
    i32::from_ne_bytes(value.to_ne_bytes())
}

impl SocketEvent {
    /// Decodes an event code and its value; unknown codes are kept as
    /// [`Unknown`](Self::Unknown).
    pub fn from_raw(event: u16, value: u32) -> Self {
        match c_int::from(event) {
            zmq_sys::ZMQ_EVENT_CONNECTED => Self::Connected { fd: as_int(value) },
            zmq_sys::ZMQ_EVENT_CONNECT_DELAYED => Self::ConnectDelayed,
            zmq_sys::ZMQ_EVENT_CONNECT_RETRIED => Self::ConnectRetried {
                interval: Duration::from_millis(u64::from(value)),
            },
            zmq_sys::ZMQ_EVENT_LISTENING => Self::Listening { fd: as_int(value) },
            zmq_sys::ZMQ_EVENT_BIND_FAILED => Self::BindFailed {
                errno: as_int(value),
            },
            zmq_sys::ZMQ_EVENT_ACCEPTED => Self::Accepted { fd: as_int(value) },
            zmq_sys::ZMQ_EVENT_ACCEPT_FAILED => Self::AcceptFailed {
                errno: as_int(value),
            },
            zmq_sys::ZMQ_EVENT_CLOSED => Self::Closed { fd: as_int(value) },
            zmq_sys::ZMQ_EVENT_CLOSE_FAILED => Self::CloseFailed {
                errno: as_int(value),
            },
            zmq_sys::ZMQ_EVENT_DISCONNECTED => Self::Disconnected { fd: as_int(value) },
            zmq_sys::ZMQ_EVENT_MONITOR_STOPPED => Self::MonitorStopped,
            zmq_sys::ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL => Self::HandshakeFailedNoDetail {
                errno: as_int(value),
            },
            zmq_sys::ZMQ_EVENT_HANDSHAKE_SUCCEEDED => Self::HandshakeSucceeded,
            zmq_sys::ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL => {
                Self::HandshakeFailedProtocol { code: value }
            }
            zmq_sys::ZMQ_EVENT_HANDSHAKE_FAILED_AUTH => {
                Self::HandshakeFailedAuth { status_code: value }
            }
            _ => Self::Unknown { event, value },
        }
    }

    /// The event's flag, to compare with a [`MonitorEvents`] mask (empty
    /// for unknown codes that are not a single known flag).
    pub fn flag(&self) -> MonitorEvents {
        let code = match *self {
            Self::Connected { .. } => zmq_sys::ZMQ_EVENT_CONNECTED,
            Self::ConnectDelayed => zmq_sys::ZMQ_EVENT_CONNECT_DELAYED,
            Self::ConnectRetried { .. } => zmq_sys::ZMQ_EVENT_CONNECT_RETRIED,
            Self::Listening { .. } => zmq_sys::ZMQ_EVENT_LISTENING,
            Self::BindFailed { .. } => zmq_sys::ZMQ_EVENT_BIND_FAILED,
            Self::Accepted { .. } => zmq_sys::ZMQ_EVENT_ACCEPTED,
            Self::AcceptFailed { .. } => zmq_sys::ZMQ_EVENT_ACCEPT_FAILED,
            Self::Closed { .. } => zmq_sys::ZMQ_EVENT_CLOSED,
            Self::CloseFailed { .. } => zmq_sys::ZMQ_EVENT_CLOSE_FAILED,
            Self::Disconnected { .. } => zmq_sys::ZMQ_EVENT_DISCONNECTED,
            Self::MonitorStopped => zmq_sys::ZMQ_EVENT_MONITOR_STOPPED,
            Self::HandshakeFailedNoDetail { .. } => zmq_sys::ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL,
            Self::HandshakeSucceeded => zmq_sys::ZMQ_EVENT_HANDSHAKE_SUCCEEDED,
            Self::HandshakeFailedProtocol { .. } => zmq_sys::ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL,
            Self::HandshakeFailedAuth { .. } => zmq_sys::ZMQ_EVENT_HANDSHAKE_FAILED_AUTH,
            Self::Unknown { event, .. } => c_int::from(event),
        };
        MonitorEvents::from_bits_retain(code)
    }

    /// True for the three handshake failures.
    pub fn is_handshake_failure(&self) -> bool {
        matches!(
            self,
            Self::HandshakeFailedNoDetail { .. }
                | Self::HandshakeFailedProtocol { .. }
                | Self::HandshakeFailedAuth { .. }
        )
    }
}

/// The name of a `ZMQ_PROTOCOL_ERROR_*` value, as in `zmq.h` without the
/// prefix (e.g. `"ZMTP_MECHANISM_MISMATCH"`); `None` for unknown values.
pub fn protocol_error_name(code: u32) -> Option<&'static str> {
    use zmq_sys::*;
    const NAMES: [(c_int, &str); 21] = [
        (ZMQ_PROTOCOL_ERROR_ZMTP_UNSPECIFIED, "ZMTP_UNSPECIFIED"),
        (
            ZMQ_PROTOCOL_ERROR_ZMTP_UNEXPECTED_COMMAND,
            "ZMTP_UNEXPECTED_COMMAND",
        ),
        (
            ZMQ_PROTOCOL_ERROR_ZMTP_INVALID_SEQUENCE,
            "ZMTP_INVALID_SEQUENCE",
        ),
        (ZMQ_PROTOCOL_ERROR_ZMTP_KEY_EXCHANGE, "ZMTP_KEY_EXCHANGE"),
        (
            ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_UNSPECIFIED,
            "ZMTP_MALFORMED_COMMAND_UNSPECIFIED",
        ),
        (
            ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_MESSAGE,
            "ZMTP_MALFORMED_COMMAND_MESSAGE",
        ),
        (
            ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_HELLO,
            "ZMTP_MALFORMED_COMMAND_HELLO",
        ),
        (
            ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_INITIATE,
            "ZMTP_MALFORMED_COMMAND_INITIATE",
        ),
        (
            ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_ERROR,
            "ZMTP_MALFORMED_COMMAND_ERROR",
        ),
        (
            ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_READY,
            "ZMTP_MALFORMED_COMMAND_READY",
        ),
        (
            ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_WELCOME,
            "ZMTP_MALFORMED_COMMAND_WELCOME",
        ),
        (
            ZMQ_PROTOCOL_ERROR_ZMTP_INVALID_METADATA,
            "ZMTP_INVALID_METADATA",
        ),
        (ZMQ_PROTOCOL_ERROR_ZMTP_CRYPTOGRAPHIC, "ZMTP_CRYPTOGRAPHIC"),
        (
            ZMQ_PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH,
            "ZMTP_MECHANISM_MISMATCH",
        ),
        (ZMQ_PROTOCOL_ERROR_ZAP_UNSPECIFIED, "ZAP_UNSPECIFIED"),
        (
            ZMQ_PROTOCOL_ERROR_ZAP_MALFORMED_REPLY,
            "ZAP_MALFORMED_REPLY",
        ),
        (ZMQ_PROTOCOL_ERROR_ZAP_BAD_REQUEST_ID, "ZAP_BAD_REQUEST_ID"),
        (ZMQ_PROTOCOL_ERROR_ZAP_BAD_VERSION, "ZAP_BAD_VERSION"),
        (
            ZMQ_PROTOCOL_ERROR_ZAP_INVALID_STATUS_CODE,
            "ZAP_INVALID_STATUS_CODE",
        ),
        (
            ZMQ_PROTOCOL_ERROR_ZAP_INVALID_METADATA,
            "ZAP_INVALID_METADATA",
        ),
        (ZMQ_PROTOCOL_ERROR_WS_UNSPECIFIED, "WS_UNSPECIFIED"),
    ];
    NAMES
        .iter()
        .find(|(value, _)| i64::from(*value) == i64::from(code))
        .map(|(_, name)| *name)
}

/// One monitor message: what happened, and to which endpoint.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MonitorEvent {
    /// What happened.
    pub event: SocketEvent,
    /// The endpoint concerned (empty for [`SocketEvent::MonitorStopped`]).
    pub endpoint: String,
}

impl MonitorEvent {
    /// Decodes libzmq's two-frame monitor message. Anything else (another
    /// frame count, a first frame that is not 6 bytes, an endpoint that is
    /// not UTF-8) is an [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput)
    /// error, never a panic.
    pub fn decode<F: AsRef<[u8]>>(frames: &[F]) -> Result<Self> {
        let [head, endpoint] = frames else {
            return Err(Error::invalid_input(format!(
                "monitor message: expected 2 frames, got {}",
                frames.len()
            )));
        };
        let head: [u8; 6] = head.as_ref().try_into().map_err(|_| {
            Error::invalid_input(format!(
                "monitor message: expected a 6-byte event frame, got {} bytes",
                head.as_ref().len()
            ))
        })?;
        let event = u16::from_ne_bytes([head[0], head[1]]);
        let value = u32::from_ne_bytes([head[2], head[3], head[4], head[5]]);
        let endpoint = String::from_utf8(endpoint.as_ref().to_vec())
            .map_err(|_| Error::invalid_input("monitor message: endpoint is not UTF-8"))?;
        Ok(Self {
            event: SocketEvent::from_raw(event, value),
            endpoint,
        })
    }

    /// Receives one monitor message from `socket` (the PAIR connected to a
    /// monitor endpoint), blocking, and decodes it. The same as
    /// [`recv_with`](Self::recv_with) with no flags.
    #[inline]
    pub fn recv(socket: &Socket) -> Result<Self> {
        Self::recv_with(socket, RecvFlags::empty())
    }

    /// Receives one monitor message from `socket` with `flags`
    /// ([`RecvFlags::DONTWAIT`]: [`ErrorKind::Again`](crate::ErrorKind::Again)
    /// if none is queued) and decodes it.
    pub fn recv_with(socket: &Socket, flags: RecvFlags) -> Result<Self> {
        Self::decode(&socket.recv_multipart_messages_with(flags)?)
    }
}

impl Socket {
    /// Stops the monitor started with [`monitor`](Self::monitor); it sends
    /// [`SocketEvent::MonitorStopped`] last.
    #[doc(alias = "zmq_socket_monitor")]
    pub fn disable_monitor(&self) -> Result<()> {
        // SAFETY: the socket is live; a NULL endpoint stops monitoring.
        check(unsafe { zmq_sys::zmq_socket_monitor(self.as_raw(), std::ptr::null(), 0) }).map(drop)
    }
}

/// Distinguishes the monitor endpoints made by [`Monitor::new`].
static NEXT_MONITOR: AtomicU64 = AtomicU64::new(0);

/// A fresh `inproc://` endpoint for a monitor.
fn next_endpoint() -> String {
    format!(
        "inproc://zmq-rs-monitor-{}",
        NEXT_MONITOR.fetch_add(1, Ordering::Relaxed)
    )
}

/// Reads a socket's monitor events: starts monitoring on a fresh `inproc://`
/// endpoint and connects a PAIR socket to it.
///
/// The monitored socket is not borrowed: it can move on, and the monitor
/// keeps reporting until it is closed, [`Socket::disable_monitor`] is
/// called or another monitor replaces this one. Then
/// [`MonitorStopped`] arrives, last: a `Monitor` always asks for it,
/// whatever the events given.
///
/// Dropping a `Monitor` while its socket lives on is fine. libzmq 4.3.5
/// sends events to its end of the PAIR without `DONTWAIT`, on the thread
/// where they happen (an I/O thread, the reaper): with no reader left,
/// the first event would block it for good and stall the socket's
/// traffic. So a dropped `Monitor` that has not seen [`MonitorStopped`]
/// hands its PAIR to a thread of the context that reads and discards
/// events until it arrives, or the context terminates.
///
/// [`MonitorStopped`]: SocketEvent::MonitorStopped
#[derive(Debug)]
pub struct Monitor {
    /// Dropped by `Drop`, or handed to the draining thread.
    pair: ManuallyDrop<Socket>,
    endpoint: String,
    /// [`SocketEvent::MonitorStopped`] was read: nothing more will come.
    stopped: Cell<bool>,
}

impl Monitor {
    /// Monitors `events` of `socket`.
    pub fn new(socket: &Socket, events: MonitorEvents) -> Result<Self> {
        Self::with_endpoint(socket, &next_endpoint(), events)
    }

    /// Monitors `events` of `socket` on the given `inproc://` endpoint.
    pub fn with_endpoint(socket: &Socket, endpoint: &str, events: MonitorEvents) -> Result<Self> {
        socket.monitor(endpoint, events | MonitorEvents::MONITOR_STOPPED)?;
        let pair = socket.context().socket(SocketType::Pair)?;
        pair.set(crate::sockopt::Linger, Some(Duration::ZERO))?;
        pair.connect(endpoint)?;
        Ok(Self {
            pair: ManuallyDrop::new(pair),
            endpoint: endpoint.to_owned(),
            stopped: Cell::new(false),
        })
    }

    /// The monitor endpoint.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// The PAIR socket events arrive on, to poll with other sockets; read
    /// it with [`MonitorEvent::recv`] or [`MonitorEvent::recv_with`].
    pub fn socket(&self) -> &Socket {
        &self.pair
    }

    /// The PAIR socket, the endpoint and whether the monitor has stopped,
    /// for the async monitor stream (which then releases the PAIR as
    /// dropping a `Monitor` does).
    #[cfg(all(feature = "tokio", unix))]
    pub(crate) fn into_parts(self) -> (Socket, String, bool) {
        let mut this = ManuallyDrop::new(self);
        // SAFETY: each field is taken out exactly once and `Drop` does not
        // run (ManuallyDrop); the rest is plain data.
        unsafe {
            (
                ManuallyDrop::take(&mut this.pair),
                std::ptr::read(&this.endpoint),
                this.stopped.get(),
            )
        }
    }

    /// The next event, waiting up to `timeout` (`None`: forever); `Ok(None)`
    /// if none came in time.
    pub fn next(&self, timeout: Option<Duration>) -> Result<Option<MonitorEvent>> {
        if self.pair.poll(PollEvents::POLLIN, timeout)?.is_empty() {
            return Ok(None);
        }
        let event = MonitorEvent::recv_with(&self.pair, RecvFlags::DONTWAIT)?;
        if event.event == SocketEvent::MonitorStopped {
            self.stopped.set(true);
        }
        Ok(Some(event))
    }

    /// Reads events until one satisfies `wanted`, for up to `timeout`
    /// overall; `Ok(None)` if none did in time, however many others keep
    /// arriving. A timeout too long for the clock waits without end.
    pub fn wait_for(
        &self,
        timeout: Duration,
        mut wanted: impl FnMut(&SocketEvent) -> bool,
    ) -> Result<Option<MonitorEvent>> {
        let deadline = std::time::Instant::now().checked_add(timeout);
        loop {
            let left = match deadline {
                Some(deadline) => {
                    let left = deadline.saturating_duration_since(std::time::Instant::now());
                    if left.is_zero() {
                        // A stream of other events must not hold the call
                        // past its deadline: one last look without waiting.
                        return self
                            .next(Some(Duration::ZERO))
                            .map(|event| event.filter(|event| wanted(&event.event)));
                    }
                    Some(left)
                }
                None => None,
            };
            match self.next(left)? {
                Some(event) if wanted(&event.event) => return Ok(Some(event)),
                Some(_) => {}
                None => return Ok(None),
            }
        }
    }
}

impl Drop for Monitor {
    fn drop(&mut self) {
        // SAFETY: `pair` is taken out exactly once, here; the field is not
        // used afterwards.
        let pair = unsafe { ManuallyDrop::take(&mut self.pair) };
        release(pair, self.stopped.get());
    }
}

/// Lets go of a monitor's PAIR: closed if the monitor has stopped, else
/// handed to a thread of the context that drains it (see [`Monitor`]).
pub(crate) fn release(pair: Socket, stopped: bool) {
    if stopped {
        return;
    }
    let (pair, ctx) = pair.into_internal();
    // If no thread can be had, the closure is dropped with the PAIR in it,
    // which closes it: what dropping a monitor always did.
    let _ = ctx.spawn_background("zmq-monitor-drain", move || drain(&pair));
    // Only now, with the PAIR in the context's hands: this may be the last
    // handle, whose drop joins the drain before terminating.
    drop(ctx);
}

/// Whether a message's first frame is the event `MONITOR_STOPPED`, in the
/// version 1 (16-bit id) or version 2 (64-bit id) format.
fn is_monitor_stopped(frame: &[u8]) -> bool {
    let stopped = u64::from(zmq_sys::ZMQ_EVENT_MONITOR_STOPPED.cast_unsigned());
    match *frame {
        [a, b, _, _, _, _] => u64::from(u16::from_ne_bytes([a, b])) == stopped,
        [a, b, c, d, e, f, g, h] => u64::from_ne_bytes([a, b, c, d, e, f, g, h]) == stopped,
        _ => false,
    }
}

/// Reads and discards monitor messages until libzmq says the monitor
/// stopped, or the context is shut down.
fn drain(pair: &InternalSocket) {
    let mut msg = Message::new();
    let mut first_frame = true;
    loop {
        // SAFETY: the socket is live (owned by the calling thread).
        if unsafe { raw_socket::recv_message(pair.as_raw(), &mut msg, RecvFlags::empty()) }.is_err()
        {
            return;
        }
        if first_frame && is_monitor_stopped(&msg) {
            return;
        }
        first_frame = !msg.more();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(event: u16, value: u32, endpoint: &str) -> Vec<Vec<u8>> {
        let mut head = event.to_ne_bytes().to_vec();
        head.extend_from_slice(&value.to_ne_bytes());
        vec![head, endpoint.as_bytes().to_vec()]
    }

    #[test]
    fn every_stable_event_decodes_with_its_payload() {
        let cases = [
            (0x0001, 7, SocketEvent::Connected { fd: 7 }),
            (0x0002, 115, SocketEvent::ConnectDelayed),
            (
                0x0004,
                250,
                SocketEvent::ConnectRetried {
                    interval: Duration::from_millis(250),
                },
            ),
            (0x0008, 3, SocketEvent::Listening { fd: 3 }),
            (0x0010, 98, SocketEvent::BindFailed { errno: 98 }),
            (0x0020, 9, SocketEvent::Accepted { fd: 9 }),
            (0x0040, 24, SocketEvent::AcceptFailed { errno: 24 }),
            (0x0080, 9, SocketEvent::Closed { fd: 9 }),
            (0x0100, 9, SocketEvent::CloseFailed { errno: 9 }),
            (0x0200, 9, SocketEvent::Disconnected { fd: 9 }),
            (0x0400, 0, SocketEvent::MonitorStopped),
            (
                0x0800,
                104,
                SocketEvent::HandshakeFailedNoDetail { errno: 104 },
            ),
            (0x1000, 0, SocketEvent::HandshakeSucceeded),
            (
                0x2000,
                0x1100_0002,
                SocketEvent::HandshakeFailedProtocol { code: 0x1100_0002 },
            ),
            (
                0x4000,
                400,
                SocketEvent::HandshakeFailedAuth { status_code: 400 },
            ),
        ];
        for (code, value, expected) in cases {
            let event = MonitorEvent::decode(&frames(code, value, "tcp://127.0.0.1:5555")).unwrap();
            assert_eq!(event.event, expected);
            assert_eq!(event.endpoint, "tcp://127.0.0.1:5555");
            assert_eq!(event.event.flag().bits(), c_int::from(code));
            assert!(MonitorEvents::ALL.contains(event.event.flag()));
        }
    }

    #[test]
    fn unknown_codes_are_preserved() {
        let event = MonitorEvent::decode(&frames(0x8000, 42, "")).unwrap();
        assert_eq!(
            event.event,
            SocketEvent::Unknown {
                event: 0x8000,
                value: 42
            }
        );
    }

    #[test]
    fn negative_descriptors_survive_the_u32_value() {
        let event = SocketEvent::from_raw(0x0080, u32::MAX);
        assert_eq!(event, SocketEvent::Closed { fd: -1 });
    }

    #[test]
    fn malformed_messages_are_errors_not_panics() {
        let one: [&[u8]; 1] = [&[1, 0, 0, 0, 0, 0]];
        let three: [&[u8]; 3] = [&[1, 0, 0, 0, 0, 0], b"a", b"b"];
        let short: [&[u8]; 2] = [&[1, 0, 0], b"tcp://x"];
        let long: [&[u8]; 2] = [&[1, 0, 0, 0, 0, 0, 0], b"tcp://x"];
        let bad_utf8: [&[u8]; 2] = [&[1, 0, 0, 0, 0, 0], &[0xff, 0xfe]];
        let none: [&[u8]; 0] = [];
        for case in [&one[..], &three, &short, &long, &bad_utf8, &none] {
            let error = MonitorEvent::decode(case).unwrap_err();
            assert_eq!(error.kind(), crate::ErrorKind::InvalidInput);
        }
    }

    #[test]
    fn protocol_errors_have_names() {
        assert_eq!(
            protocol_error_name(0x1100_0002),
            Some("ZMTP_MECHANISM_MISMATCH")
        );
        assert_eq!(protocol_error_name(0x3000_0000), Some("WS_UNSPECIFIED"));
        assert_eq!(protocol_error_name(1), None);
    }
}
