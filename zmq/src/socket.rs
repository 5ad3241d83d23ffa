//! `Socket`: one libzmq socket, owned by one thread at a time.

use std::cell::Cell;
use std::ffi::{c_int, c_void};
use std::marker::PhantomData;
use std::ptr::NonNull;
use std::time::Duration;

use crate::context::Context;
use crate::error::{Error, Result, check};
use crate::flags::PollEvents;
use crate::raw_socket::{self, EndpointFn, endpoint_cstring};
use crate::sockopt::{self, GetOption, SetOption};

mod recv;
mod send;

pub use send::Sendable;

/// The socket types of libzmq's stable API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SocketType {
    /// `ZMQ_PAIR`: exclusive pair, usually between two threads.
    Pair,
    /// `ZMQ_PUB`: publisher, fans messages out to subscribers.
    Pub,
    /// `ZMQ_SUB`: subscriber, receives what matches its subscriptions.
    Sub,
    /// `ZMQ_REQ`: client of a request-reply pair, strictly send then receive.
    Req,
    /// `ZMQ_REP`: server of a request-reply pair, strictly receive then send.
    Rep,
    /// `ZMQ_DEALER`: asynchronous request-reply, round-robin out, fair-queued in.
    Dealer,
    /// `ZMQ_ROUTER`: asynchronous request-reply, addressing peers by routing id.
    Router,
    /// `ZMQ_PULL`: pipeline sink, fair-queues from pushers.
    Pull,
    /// `ZMQ_PUSH`: pipeline source, round-robin to pullers.
    Push,
    /// `ZMQ_XPUB`: publisher that sees subscriptions as messages.
    Xpub,
    /// `ZMQ_XSUB`: subscriber that sends subscriptions as messages.
    Xsub,
    /// `ZMQ_STREAM`: raw TCP peers, framed by routing id.
    Stream,
    /// `ZMQ_DGRAM` (draft): UDP datagrams, each an address frame and a body
    /// frame. Draft but not thread-safe, so it is a classic socket.
    #[cfg(feature = "draft")]
    Dgram,
}

impl SocketType {
    /// The `ZMQ_*` number.
    pub const fn to_raw(self) -> c_int {
        match self {
            Self::Pair => zmq_sys::ZMQ_PAIR,
            Self::Pub => zmq_sys::ZMQ_PUB,
            Self::Sub => zmq_sys::ZMQ_SUB,
            Self::Req => zmq_sys::ZMQ_REQ,
            Self::Rep => zmq_sys::ZMQ_REP,
            Self::Dealer => zmq_sys::ZMQ_DEALER,
            Self::Router => zmq_sys::ZMQ_ROUTER,
            Self::Pull => zmq_sys::ZMQ_PULL,
            Self::Push => zmq_sys::ZMQ_PUSH,
            Self::Xpub => zmq_sys::ZMQ_XPUB,
            Self::Xsub => zmq_sys::ZMQ_XSUB,
            Self::Stream => zmq_sys::ZMQ_STREAM,
            #[cfg(feature = "draft")]
            Self::Dgram => zmq_sys::ZMQ_DGRAM,
        }
    }

    /// The type for a `ZMQ_*` number; `Err` for numbers this enum lacks.
    pub fn from_raw(raw: c_int) -> Result<Self> {
        const ALL: &[SocketType] = &[
            SocketType::Pair,
            SocketType::Pub,
            SocketType::Sub,
            SocketType::Req,
            SocketType::Rep,
            SocketType::Dealer,
            SocketType::Router,
            SocketType::Pull,
            SocketType::Push,
            SocketType::Xpub,
            SocketType::Xsub,
            SocketType::Stream,
            #[cfg(feature = "draft")]
            SocketType::Dgram,
        ];
        ALL.iter()
            .copied()
            .find(|kind| kind.to_raw() == raw)
            .ok_or_else(|| Error::invalid_input(format!("unknown socket type {raw}")))
    }
}

/// The security mechanism of a socket (`ZMQ_MECHANISM`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Mechanism {
    /// `ZMQ_NULL`: no security.
    Null,
    /// `ZMQ_PLAIN`: clear-text user name and password.
    Plain,
    /// `ZMQ_CURVE`: CurveZMQ encryption and authentication.
    Curve,
    /// `ZMQ_GSSAPI`: Kerberos.
    Gssapi,
}

impl Mechanism {
    pub(crate) fn from_raw(raw: c_int) -> Result<Self> {
        match raw {
            zmq_sys::ZMQ_NULL => Ok(Self::Null),
            zmq_sys::ZMQ_PLAIN => Ok(Self::Plain),
            zmq_sys::ZMQ_CURVE => Ok(Self::Curve),
            zmq_sys::ZMQ_GSSAPI => Ok(Self::Gssapi),
            _ => Err(Error::invalid_input(format!(
                "unknown security mechanism {raw}"
            ))),
        }
    }
}

/// A ZeroMQ socket.
///
/// A socket may move to another thread (`Send`) but not be used from two at
/// once (not `Sync`): libzmq's classic sockets are not thread-safe. The
/// compiler enforces this. Dropping the socket closes it; [`close`] does
/// the same and reports errors.
///
/// # Sending and receiving: blocking by default, flags one call away
///
/// Every send and receive call comes in two forms. The plain one blocks
/// until the frame is queued or has arrived (or the socket's send/receive
/// timeout passes) and takes no flags; the `_with` form takes
/// [`SendFlags`](crate::SendFlags) or [`RecvFlags`](crate::RecvFlags), for
/// `DONTWAIT` (fail with [`ErrorKind::Again`](crate::ErrorKind::Again)
/// instead of waiting) and `SNDMORE`. The plain form is an inlined call of
/// the `_with` form with no flags, so it costs nothing more.
///
/// | blocking | with flags | gives |
/// |---|---|---|
/// | [`send(data)`](Self::send) | [`send_with(data, flags)`](Self::send_with) | `()` |
/// | [`send_multipart(parts)`](Self::send_multipart) | [`send_multipart_with(parts, flags)`](Self::send_multipart_with) | `()` |
/// | [`recv()`](Self::recv) | [`recv_with(flags)`](Self::recv_with) | [`Message`](crate::Message) |
/// | [`recv_msg(&mut msg)`](Self::recv_msg) | [`recv_msg_with(&mut msg, flags)`](Self::recv_msg_with) | `()`, fills `msg` |
/// | [`recv_into(&mut buf)`](Self::recv_into) | [`recv_into_with(&mut buf, flags)`](Self::recv_into_with) | the frame's size |
/// | [`recv_bytes()`](Self::recv_bytes) | [`recv_bytes_with(flags)`](Self::recv_bytes_with) | `Vec<u8>` |
/// | [`recv_string()`](Self::recv_string) | [`recv_string_with(flags)`](Self::recv_string_with) | `String` |
/// | [`recv_multipart()`](Self::recv_multipart) | [`recv_multipart_with(flags)`](Self::recv_multipart_with) | `Vec<Vec<u8>>` |
/// | [`recv_multipart_messages()`](Self::recv_multipart_messages) | [`recv_multipart_messages_with(flags)`](Self::recv_multipart_messages_with) | `Vec<Message>` |
///
/// Anything [`Sendable`] goes out as a frame; [`frames!`](crate::frames)
/// mixes them in one multipart message.
///
/// ```
/// use zmq::{ErrorKind, RecvFlags, SocketType};
///
/// let ctx = zmq::Context::new()?;
/// let server = ctx.socket(SocketType::Rep)?;
/// server.bind("inproc://doc-socket")?;
/// let client = ctx.socket(SocketType::Req)?;
/// client.connect("inproc://doc-socket")?;
///
/// client.send("Hello")?;
/// assert_eq!(server.recv_string()?, "Hello");
/// server.send("World")?;
/// assert_eq!(client.recv_bytes()?, b"World");
///
/// // No second request yet: DONTWAIT says so instead of blocking.
/// let error = server.recv_with(RecvFlags::DONTWAIT).unwrap_err();
/// assert_eq!(error.kind(), ErrorKind::Again);
/// # Ok::<(), zmq::Error>(())
/// ```
///
/// [`close`]: Self::close
pub struct Socket {
    raw: NonNull<c_void>,
    /// Keeps the context alive until this socket is closed.
    ctx: Context,
    /// A DGRAM socket: every frame must fit one UDP datagram.
    #[cfg(feature = "draft")]
    dgram: bool,
    /// An XSUB socket: frames starting with 1 or 0 are subscriptions,
    /// checked against [`sockopt::SUBSCRIPTION_MAX`].
    xsub: bool,
    /// Opts out of `Sync`.
    _not_sync: PhantomData<Cell<()>>,
}

// SAFETY: libzmq allows a socket to migrate between threads provided a full
// memory barrier separates their uses (zmq_socket(3)); moving a value to
// another thread in Rust (spawn, channels, mutexes) implies one. `Cell`
// keeps the type !Sync, so two threads never use it at the same time.
unsafe impl Send for Socket {}

impl std::fmt::Debug for Socket {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Socket")
            .field("type", &self.get(sockopt::Type).ok())
            .field("raw", &self.raw)
            .finish()
    }
}

/// Converts a poll/receive timeout to libzmq's milliseconds: `None` is -1
/// (forever); a positive duration below a millisecond rounds up, so it still
/// waits rather than returning at once.
pub(crate) fn timeout_millis(timeout: Option<Duration>) -> Result<i64> {
    match timeout {
        None => Ok(-1),
        Some(d) => {
            let ms = d.as_millis() + u128::from(d.subsec_nanos() % 1_000_000 != 0);
            i64::try_from(ms)
                .map_err(|_| Error::invalid_input(format!("timeout {d:?} is too long")))
        }
    }
}

impl Socket {
    pub(crate) fn new(ctx: Context, kind: SocketType) -> Result<Self> {
        let raw = ctx.create_raw_socket(kind.to_raw())?;
        let linger = ctx.default_linger();
        let socket = Self {
            raw,
            ctx,
            #[cfg(feature = "draft")]
            dgram: kind == SocketType::Dgram,
            xsub: kind == SocketType::Xsub,
            _not_sync: PhantomData,
        };
        // The context's linger, not libzmq's "forever": see DEFAULT_LINGER.
        // SAFETY: the socket is live; the value is a c_int of that size.
        check(unsafe {
            zmq_sys::zmq_setsockopt(
                socket.as_raw(),
                zmq_sys::ZMQ_LINGER,
                std::ptr::from_ref(&linger).cast(),
                size_of::<c_int>(),
            )
        })?;
        if matches!(kind, SocketType::Pub | SocketType::Xpub) {
            // Remote subscriptions land in the same recursive trie as
            // local ones: see sockopt::SUBSCRIPTION_MAX.
            socket.set(
                sockopt::MaxMsgSize,
                Some(sockopt::SUBSCRIPTION_MAX as u64 + 1),
            )?;
        }
        Ok(socket)
    }

    /// The context this socket belongs to.
    pub fn context(&self) -> &Context {
        &self.ctx
    }

    /// The raw `void *`, for calls into libzmq this crate does not wrap.
    /// It is valid while the socket lives.
    pub fn as_raw(&self) -> *mut c_void {
        self.raw.as_ptr()
    }

    fn endpoint_call(&self, endpoint: &str, what: &'static str, call: EndpointFn) -> Result<()> {
        // SAFETY: the socket is live.
        unsafe { raw_socket::endpoint_call(self.as_raw(), endpoint, what, call) }
    }

    /// Accepts connections on `endpoint` (`tcp://127.0.0.1:*` picks a free
    /// port; read it back with [`last_endpoint`](Self::last_endpoint)).
    #[doc(alias = "zmq_bind")]
    pub fn bind(&self, endpoint: &str) -> Result<()> {
        // SAFETY: the socket is live; ZMQ_USE_FD is only set through
        // `set`.
        unsafe { raw_socket::bind(self.as_raw(), endpoint) }
    }

    /// Connects to `endpoint`; libzmq connects (and reconnects) in the
    /// background.
    #[doc(alias = "zmq_connect")]
    pub fn connect(&self, endpoint: &str) -> Result<()> {
        self.endpoint_call(endpoint, "connect", zmq_sys::zmq_connect)
    }

    /// Stops accepting on an endpoint bound before.
    #[doc(alias = "zmq_unbind")]
    pub fn unbind(&self, endpoint: &str) -> Result<()> {
        self.endpoint_call(endpoint, "unbind", zmq_sys::zmq_unbind)
    }

    /// Disconnects from an endpoint connected before.
    #[doc(alias = "zmq_disconnect")]
    pub fn disconnect(&self, endpoint: &str) -> Result<()> {
        self.endpoint_call(endpoint, "disconnect", zmq_sys::zmq_disconnect)
    }

    /// The endpoint last bound or connected, with the actual port of a
    /// wildcard bind.
    #[doc(alias = "ZMQ_LAST_ENDPOINT")]
    pub fn last_endpoint(&self) -> Result<String> {
        self.get(sockopt::LastEndpoint)
    }

    /// Reads a socket option; see [`sockopt`](crate::sockopt).
    #[doc(alias = "zmq_getsockopt")]
    pub fn get<O: GetOption>(&self, _option: O) -> Result<O::Value> {
        // SAFETY: the socket is live.
        unsafe { raw_socket::get_option::<O>(self.as_raw()) }
    }

    /// Writes a socket option; see [`sockopt`](crate::sockopt).
    #[doc(alias = "zmq_setsockopt")]
    pub fn set<O: SetOption>(&self, _option: O, value: O::Input<'_>) -> Result<()> {
        // SAFETY: the socket is live.
        unsafe { raw_socket::set_option::<O>(self.as_raw(), value) }
    }

    /// Subscribes a SUB socket to messages starting with `prefix` (empty:
    /// all messages); sets `ZMQ_SUBSCRIBE`.
    ///
    /// ```
    /// use zmq::SocketType;
    ///
    /// let ctx = zmq::Context::new()?;
    /// // An XPUB publisher sees subscriptions arrive, so nothing published
    /// // before the subscriber is ready is lost.
    /// let publisher = ctx.socket(SocketType::Xpub)?;
    /// publisher.bind("inproc://doc-subscribe")?;
    /// let subscriber = ctx.socket(SocketType::Sub)?;
    /// subscriber.connect("inproc://doc-subscribe")?;
    ///
    /// subscriber.subscribe("weather")?;
    /// assert_eq!(publisher.recv_bytes()?, b"\x01weather");
    /// publisher.send("sports: 2-1")?;
    /// publisher.send("weather: sunny")?;
    /// assert_eq!(subscriber.recv_string()?, "weather: sunny");
    ///
    /// subscriber.unsubscribe("weather")?;
    /// assert_eq!(publisher.recv_bytes()?, b"\x00weather");
    /// # Ok::<(), zmq::Error>(())
    /// ```
    #[doc(alias = "ZMQ_SUBSCRIBE")]
    pub fn subscribe(&self, prefix: impl AsRef<[u8]>) -> Result<()> {
        self.set(sockopt::Subscribe, prefix.as_ref())
    }

    /// Removes a subscription made with [`subscribe`](Self::subscribe); sets
    /// `ZMQ_UNSUBSCRIBE`. Each `subscribe` of a prefix needs its own
    /// `unsubscribe`.
    ///
    /// ```
    /// use zmq::SocketType;
    ///
    /// let ctx = zmq::Context::new()?;
    /// let publisher = ctx.socket(SocketType::Xpub)?;
    /// publisher.bind("inproc://doc-unsubscribe")?;
    /// let subscriber = ctx.socket(SocketType::Sub)?;
    /// subscriber.connect("inproc://doc-unsubscribe")?;
    /// subscriber.subscribe("")?;
    /// subscriber.subscribe("news")?;
    /// subscriber.unsubscribe("")?;
    /// // The publisher has seen all three, in order.
    /// for expected in [&b"\x01"[..], b"\x01news", b"\x00"] {
    ///     assert_eq!(publisher.recv_bytes()?, expected);
    /// }
    /// publisher.send("weather: rain")?;
    /// publisher.send("news: none")?;
    /// assert_eq!(subscriber.recv_string()?, "news: none");
    /// # Ok::<(), zmq::Error>(())
    /// ```
    #[doc(alias = "ZMQ_UNSUBSCRIBE")]
    pub fn unsubscribe(&self, prefix: impl AsRef<[u8]>) -> Result<()> {
        self.set(sockopt::Unsubscribe, prefix.as_ref())
    }

    /// True if the last frame received has more parts after it.
    #[doc(alias = "ZMQ_RCVMORE")]
    pub fn more(&self) -> Result<bool> {
        self.get(sockopt::RcvMore)
    }

    /// Waits up to `timeout` (`None`: forever) for any of `events`; returns
    /// those that are ready (empty on timeout). It is [`poll`](crate::poll)
    /// on one item: a timeout too long for libzmq is an
    /// [`InvalidInput`](crate::ErrorKind::InvalidInput) error.
    ///
    /// ```
    /// use std::time::Duration;
    /// use zmq::{PollEvents, RecvFlags, SocketType};
    ///
    /// let ctx = zmq::Context::new()?;
    /// let pull = ctx.socket(SocketType::Pull)?;
    /// pull.bind("inproc://doc-socket-poll")?;
    /// let push = ctx.socket(SocketType::Push)?;
    /// push.connect("inproc://doc-socket-poll")?;
    ///
    /// // Nothing to receive yet: the poll times out with no events.
    /// assert!(pull.poll(PollEvents::POLLIN, Some(Duration::from_millis(10)))?.is_empty());
    /// push.send("ready")?;
    /// let events = pull.poll(PollEvents::POLLIN, Some(Duration::from_secs(5)))?;
    /// assert!(events.contains(PollEvents::POLLIN));
    /// assert_eq!(pull.recv_string_with(RecvFlags::DONTWAIT)?, "ready");
    /// # Ok::<(), zmq::Error>(())
    /// ```
    #[doc(alias = "zmq_poll")]
    pub fn poll(&self, events: PollEvents, timeout: Option<Duration>) -> Result<PollEvents> {
        let mut items = [crate::poll::PollItem::from_socket(self, events)];
        crate::poll::poll(&mut items, timeout)?;
        Ok(items[0].revents())
    }

    /// Starts publishing this socket's `events` on a PAIR socket bound at
    /// `endpoint` (an `inproc://` address); decode them with
    /// [`MonitorEvent`](crate::MonitorEvent), or let
    /// [`Monitor`](crate::Monitor) do all of it.
    #[doc(alias = "zmq_socket_monitor")]
    pub fn monitor(&self, endpoint: &str, events: crate::MonitorEvents) -> Result<()> {
        let c_endpoint = endpoint_cstring(endpoint)?;
        // SAFETY: the socket is live and the endpoint NUL-terminated.
        check(unsafe {
            zmq_sys::zmq_socket_monitor(self.as_raw(), c_endpoint.as_ptr(), events.bits())
        })
        .map(drop)
        .map_err(|e| e.context(format!("monitor {}", crate::error::quote(endpoint))))
    }

    /// Closes the socket and reports an error, which `Drop` cannot. Unsent
    /// messages are kept for the socket's `ZMQ_LINGER` time, in the
    /// background; the context cannot terminate before that.
    ///
    /// Linger covers the messages still queued in the socket, not the bytes
    /// libzmq's I/O thread has already taken into its output batch over
    /// `tcp` or `ipc`: when the kernel's send buffer is full at that moment,
    /// they can be dropped with the connection, even with an infinite linger
    /// (libzmq issues 1264 and 1922). A sender that must know everything
    /// arrived waits for the peer to say so before closing. Measured with
    /// the perf ports (`remote_thr` closing right after its last send of
    /// 200,000 messages of 1 KiB): with libzmq's 8 KiB batch, 1 run in 10
    /// lost messages when the kernel's buffers were 4 KiB; with a 1 MiB
    /// `sockopt::OutBatchSize` (feature `draft`), 7 runs in 7 with 64 KiB
    /// kernel buffers, and 1 in 300 with the kernel's default ones.
    ///
    /// ```
    /// use zmq::{SocketType, sockopt};
    ///
    /// let ctx = zmq::Context::new()?;
    /// let push = ctx.socket(SocketType::Push)?;
    /// push.set(sockopt::Linger, Some(std::time::Duration::ZERO))?;
    /// push.connect("inproc://doc-close")?;
    /// push.close()?;
    /// // The context terminates once its last handle is gone too.
    /// drop(ctx);
    /// # Ok::<(), zmq::Error>(())
    /// ```
    #[doc(alias = "zmq_close")]
    pub fn close(self) -> Result<()> {
        let this = std::mem::ManuallyDrop::new(self);
        // SAFETY: the socket is live and closed exactly once: Drop will not
        // run for it.
        let rc = unsafe { raw_socket::close(this.as_raw()) };
        // SAFETY: `ctx` is read out exactly once and the rest is plain data;
        // dropping it releases this socket's hold on the context.
        drop(unsafe { std::ptr::read(&this.ctx) });
        rc
    }
}

impl Socket {
    /// Gives the socket up to a background thread of its context: the raw
    /// socket, which no longer holds the context, and the context handle
    /// it held, for the caller to drop once the thread is registered.
    pub(crate) fn into_internal(self) -> (crate::context::InternalSocket, Context) {
        let this = std::mem::ManuallyDrop::new(self);
        // SAFETY: `ctx` is read out exactly once and Drop will not run; the
        // raw socket moves to the InternalSocket, which closes it.
        let ctx = unsafe { std::ptr::read(&this.ctx) };
        (crate::context::InternalSocket::from_raw(this.raw), ctx)
    }
}

impl Drop for Socket {
    fn drop(&mut self) {
        // SAFETY: the socket is live and closed exactly once, here. The only
        // failure (ENOTSOCK) cannot happen for a live socket.
        let _ = unsafe { raw_socket::close(self.as_raw()) };
    }
}
