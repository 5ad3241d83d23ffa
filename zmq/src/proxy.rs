//! libzmq's built-in proxy (`zmq_proxy`, `zmq_proxy_steerable`) and a helper
//! that steers it.
//!
//! A proxy shuttles messages between a frontend and a backend socket until
//! its context is shut down or, for the steerable variant, until it is told
//! to stop on its control socket. It blocks the calling thread, so it usually
//! runs in a thread of its own; [`device`](crate::device) packages that.
//!
//! ```
//! use std::time::Duration;
//! use zmq::{ProxyControl, SocketType, sockopt};
//!
//! let ctx = zmq::Context::new()?;
//! let frontend = ctx.socket(SocketType::Pull)?;
//! frontend.bind("inproc://doc-proxy-in")?;
//! let backend = ctx.socket(SocketType::Push)?;
//! backend.bind("inproc://doc-proxy-out")?;
//! let control = ctx.socket(SocketType::Pair)?;
//! control.bind("inproc://doc-proxy-control")?;
//!
//! let steer = ctx.socket(SocketType::Pair)?;
//! steer.connect("inproc://doc-proxy-control")?;
//! steer.set(sockopt::RcvTimeo, Some(Duration::from_secs(5)))?;
//! let steer = ProxyControl::new(steer);
//!
//! let proxy = std::thread::spawn(move || zmq::proxy_steerable(&frontend, &backend, None, &control));
//!
//! let producer = ctx.socket(SocketType::Push)?;
//! producer.connect("inproc://doc-proxy-in")?;
//! let consumer = ctx.socket(SocketType::Pull)?;
//! consumer.connect("inproc://doc-proxy-out")?;
//! producer.send("job")?;
//! assert_eq!(consumer.recv_string()?, "job");
//!
//! assert_eq!(steer.statistics()?.frontend.messages_received, 1);
//! steer.terminate()?;
//! proxy.join().expect("proxy thread")?;
//! # Ok::<(), zmq::Error>(())
//! ```

use std::ptr;

use crate::error::{Error, Result, check};
use crate::socket::Socket;

/// Relays messages between `frontend` and `backend` until the context is
/// shut down; wraps `zmq_proxy`.
///
/// It blocks the calling thread and never returns `Ok`: it ends with
/// [`ErrorKind::Terminated`](crate::ErrorKind::Terminated) when the context
/// is shut down, or another error. Use [`proxy_steerable`] for a proxy that
/// can be stopped cleanly.
#[doc(alias = "zmq_proxy")]
pub fn proxy(frontend: &Socket, backend: &Socket) -> Result<()> {
    proxy_steerable_raw(frontend, backend, None, None)
}

/// Like [`proxy`], and also sends a copy of every frame relayed, in either
/// direction, to `capture` (usually a PUB, PUSH or PAIR socket).
#[doc(alias = "zmq_proxy")]
pub fn proxy_with_capture(frontend: &Socket, backend: &Socket, capture: &Socket) -> Result<()> {
    proxy_steerable_raw(frontend, backend, Some(capture), None)
}

/// A proxy steered through `control`; wraps `zmq_proxy_steerable`.
///
/// Commands received on `control` pause, resume or stop the relaying, or ask
/// for [`ProxyStatistics`]; [`ProxyControl`] sends them from the other end of
/// the control socket. Returns `Ok(())` once told to terminate. Use a PAIR
/// control socket: libzmq 4.3.5 answers every command (as its documentation
/// describes for REP) but other versions answer only `STATISTICS`, which a
/// REQ/REP pair would not survive.
#[doc(alias = "zmq_proxy_steerable")]
pub fn proxy_steerable(
    frontend: &Socket,
    backend: &Socket,
    capture: Option<&Socket>,
    control: &Socket,
) -> Result<()> {
    proxy_steerable_raw(frontend, backend, capture, Some(control))
}

fn proxy_steerable_raw(
    frontend: &Socket,
    backend: &Socket,
    capture: Option<&Socket>,
    control: Option<&Socket>,
) -> Result<()> {
    let raw = |socket: Option<&Socket>| socket.map_or(ptr::null_mut(), Socket::as_raw);
    // SAFETY: every non-null pointer comes from a live Socket borrowed for
    // the whole call; libzmq accepts NULL for the capture and control
    // sockets. The sockets are not Sync, so no other thread uses them while
    // the proxy runs on this one.
    check(unsafe {
        zmq_sys::zmq_proxy_steerable(
            frontend.as_raw(),
            backend.as_raw(),
            raw(capture),
            raw(control),
        )
    })
    .map(drop)
}

/// Message and byte counts of one side of a proxy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct ProxySideStatistics {
    /// Messages (frames) received by this socket.
    pub messages_received: u64,
    /// Bytes received by this socket.
    pub bytes_received: u64,
    /// Messages (frames) sent by this socket.
    pub messages_sent: u64,
    /// Bytes sent by this socket.
    pub bytes_sent: u64,
}

/// The counters a steerable proxy reports for its `STATISTICS` command.
///
/// libzmq counts frames: a message of three parts counts three.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct ProxyStatistics {
    /// Counters of the frontend socket.
    pub frontend: ProxySideStatistics,
    /// Counters of the backend socket.
    pub backend: ProxySideStatistics,
}

impl ProxyStatistics {
    /// Decodes the reply to `STATISTICS`: eight frames, each one `uint64_t`
    /// in native byte order (frontend received count and bytes, sent count
    /// and bytes, then the same for the backend).
    pub fn from_frames<F: AsRef<[u8]>>(frames: &[F]) -> Result<Self> {
        if frames.len() != 8 {
            return Err(Error::invalid_input(format!(
                "proxy statistics: expected 8 frames, got {}",
                frames.len()
            )));
        }
        let mut values = [0u64; 8];
        for (value, frame) in values.iter_mut().zip(frames) {
            let bytes: [u8; 8] = frame.as_ref().try_into().map_err(|_| {
                Error::invalid_input(format!(
                    "proxy statistics: expected 8-byte frames, got {} bytes",
                    frame.as_ref().len()
                ))
            })?;
            *value = u64::from_ne_bytes(bytes);
        }
        let side = |v: &[u64]| ProxySideStatistics {
            messages_received: v[0],
            bytes_received: v[1],
            messages_sent: v[2],
            bytes_sent: v[3],
        };
        Ok(Self {
            frontend: side(&values[..4]),
            backend: side(&values[4..]),
        })
    }
}

/// The other end of a steerable proxy's control socket.
///
/// Wraps a socket (PAIR, connected to the proxy's control PAIR) and sends
/// the commands of `zmq_proxy_steerable`. It smooths over libzmq 4.3.5,
/// which swaps `PAUSE` and `RESUME` and answers every command with an empty
/// frame (fixed after that release, libzmq pull request 4600): on 4.3.5 the
/// helper sends the other word and reads the answer, so [`pause`] pauses on
/// every version.
///
/// Replies are read with the socket's receive timeout
/// ([`sockopt::RcvTimeo`](crate::sockopt::RcvTimeo)); set one so that a
/// proxy which has already stopped cannot block the caller forever.
///
/// [`pause`]: Self::pause
#[derive(Debug)]
pub struct ProxyControl {
    socket: Socket,
    /// True for libzmq 4.3.5 and its PAUSE/RESUME and reply quirks.
    quirks_435: bool,
}

impl ProxyControl {
    /// Steers the proxy at the other end of `socket`.
    pub fn new(socket: Socket) -> Self {
        Self {
            socket,
            quirks_435: crate::version() == (4, 3, 5),
        }
    }

    /// The control socket.
    pub fn socket(&self) -> &Socket {
        &self.socket
    }

    /// Gives the control socket back.
    pub fn into_socket(self) -> Socket {
        self.socket
    }

    /// Sends `command` and, where this libzmq answers it, reads the empty
    /// answer.
    fn command(&self, command: &str) -> Result<()> {
        self.socket
            .send(command)
            .map_err(|e| e.context(format!("sending {command} to the proxy")))?;
        if self.quirks_435 {
            self.socket
                .recv_multipart()
                .map_err(|e| e.context(format!("reading the proxy's answer to {command}")))?;
        }
        Ok(())
    }

    /// Stops relaying until [`resume`](Self::resume); messages wait in the
    /// sockets' queues meanwhile.
    pub fn pause(&self) -> Result<()> {
        self.command(if self.quirks_435 { "RESUME" } else { "PAUSE" })
    }

    /// Resumes relaying after [`pause`](Self::pause).
    pub fn resume(&self) -> Result<()> {
        self.command(if self.quirks_435 { "PAUSE" } else { "RESUME" })
    }

    /// Makes `zmq_proxy_steerable` return `Ok(())`.
    pub fn terminate(&self) -> Result<()> {
        self.command("TERMINATE")
    }

    /// Asks the proxy for its counters.
    pub fn statistics(&self) -> Result<ProxyStatistics> {
        self.socket
            .send("STATISTICS")
            .map_err(|e| e.context("sending STATISTICS to the proxy"))?;
        let frames = self
            .socket
            .recv_multipart()
            .map_err(|e| e.context("reading the proxy's statistics"))?;
        ProxyStatistics::from_frames(&frames)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statistics_decode_eight_native_endian_counters() {
        let frames: Vec<[u8; 8]> = (1..=8u64).map(u64::to_ne_bytes).collect();
        let stats = ProxyStatistics::from_frames(&frames).unwrap();
        assert_eq!(stats.frontend.messages_received, 1);
        assert_eq!(stats.frontend.bytes_sent, 4);
        assert_eq!(stats.backend.messages_received, 5);
        assert_eq!(stats.backend.bytes_sent, 8);
    }

    #[test]
    fn malformed_statistics_are_errors() {
        let seven: Vec<[u8; 8]> = (0..7u64).map(u64::to_ne_bytes).collect();
        assert!(ProxyStatistics::from_frames(&seven).is_err());
        let mut short: Vec<Vec<u8>> = (0..8u64).map(|v| v.to_ne_bytes().to_vec()).collect();
        short[3].pop();
        let error = ProxyStatistics::from_frames(&short).unwrap_err();
        assert!(error.to_string().contains("7 bytes"), "{error}");
    }
}
