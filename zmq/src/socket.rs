//! `Socket`: one libzmq socket, owned by one thread at a time.

use std::cell::Cell;
use std::ffi::{c_int, c_void};
use std::marker::PhantomData;
use std::ptr::NonNull;
use std::time::Duration;

use crate::context::Context;
use crate::error::{Error, Result, check, check_ptr};
use crate::flags::{PollEvents, RecvFlags, SendFlags};
use crate::message::Message;
use crate::raw_socket::{self, EndpointFn, endpoint_cstring};
use crate::sockopt::{self, GetOption, SetOption};

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
/// ```
/// use zmq::{RecvFlags, SendFlags, SocketType};
///
/// let ctx = zmq::Context::new()?;
/// let server = ctx.socket(SocketType::Rep)?;
/// server.bind("inproc://doc-socket")?;
/// let client = ctx.socket(SocketType::Req)?;
/// client.connect("inproc://doc-socket")?;
///
/// client.send("Hello", SendFlags::empty())?;
/// assert_eq!(server.recv_string(RecvFlags::empty())?, "Hello");
/// server.send("World", SendFlags::empty())?;
/// assert_eq!(client.recv_bytes(RecvFlags::empty())?, b"World");
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
        // SAFETY: the context is live (we hold a handle to it).
        let raw = check_ptr(unsafe { zmq_sys::zmq_socket(ctx.as_raw(), kind.to_raw()) })?;
        Ok(Self {
            raw,
            ctx,
            #[cfg(feature = "draft")]
            dgram: kind == SocketType::Dgram,
            _not_sync: PhantomData,
        })
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
        self.endpoint_call(endpoint, "bind", zmq_sys::zmq_bind)
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
    /// use zmq::{RecvFlags, SendFlags, SocketType};
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
    /// assert_eq!(publisher.recv_bytes(RecvFlags::empty())?, b"\x01weather");
    /// publisher.send("sports: 2-1", SendFlags::empty())?;
    /// publisher.send("weather: sunny", SendFlags::empty())?;
    /// assert_eq!(subscriber.recv_string(RecvFlags::empty())?, "weather: sunny");
    ///
    /// subscriber.unsubscribe("weather")?;
    /// assert_eq!(publisher.recv_bytes(RecvFlags::empty())?, b"\x00weather");
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
    /// use zmq::{RecvFlags, SendFlags, SocketType};
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
    ///     assert_eq!(publisher.recv_bytes(RecvFlags::empty())?, expected);
    /// }
    /// publisher.send("weather: rain", SendFlags::empty())?;
    /// publisher.send("news: none", SendFlags::empty())?;
    /// assert_eq!(subscriber.recv_string(RecvFlags::empty())?, "news: none");
    /// # Ok::<(), zmq::Error>(())
    /// ```
    #[doc(alias = "ZMQ_UNSUBSCRIBE")]
    pub fn unsubscribe(&self, prefix: impl AsRef<[u8]>) -> Result<()> {
        self.set(sockopt::Unsubscribe, prefix.as_ref())
    }

    /// Sends one frame: bytes, text, an owned buffer (handed over without a
    /// copy when large) or a [`Message`].
    #[doc(alias = "zmq_send")]
    #[inline]
    pub fn send(&self, data: impl Sendable, flags: SendFlags) -> Result<()> {
        data.send_on(self, flags)
    }

    /// Sends every item as one frame of a multipart message.
    ///
    /// Frames go out one by one, all but the last with `SNDMORE`. For this
    /// crate's own [`Sendable`] types no frame can fail on the crate's side
    /// once the first is out: a DGRAM socket (feature `draft`), whose frames
    /// this crate checks against the UDP datagram size, has every frame
    /// checked, and the count of two (address, body) too, before the first
    /// is sent. So an error leaves a partial message behind only if libzmq
    /// itself fails a later frame (the context shut down) or a
    /// [`Sendable`] of your own fails in [`send_on`](Sendable::send_on)
    /// after the first frame: the frames already sent then wait for the
    /// rest, and the next frame sent on the socket joins them.
    ///
    /// ```
    /// # use zmq::{SocketType, SendFlags, RecvFlags};
    /// # let ctx = zmq::Context::new()?;
    /// # let a = ctx.socket(SocketType::Pair)?;
    /// # a.bind("inproc://doc-multipart")?;
    /// # let b = ctx.socket(SocketType::Pair)?;
    /// # b.connect("inproc://doc-multipart")?;
    /// a.send_multipart(["key", "value"], SendFlags::empty())?;
    /// assert_eq!(b.recv_multipart(RecvFlags::empty())?, [b"key".to_vec(), b"value".to_vec()]);
    /// # Ok::<(), zmq::Error>(())
    /// ```
    pub fn send_multipart<I>(&self, parts: I, flags: SendFlags) -> Result<()>
    where
        I: IntoIterator,
        I::Item: Sendable,
    {
        #[cfg(feature = "draft")]
        if self.dgram {
            return self.send_datagram_parts(parts.into_iter().collect(), flags);
        }
        self.send_parts(parts, flags)
    }

    /// A DGRAM message: checks that there are two frames (address, body) and
    /// that each fits a UDP datagram before sending the first, so a refused
    /// frame never leaves the address frame waiting for its body.
    #[cfg(feature = "draft")]
    #[cold]
    fn send_datagram_parts<T: Sendable>(&self, parts: Vec<T>, flags: SendFlags) -> Result<()> {
        if parts.len() != 2 {
            return Err(Error::invalid_input(format!(
                "a DGRAM message is an address frame and a body frame, not {} frames",
                parts.len()
            )));
        }
        for size in parts.iter().filter_map(Sendable::frame_size) {
            raw_socket::check_udp_datagram_size(size)?;
        }
        self.send_parts(parts, flags)
    }

    fn send_parts<I>(&self, parts: I, flags: SendFlags) -> Result<()>
    where
        I: IntoIterator,
        I::Item: Sendable,
    {
        let mut parts = parts.into_iter().peekable();
        while let Some(part) = parts.next() {
            let more = if parts.peek().is_some() {
                SendFlags::SNDMORE
            } else {
                SendFlags::empty()
            };
            part.send_on(self, flags | more)?;
        }
        Ok(())
    }

    /// Sends bytes by copy (`zmq_send`).
    #[inline]
    fn send_bytes(&self, data: &[u8], flags: SendFlags) -> Result<()> {
        #[cfg(feature = "draft")]
        if self.dgram {
            raw_socket::check_udp_datagram_size(data.len())?;
        }
        // SAFETY: the socket is live; data points at data.len() readable
        // bytes, which libzmq copies before returning.
        check(unsafe {
            zmq_sys::zmq_send(
                self.as_raw(),
                data.as_ptr().cast(),
                data.len(),
                flags.bits(),
            )
        })
        .map(drop)
    }

    /// Sends a message (`zmq_msg_send`), which libzmq takes over on success.
    #[inline]
    fn send_message(&self, msg: Message, flags: SendFlags) -> Result<()> {
        #[cfg(feature = "draft")]
        if self.dgram {
            raw_socket::check_udp_datagram_size(msg.len())?;
        }
        // SAFETY: the socket is live.
        unsafe { raw_socket::send_message(self.as_raw(), msg, flags) }
    }

    /// Receives one frame into `msg`, replacing its content; the cheapest
    /// way to receive in a loop.
    #[doc(alias = "zmq_msg_recv")]
    #[inline]
    pub fn recv_msg(&self, msg: &mut Message, flags: RecvFlags) -> Result<()> {
        // SAFETY: the socket is live.
        unsafe { raw_socket::recv_message(self.as_raw(), msg, flags) }
    }

    /// Receives one frame as a new [`Message`].
    #[doc(alias = "zmq_msg_recv")]
    pub fn recv(&self, flags: RecvFlags) -> Result<Message> {
        let mut msg = Message::new();
        self.recv_msg(&mut msg, flags)?;
        Ok(msg)
    }

    /// Receives one frame into `buffer` and returns the frame's full size:
    /// if that is larger than `buffer`, the rest was discarded.
    ///
    /// ```
    /// # use zmq::{SocketType, SendFlags, RecvFlags};
    /// # let ctx = zmq::Context::new()?;
    /// # let a = ctx.socket(SocketType::Pair)?;
    /// # a.bind("inproc://doc-recv-into")?;
    /// # let b = ctx.socket(SocketType::Pair)?;
    /// # b.connect("inproc://doc-recv-into")?;
    /// a.send("0123456789", SendFlags::empty())?;
    /// let mut buffer = [0u8; 4];
    /// let size = b.recv_into(&mut buffer, RecvFlags::empty())?;
    /// assert_eq!((size, &buffer), (10, b"0123"));
    /// # Ok::<(), zmq::Error>(())
    /// ```
    #[doc(alias = "zmq_recv")]
    pub fn recv_into(&self, buffer: &mut [u8], flags: RecvFlags) -> Result<usize> {
        // SAFETY: the socket is live; libzmq writes at most buffer.len()
        // bytes into the buffer.
        let size = check(unsafe {
            zmq_sys::zmq_recv(
                self.as_raw(),
                buffer.as_mut_ptr().cast(),
                buffer.len(),
                flags.bits(),
            )
        })?;
        // A successful zmq_recv returns the (non-negative) frame size.
        Ok(usize::try_from(size).unwrap_or(0))
    }

    /// Receives one frame as a vector.
    pub fn recv_bytes(&self, flags: RecvFlags) -> Result<Vec<u8>> {
        self.recv(flags).map(|msg| msg.to_vec())
    }

    /// Receives one frame as UTF-8 text; [`ErrorKind::InvalidUtf8`](crate::ErrorKind::InvalidUtf8) if it is
    /// not.
    pub fn recv_string(&self, flags: RecvFlags) -> Result<String> {
        let bytes = self.recv_bytes(flags)?;
        String::from_utf8(bytes).map_err(|_| Error::invalid_utf8("received frame is not UTF-8"))
    }

    /// Receives every frame of a multipart message (with `flags` for each
    /// frame). If a frame after the first fails, the frames received
    /// are lost with the error and the rest of the message stays queued.
    ///
    /// ```
    /// use zmq::{ErrorKind, RecvFlags, SendFlags, SocketType};
    ///
    /// let ctx = zmq::Context::new()?;
    /// let router = ctx.socket(SocketType::Router)?;
    /// router.bind("inproc://doc-recv-multipart")?;
    /// let dealer = ctx.socket(SocketType::Dealer)?;
    /// dealer.set(zmq::sockopt::RoutingId, b"A")?;
    /// dealer.connect("inproc://doc-recv-multipart")?;
    ///
    /// dealer.send_multipart(["", "hello"], SendFlags::empty())?;
    /// // The ROUTER puts the sender's routing id in front.
    /// let frames = router.recv_multipart(RecvFlags::empty())?;
    /// assert_eq!(frames, [&b"A"[..], b"", b"hello"]);
    /// let error = router.recv_multipart(RecvFlags::DONTWAIT).unwrap_err();
    /// assert_eq!(error.kind(), ErrorKind::Again);
    /// # Ok::<(), zmq::Error>(())
    /// ```
    pub fn recv_multipart(&self, flags: RecvFlags) -> Result<Vec<Vec<u8>>> {
        let mut parts = Vec::new();
        let mut msg = Message::new();
        loop {
            self.recv_msg(&mut msg, flags)?;
            parts.push(msg.to_vec());
            if !msg.more() {
                return Ok(parts);
            }
        }
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
    /// use zmq::{PollEvents, RecvFlags, SendFlags, SocketType};
    ///
    /// let ctx = zmq::Context::new()?;
    /// let pull = ctx.socket(SocketType::Pull)?;
    /// pull.bind("inproc://doc-socket-poll")?;
    /// let push = ctx.socket(SocketType::Push)?;
    /// push.connect("inproc://doc-socket-poll")?;
    ///
    /// // Nothing to receive yet: the poll times out with no events.
    /// assert!(pull.poll(PollEvents::POLLIN, Some(Duration::from_millis(10)))?.is_empty());
    /// push.send("ready", SendFlags::empty())?;
    /// let events = pull.poll(PollEvents::POLLIN, Some(Duration::from_secs(5)))?;
    /// assert!(events.contains(PollEvents::POLLIN));
    /// assert_eq!(pull.recv_string(RecvFlags::DONTWAIT)?, "ready");
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
        .map_err(|e| e.context(format!("monitor {endpoint:?}")))
    }

    /// Closes the socket and reports an error, which `Drop` cannot. Unsent
    /// messages are kept for the socket's `ZMQ_LINGER` time, in the
    /// background; the context cannot terminate before that.
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
        let rc = check(unsafe { zmq_sys::zmq_close(this.as_raw()) }).map(drop);
        // SAFETY: `ctx` is read out exactly once and the rest is plain data;
        // dropping it releases this socket's hold on the context.
        drop(unsafe { std::ptr::read(&this.ctx) });
        rc
    }
}

impl Drop for Socket {
    fn drop(&mut self) {
        // SAFETY: the socket is live and closed exactly once, here. The only
        // failure (ENOTSOCK) cannot happen for a live socket.
        unsafe { zmq_sys::zmq_close(self.as_raw()) };
    }
}

/// Something that can be sent as one frame.
///
/// Borrowed bytes and text are copied; owned buffers (`Vec<u8>`, `String`,
/// `Box<[u8]>`) and [`Message`]s are handed to libzmq without a copy. A
/// `&mut Message` hands its content over too and is left empty, ready to
/// receive into again.
pub trait Sendable {
    /// Sends `self` on `socket` as one frame.
    fn send_on(self, socket: &Socket, flags: SendFlags) -> Result<()>;

    /// The size in bytes of the frame `self` makes, if known without
    /// sending it. [`Socket::send_multipart`] checks it for every frame
    /// before sending the first where the socket limits frame sizes
    /// (DGRAM). The default, `None`, leaves the check to `send_on`.
    fn frame_size(&self) -> Option<usize> {
        None
    }
}

impl Sendable for &[u8] {
    #[inline]
    fn send_on(self, socket: &Socket, flags: SendFlags) -> Result<()> {
        socket.send_bytes(self, flags)
    }

    #[inline]
    fn frame_size(&self) -> Option<usize> {
        Some(self.len())
    }
}

impl<const N: usize> Sendable for &[u8; N] {
    #[inline]
    fn send_on(self, socket: &Socket, flags: SendFlags) -> Result<()> {
        socket.send_bytes(self, flags)
    }

    #[inline]
    fn frame_size(&self) -> Option<usize> {
        Some(N)
    }
}

impl<const N: usize> Sendable for [u8; N] {
    #[inline]
    fn send_on(self, socket: &Socket, flags: SendFlags) -> Result<()> {
        socket.send_bytes(&self, flags)
    }

    #[inline]
    fn frame_size(&self) -> Option<usize> {
        Some(N)
    }
}

impl Sendable for &str {
    #[inline]
    fn send_on(self, socket: &Socket, flags: SendFlags) -> Result<()> {
        socket.send_bytes(self.as_bytes(), flags)
    }

    #[inline]
    fn frame_size(&self) -> Option<usize> {
        Some(self.len())
    }
}

impl Sendable for &String {
    #[inline]
    fn send_on(self, socket: &Socket, flags: SendFlags) -> Result<()> {
        socket.send_bytes(self.as_bytes(), flags)
    }

    #[inline]
    fn frame_size(&self) -> Option<usize> {
        Some(self.len())
    }
}

impl Sendable for &Vec<u8> {
    #[inline]
    fn send_on(self, socket: &Socket, flags: SendFlags) -> Result<()> {
        socket.send_bytes(self, flags)
    }

    #[inline]
    fn frame_size(&self) -> Option<usize> {
        Some(self.len())
    }
}

impl Sendable for Vec<u8> {
    #[inline]
    fn send_on(self, socket: &Socket, flags: SendFlags) -> Result<()> {
        socket.send_message(Message::from(self), flags)
    }

    #[inline]
    fn frame_size(&self) -> Option<usize> {
        Some(self.len())
    }
}

impl Sendable for String {
    #[inline]
    fn send_on(self, socket: &Socket, flags: SendFlags) -> Result<()> {
        socket.send_message(Message::from(self), flags)
    }

    #[inline]
    fn frame_size(&self) -> Option<usize> {
        Some(self.len())
    }
}

impl Sendable for Box<[u8]> {
    #[inline]
    fn send_on(self, socket: &Socket, flags: SendFlags) -> Result<()> {
        socket.send_message(Message::from(self), flags)
    }

    #[inline]
    fn frame_size(&self) -> Option<usize> {
        Some(self.len())
    }
}

impl Sendable for Message {
    #[inline]
    fn send_on(self, socket: &Socket, flags: SendFlags) -> Result<()> {
        socket.send_message(self, flags)
    }

    #[inline]
    fn frame_size(&self) -> Option<usize> {
        Some(self.len())
    }
}

/// Sends the message's content and leaves the message empty, as
/// `zmq_msg_send` does: one [`Message`] can receive, be sent on, and receive
/// again, the way libzmq's own echo loops reuse one `zmq_msg_t`. If sending
/// fails (say with [`ErrorKind::Again`](crate::ErrorKind::Again) under
/// `DONTWAIT`), the message keeps its content, to be sent again.
///
/// ```
/// # use zmq::{Message, RecvFlags, SendFlags, SocketType};
/// # let ctx = zmq::Context::new()?;
/// # let client = ctx.socket(SocketType::Req)?;
/// # client.bind("inproc://doc-send-mut")?;
/// # let server = ctx.socket(SocketType::Rep)?;
/// # server.connect("inproc://doc-send-mut")?;
/// client.send("ping", SendFlags::empty())?;
/// let mut msg = Message::new();
/// server.recv_msg(&mut msg, RecvFlags::empty())?;
/// server.send(&mut msg, SendFlags::empty())?; // echo it back
/// assert!(msg.is_empty());
/// assert_eq!(client.recv_bytes(RecvFlags::empty())?, b"ping");
/// # Ok::<(), zmq::Error>(())
/// ```
impl Sendable for &mut Message {
    #[inline]
    fn send_on(self, socket: &Socket, flags: SendFlags) -> Result<()> {
        #[cfg(feature = "draft")]
        if socket.dgram {
            raw_socket::check_udp_datagram_size(self.len())?;
        }
        // SAFETY: the socket is live (borrowed for the call).
        unsafe { raw_socket::send_message_in_place(socket.as_raw(), self, flags) }
    }

    #[inline]
    fn frame_size(&self) -> Option<usize> {
        Some(self.len())
    }
}

#[cfg(feature = "bytes")]
impl Sendable for bytes::Bytes {
    #[inline]
    fn send_on(self, socket: &Socket, flags: SendFlags) -> Result<()> {
        socket.send_message(Message::from(self), flags)
    }

    #[inline]
    fn frame_size(&self) -> Option<usize> {
        Some(self.len())
    }
}
