//! Version 2 monitor events (draft): `zmq_socket_monitor_versioned` and
//! `zmq_socket_monitor_pipes_stats`.
//!
//! A v2 event is a multipart message: a 64-bit event id, the count of
//! values, that many 64-bit values, then the local and the remote endpoint
//! (either may be empty). Besides the v1 events it brings
//! [`SocketEventV2::PipesStats`], the number of messages queued towards and
//! from each peer, sent for every connection when
//! [`Socket::monitor_pipes_stats`] asks.
//!
//! ```
//! use std::time::Duration;
//! use zmq::monitor::{MonitorEventsV2, MonitorV2, SocketEventV2};
//! use zmq::{MonitorEvents, SocketEvent, SocketType};
//!
//! let ctx = zmq::Context::new()?;
//! let server = ctx.socket(SocketType::Pull)?;
//! let monitor = MonitorV2::new(&server, MonitorEvents::LISTENING.into())?;
//! server.bind("tcp://127.0.0.1:*")?;
//! let event = monitor.next(Some(Duration::from_secs(5)))?.expect("an event");
//! assert!(matches!(event.event, SocketEventV2::V1(SocketEvent::Listening { .. })));
//! assert_eq!(event.local_endpoint, server.last_endpoint()?);
//! # Ok::<(), zmq::Error>(())
//! ```

use std::cell::Cell;
use std::mem::ManuallyDrop;
use std::time::Duration;

use super::{MonitorEvents, SocketEvent, next_endpoint};
use crate::error::{Error, Result, check};
use crate::flags::{PollEvents, RecvFlags, flag_set};
use crate::raw_socket::endpoint_cstring;
use crate::socket::{Socket, SocketType};

flag_set! {
    /// Which events a version 2 monitor reports: any [`MonitorEvents`]
    /// (through `From`) and the v2-only ones.
    ///
    /// ```
    /// use zmq::MonitorEvents;
    /// use zmq::monitor::MonitorEventsV2;
    /// let events = MonitorEventsV2::from(MonitorEvents::CONNECTED) | MonitorEventsV2::PIPES_STATS;
    /// assert!(MonitorEventsV2::ALL_V2.contains(events));
    /// ```
    MonitorEventsV2(u64) {
        /// `ZMQ_EVENT_PIPES_STATS`: queue lengths, on request.
        PIPES_STATS = zmq_sys::ZMQ_EVENT_PIPES_STATS;
        /// `ZMQ_EVENT_ALL_V1`: every version 1 event.
        ALL_V1 = zmq_sys::ZMQ_EVENT_ALL_V1;
        /// `ZMQ_EVENT_ALL_V2`: every version 2 event.
        ALL_V2 = zmq_sys::ZMQ_EVENT_ALL_V2;
    }
}

impl From<MonitorEvents> for MonitorEventsV2 {
    fn from(events: MonitorEvents) -> Self {
        // The v1 bits are the low 16 bits of a v2 mask.
        Self::from_bits_retain(u64::from(events.bits().cast_unsigned()))
    }
}

/// A v2 event with its values.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SocketEventV2 {
    /// A version 1 event (one value), decoded as [`SocketEvent`].
    V1(SocketEvent),
    /// The queue lengths of one connection, after
    /// [`Socket::monitor_pipes_stats`]: already out of date when read.
    PipesStats {
        /// Messages queued to be sent to the peer.
        egress: u64,
        /// Messages received from the peer, not yet read.
        ingress: u64,
    },
    /// An event this crate does not know, kept as libzmq sent it.
    Unknown {
        /// The event id.
        event: u64,
        /// Its values.
        values: Vec<u64>,
    },
}

impl SocketEventV2 {
    /// Decodes an event id and its values; an unknown id, or a known one
    /// with an unexpected count of values, is kept as
    /// [`Unknown`](Self::Unknown).
    pub fn from_raw(event: u64, values: Vec<u64>) -> Self {
        let pipes_stats = u64::from(zmq_sys::ZMQ_EVENT_PIPES_STATS.cast_unsigned());
        match (event, values.as_slice()) {
            (id, &[egress, ingress]) if id == pipes_stats => Self::PipesStats { egress, ingress },
            (id, &[value]) => match (u16::try_from(id), u32::try_from(value)) {
                (Ok(id), Ok(value)) => match SocketEvent::from_raw(id, value) {
                    SocketEvent::Unknown { .. } => Self::Unknown { event, values },
                    known => Self::V1(known),
                },
                _ => Self::Unknown { event, values },
            },
            _ => Self::Unknown { event, values },
        }
    }
}

/// One v2 monitor message.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MonitorEventV2 {
    /// What happened.
    pub event: SocketEventV2,
    /// The local endpoint concerned (may be empty).
    pub local_endpoint: String,
    /// The remote endpoint concerned (may be empty).
    pub remote_endpoint: String,
}

fn u64_frame(frame: &[u8], what: &str) -> Result<u64> {
    let bytes: [u8; 8] = frame.try_into().map_err(|_| {
        Error::invalid_input(format!(
            "monitor v2 message: {what} is {} bytes, not 8",
            frame.len()
        ))
    })?;
    Ok(u64::from_ne_bytes(bytes))
}

fn text_frame(frame: &[u8], what: &str) -> Result<String> {
    String::from_utf8(frame.to_vec())
        .map_err(|_| Error::invalid_input(format!("monitor v2 message: {what} is not UTF-8")))
}

impl MonitorEventV2 {
    /// Decodes a v2 monitor message (a PUB monitor's too: its topic is the
    /// event id frame). A message of another shape is an
    /// [`InvalidInput`](crate::ErrorKind::InvalidInput) error, never a
    /// panic.
    pub fn decode<F: AsRef<[u8]>>(frames: &[F]) -> Result<Self> {
        let [event, count, rest @ ..] = frames else {
            return Err(Error::invalid_input(format!(
                "monitor v2 message: expected at least 4 frames, got {}",
                frames.len()
            )));
        };
        let event = u64_frame(event.as_ref(), "the event id")?;
        let count = u64_frame(count.as_ref(), "the value count")?;
        let expected = usize::try_from(count)
            .ok()
            .and_then(|count| count.checked_add(2))
            .filter(|&expected| expected == rest.len())
            .ok_or_else(|| {
                Error::invalid_input(format!(
                    "monitor v2 message: {count} values and 2 endpoints announced, {} frames follow",
                    rest.len()
                ))
            })?;
        let (values, endpoints) = rest.split_at(expected - 2);
        let values = values
            .iter()
            .map(|value| u64_frame(value.as_ref(), "a value"))
            .collect::<Result<Vec<_>>>()?;
        Ok(Self {
            event: SocketEventV2::from_raw(event, values),
            local_endpoint: text_frame(endpoints[0].as_ref(), "the local endpoint")?,
            remote_endpoint: text_frame(endpoints[1].as_ref(), "the remote endpoint")?,
        })
    }

    /// Receives one v2 monitor message from `socket` and decodes it.
    pub fn recv(socket: &Socket) -> Result<Self> {
        Self::recv_with(socket, RecvFlags::empty())
    }

    /// [`recv`](Self::recv) with flags (`DONTWAIT`).
    pub fn recv_with(socket: &Socket, flags: RecvFlags) -> Result<Self> {
        Self::decode(&socket.recv_multipart_with(flags)?)
    }
}

impl Socket {
    /// Starts publishing this socket's `events` in the version 2 format on
    /// a socket of type `kind` (PAIR, PUB or PUSH; others are an
    /// [`InvalidInput`](crate::ErrorKind::InvalidInput) error) bound at
    /// `endpoint`, an `inproc://` address. Read them with
    /// [`MonitorEventV2`], or let [`MonitorV2`] do all of it. A PUB
    /// monitor's messages start with the event id, which subscribers filter
    /// on. Version 1 messages are [`monitor`](Self::monitor)'s.
    #[doc(alias = "zmq_socket_monitor_versioned")]
    pub fn monitor_versioned(
        &self,
        endpoint: &str,
        events: MonitorEventsV2,
        kind: SocketType,
    ) -> Result<()> {
        if !matches!(kind, SocketType::Pair | SocketType::Pub | SocketType::Push) {
            return Err(Error::invalid_input(format!(
                "a monitor socket is PAIR, PUB or PUSH, not {kind:?}"
            )));
        }
        let c_endpoint = endpoint_cstring(endpoint)?;
        // SAFETY: the socket is live and the endpoint NUL-terminated.
        check(unsafe {
            zmq_sys::zmq_socket_monitor_versioned(
                self.as_raw(),
                c_endpoint.as_ptr(),
                events.bits(),
                zmq_sys::ZMQ_CURRENT_EVENT_VERSION_DRAFT,
                kind.to_raw(),
            )
        })
        .map(drop)
        .map_err(|e| e.context(format!("monitor_versioned {endpoint:?}")))
    }

    /// Asks for a [`SocketEventV2::PipesStats`] event for each connection
    /// of this socket, which a v2 monitor with
    /// [`MonitorEventsV2::PIPES_STATS`] then reports. The events are
    /// produced as the socket processes its commands: any call on it (an
    /// option read will do) lets them through. Without such a monitor: an
    /// [`InvalidInput`](crate::ErrorKind::InvalidInput) error; before the
    /// socket has a connection: [`Again`](crate::ErrorKind::Again).
    #[doc(alias = "zmq_socket_monitor_pipes_stats")]
    pub fn monitor_pipes_stats(&self) -> Result<()> {
        // SAFETY: the socket is live.
        check(unsafe { zmq_sys::zmq_socket_monitor_pipes_stats(self.as_raw()) })
            .map(drop)
            .map_err(|e| e.context("monitor_pipes_stats"))
    }
}

/// Reads a socket's version 2 monitor events: starts monitoring on a fresh
/// `inproc://` endpoint and connects a PAIR socket to it. It may be
/// dropped while the monitored socket lives on: see
/// [`Monitor`](super::Monitor).
#[derive(Debug)]
pub struct MonitorV2 {
    /// Dropped by `Drop`, or handed to the draining thread.
    pair: ManuallyDrop<Socket>,
    endpoint: String,
    /// `MONITOR_STOPPED` was read: nothing more will come.
    stopped: Cell<bool>,
}

impl MonitorV2 {
    /// Monitors `events` of `socket` in the version 2 format. As with
    /// [`Monitor`](super::Monitor), `MONITOR_STOPPED` is always asked for,
    /// and a `MonitorV2` dropped while its socket lives on is drained in
    /// the background, so libzmq never blocks sending it events.
    pub fn new(socket: &Socket, events: MonitorEventsV2) -> Result<Self> {
        let endpoint = next_endpoint();
        let stopped = MonitorEventsV2::from(MonitorEvents::MONITOR_STOPPED);
        socket.monitor_versioned(&endpoint, events | stopped, SocketType::Pair)?;
        let pair = socket.context().socket(SocketType::Pair)?;
        pair.set(crate::sockopt::Linger, Some(Duration::ZERO))?;
        pair.connect(&endpoint)?;
        Ok(Self {
            pair: ManuallyDrop::new(pair),
            endpoint,
            stopped: Cell::new(false),
        })
    }

    /// The monitor endpoint.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// The PAIR socket events arrive on, to poll with others.
    pub fn socket(&self) -> &Socket {
        &self.pair
    }

    /// The next event, waiting up to `timeout` (`None`: forever);
    /// `Ok(None)` if none came in time.
    pub fn next(&self, timeout: Option<Duration>) -> Result<Option<MonitorEventV2>> {
        if self.pair.poll(PollEvents::POLLIN, timeout)?.is_empty() {
            return Ok(None);
        }
        let event = MonitorEventV2::recv_with(&self.pair, RecvFlags::DONTWAIT)?;
        if event.event == SocketEventV2::V1(SocketEvent::MonitorStopped) {
            self.stopped.set(true);
        }
        Ok(Some(event))
    }
}

impl Drop for MonitorV2 {
    fn drop(&mut self) {
        // SAFETY: `pair` is taken out exactly once, here; the field is not
        // used afterwards.
        let pair = unsafe { ManuallyDrop::take(&mut self.pair) };
        super::release(pair, self.stopped.get());
    }
}

/// The v2 id of a v1 flag, for tests and matching.
#[cfg(test)]
fn id(code: std::ffi::c_int) -> u64 {
    u64::from(code.cast_unsigned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(event: u64, values: &[u64], local: &str, remote: &str) -> Vec<Vec<u8>> {
        let mut frames = vec![
            event.to_ne_bytes().to_vec(),
            (values.len() as u64).to_ne_bytes().to_vec(),
        ];
        frames.extend(values.iter().map(|v| v.to_ne_bytes().to_vec()));
        frames.push(local.as_bytes().to_vec());
        frames.push(remote.as_bytes().to_vec());
        frames
    }

    #[test]
    fn v1_events_and_pipe_stats_decode_with_both_endpoints() {
        let event = MonitorEventV2::decode(&frames(
            id(zmq_sys::ZMQ_EVENT_CONNECTED),
            &[7],
            "tcp://127.0.0.1:4000",
            "tcp://127.0.0.1:5000",
        ))
        .unwrap();
        assert_eq!(
            event.event,
            SocketEventV2::V1(SocketEvent::Connected { fd: 7 })
        );
        assert_eq!(event.local_endpoint, "tcp://127.0.0.1:4000");
        assert_eq!(event.remote_endpoint, "tcp://127.0.0.1:5000");

        let event = MonitorEventV2::decode(&frames(
            id(zmq_sys::ZMQ_EVENT_PIPES_STATS),
            &[2, 5],
            "",
            "tcp://x:1",
        ))
        .unwrap();
        assert_eq!(
            event.event,
            SocketEventV2::PipesStats {
                egress: 2,
                ingress: 5
            }
        );
    }

    #[test]
    fn unknown_ids_and_odd_value_counts_are_kept() {
        let event = MonitorEventV2::decode(&frames(1 << 40, &[1, 2, 3], "", "")).unwrap();
        assert_eq!(
            event.event,
            SocketEventV2::Unknown {
                event: 1 << 40,
                values: vec![1, 2, 3]
            }
        );
        let connected = id(zmq_sys::ZMQ_EVENT_CONNECTED);
        let event = MonitorEventV2::decode(&frames(connected, &[], "", "")).unwrap();
        assert_eq!(
            event.event,
            SocketEventV2::Unknown {
                event: connected,
                values: vec![]
            }
        );
    }

    #[test]
    fn malformed_messages_are_errors_not_panics() {
        let mut short_count = frames(1, &[1], "", "");
        short_count[1] = vec![1, 0];
        let mut wrong_count = frames(1, &[1], "", "");
        wrong_count[1] = 5u64.to_ne_bytes().to_vec();
        let mut huge_count = frames(1, &[1], "", "");
        huge_count[1] = u64::MAX.to_ne_bytes().to_vec();
        let mut bad_value = frames(1, &[1], "", "");
        bad_value[2] = vec![1];
        let mut bad_utf8 = frames(1, &[1], "", "");
        bad_utf8[3] = vec![0xff];
        let cases = [
            vec![],
            frames(1, &[], "", "")[..3].to_vec(),
            short_count,
            wrong_count,
            huge_count,
            bad_value,
            bad_utf8,
        ];
        for case in cases {
            let error = MonitorEventV2::decode(&case).unwrap_err();
            assert_eq!(error.kind(), crate::ErrorKind::InvalidInput, "{error}");
        }
    }

    #[test]
    fn v1_masks_convert_to_v2_bits() {
        let events = MonitorEventsV2::from(MonitorEvents::ALL);
        assert_eq!(events, MonitorEventsV2::ALL_V1);
        assert!(!events.contains(MonitorEventsV2::PIPES_STATS));
    }
}
