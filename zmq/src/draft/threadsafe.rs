//! `ThreadSafeSocket`: the draft socket types libzmq makes thread-safe.

use std::ffi::{c_int, c_void};
use std::ptr::NonNull;
use std::sync::{PoisonError, RwLock};

use crate::context::Context;
use crate::error::{Error, ErrorKind, Result, check, check_ptr};
use crate::flags::{RecvFlags, SendFlags};
use crate::message::{Message, group_cstring};
use crate::raw_socket;
use crate::sockopt::{self, GetOption, SetOption, SocketOption};

/// The draft socket types that libzmq makes thread-safe.
///
/// Their messages are single frames: routing is carried by the message's
/// [`routing_id`](Message::routing_id) (SERVER, PEER) or
/// [`group`](Message::group) (RADIO, DISH) instead of envelope frames.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ThreadSafeType {
    /// `ZMQ_SERVER`: answers many CLIENTs, addressing each by routing id.
    Server,
    /// `ZMQ_CLIENT`: talks to SERVERs, round-robin out, fair-queued in.
    Client,
    /// `ZMQ_RADIO`: publishes messages to groups.
    Radio,
    /// `ZMQ_DISH`: receives the groups it has joined.
    Dish,
    /// `ZMQ_GATHER`: fair-queues messages from SCATTERs.
    Gather,
    /// `ZMQ_SCATTER`: round-robins messages to GATHERs.
    Scatter,
    /// `ZMQ_PEER`: many-to-many; connects return the peer's routing id.
    Peer,
    /// `ZMQ_CHANNEL`: exclusive pair, the thread-safe PAIR.
    Channel,
}

impl ThreadSafeType {
    /// The `ZMQ_*` number.
    pub const fn to_raw(self) -> c_int {
        match self {
            Self::Server => zmq_sys::ZMQ_SERVER,
            Self::Client => zmq_sys::ZMQ_CLIENT,
            Self::Radio => zmq_sys::ZMQ_RADIO,
            Self::Dish => zmq_sys::ZMQ_DISH,
            Self::Gather => zmq_sys::ZMQ_GATHER,
            Self::Scatter => zmq_sys::ZMQ_SCATTER,
            Self::Peer => zmq_sys::ZMQ_PEER,
            Self::Channel => zmq_sys::ZMQ_CHANNEL,
        }
    }

    /// The type for a `ZMQ_*` number; `Err` for numbers of other types.
    pub fn from_raw(raw: c_int) -> Result<Self> {
        const ALL: [ThreadSafeType; 8] = [
            ThreadSafeType::Server,
            ThreadSafeType::Client,
            ThreadSafeType::Radio,
            ThreadSafeType::Dish,
            ThreadSafeType::Gather,
            ThreadSafeType::Scatter,
            ThreadSafeType::Peer,
            ThreadSafeType::Channel,
        ];
        ALL.into_iter()
            .find(|kind| kind.to_raw() == raw)
            .ok_or_else(|| Error::invalid_input(format!("{raw} is not a thread-safe socket type")))
    }
}

/// A socket of a [`ThreadSafeType`]: `Send` and `Sync`, so one socket can
/// be shared between threads (for instance in an `Arc`) and used from all
/// of them at once.
///
/// It has no `ZMQ_FD`: wait on it with a [`Poller`](crate::Poller). Every
/// message is a single frame, so there is no `SNDMORE` and no multipart.
///
/// Sending and receiving follow [`Socket`](crate::Socket)'s rule: the plain
/// call blocks and takes no flags (`send`, `send_to`, `send_to_group`,
/// `recv`, `recv_msg`), its `_with` form takes flags (`DONTWAIT`).
///
/// ```
/// use zmq::{ErrorKind, RecvFlags, ThreadSafeType};
///
/// let ctx = zmq::Context::new()?;
/// let server = ctx.thread_safe_socket(ThreadSafeType::Server)?;
/// server.bind("inproc://doc-thread-safe")?;
/// let client = ctx.thread_safe_socket(ThreadSafeType::Client)?;
/// client.connect("inproc://doc-thread-safe")?;
///
/// client.send("ping")?;
/// let request = server.recv()?;
/// let peer = request.routing_id().expect("SERVER stamps a routing id");
/// server.send_to(peer, "pong")?;
/// assert_eq!(client.recv()?, "pong");
/// let error = client.recv_with(RecvFlags::DONTWAIT).unwrap_err();
/// assert_eq!(error.kind(), ErrorKind::Again);
/// # Ok::<(), zmq::Error>(())
/// ```
pub struct ThreadSafeSocket {
    raw: NonNull<c_void>,
    kind: ThreadSafeType,
    /// True once a RADIO socket has bound or connected a `udp://` endpoint
    /// (see [`check_udp_datagram`]). RADIO sends hold the read lock while
    /// they check and send, udp binds and connects hold the write lock, so
    /// no unchecked message can reach a UDP pipe, whatever the threads do.
    udp: RwLock<bool>,
    /// Keeps the context alive until this socket is closed.
    ctx: Context,
}

/// The longest group a UDP receiver of libzmq 4.3.5 survives: its engine
/// reads the group length as a signed `char` and aborts the receiving
/// process on 128 bytes or more. Together with the datagram size
/// ([`raw_socket::check_udp_datagram_size`]) a RADIO socket that uses UDP
/// refuses such messages up front.
const UDP_GROUP_MAX: usize = 127;

fn check_udp_datagram(msg: &Message) -> Result<()> {
    let group = msg.raw_group().to_bytes().len();
    if group > UDP_GROUP_MAX {
        return Err(Error::invalid_input(format!(
            "a group of {group} bytes over udp:// would crash libzmq 4.3.5 receivers \
             (at most {UDP_GROUP_MAX})"
        )));
    }
    // One length byte, the group, the body.
    raw_socket::check_udp_datagram_size(1 + group + msg.len())
}

// SAFETY: the pointer is a socket of a thread-safe type (the constructor
// only makes those). libzmq guards every API entry point of such a socket
// (bind, connect, send, recv, get/setsockopt, join, leave, close and the
// poller's signaler registration) with the socket's own mutex, so it may be
// used from any thread (Send) and from several threads at once (Sync). The
// context it refers to is thread-safe too.
unsafe impl Send for ThreadSafeSocket {}
// SAFETY: see `Send` above: concurrent calls through `&ThreadSafeSocket`
// are serialised by libzmq. Closing needs ownership (`close(self)`/Drop),
// so no other thread can be using the socket then.
unsafe impl Sync for ThreadSafeSocket {}

impl std::fmt::Debug for ThreadSafeSocket {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ThreadSafeSocket")
            .field("type", &self.kind)
            .field("raw", &self.raw)
            .finish()
    }
}

impl Context {
    /// Creates a thread-safe socket of a draft type (feature `draft`).
    #[doc(alias = "zmq_socket")]
    pub fn thread_safe_socket(&self, kind: ThreadSafeType) -> Result<ThreadSafeSocket> {
        // SAFETY: the context is live (we hold a handle to it).
        let raw = check_ptr(unsafe { zmq_sys::zmq_socket(self.as_raw(), kind.to_raw()) })?;
        Ok(ThreadSafeSocket {
            raw,
            kind,
            udp: RwLock::new(false),
            ctx: self.clone(),
        })
    }
}

impl ThreadSafeSocket {
    /// The socket's type.
    pub fn socket_type(&self) -> ThreadSafeType {
        self.kind
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

    fn endpoint_call(
        &self,
        endpoint: &str,
        what: &'static str,
        call: raw_socket::EndpointFn,
    ) -> Result<()> {
        if self.kind == ThreadSafeType::Radio && endpoint.starts_with("udp://") {
            let mut udp = self.udp.write().unwrap_or_else(PoisonError::into_inner);
            *udp = true;
            // SAFETY: the socket is live.
            return unsafe { raw_socket::endpoint_call(self.as_raw(), endpoint, what, call) };
        }
        // SAFETY: the socket is live.
        unsafe { raw_socket::endpoint_call(self.as_raw(), endpoint, what, call) }
    }

    /// Accepts connections on `endpoint`.
    #[doc(alias = "zmq_bind")]
    pub fn bind(&self, endpoint: &str) -> Result<()> {
        self.endpoint_call(endpoint, "bind", zmq_sys::zmq_bind)
    }

    /// Connects to `endpoint` in the background. On a PEER socket use
    /// [`connect_peer`](Self::connect_peer), which also returns the peer's
    /// routing id.
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
    pub fn last_endpoint(&self) -> Result<String> {
        self.get(sockopt::LastEndpoint)
    }

    /// Connects a PEER socket to `endpoint` and returns the routing id that
    /// addresses this peer in [`send_to`](Self::send_to).
    #[doc(alias = "zmq_connect_peer")]
    pub fn connect_peer(&self, endpoint: &str) -> Result<u32> {
        let c_endpoint = raw_socket::endpoint_cstring(endpoint)?;
        // SAFETY: the socket is live and the endpoint NUL-terminated.
        let id = unsafe { zmq_sys::zmq_connect_peer(self.as_raw(), c_endpoint.as_ptr()) };
        if id == 0 {
            let e = Error::last();
            let e = if e.kind() == ErrorKind::InvalidInput {
                e.with_kind(ErrorKind::InvalidEndpoint)
            } else {
                e
            };
            return Err(e.context(format!("connect_peer {endpoint:?}")));
        }
        Ok(id)
    }

    /// Reads a socket option; see [`sockopt`](crate::sockopt).
    /// [`sockopt::Fd`] is refused: thread-safe sockets have no file
    /// descriptor, poll them with a [`Poller`](crate::Poller).
    #[doc(alias = "zmq_getsockopt")]
    pub fn get<O: GetOption>(&self, _option: O) -> Result<O::Value> {
        if O::ID == sockopt::Fd::ID {
            return Err(Error::invalid_input(
                "ZMQ_FD: thread-safe sockets have no file descriptor; use zmq::Poller",
            )
            .with_kind(ErrorKind::NotSupported));
        }
        // SAFETY: the socket is live.
        unsafe { raw_socket::get_option::<O>(self.as_raw()) }
    }

    /// Writes a socket option; see [`sockopt`](crate::sockopt).
    #[doc(alias = "zmq_setsockopt")]
    pub fn set<O: SetOption>(&self, _option: O, value: O::Input<'_>) -> Result<()> {
        // SAFETY: the socket is live.
        unsafe { raw_socket::set_option::<O>(self.as_raw(), value) }
    }

    /// Sends one single-frame message, blocking: bytes, text, an owned
    /// buffer (handed over without a copy) or a [`Message`] (with its
    /// routing id or group). The same as [`send_with`](Self::send_with)
    /// with no flags.
    #[doc(alias = "zmq_msg_send")]
    #[inline]
    pub fn send(&self, data: impl Into<Message>) -> Result<()> {
        self.send_with(data, SendFlags::empty())
    }

    /// Sends one single-frame message with `flags`:
    /// [`SendFlags::DONTWAIT`] fails with [`ErrorKind::Again`] instead of
    /// blocking; `SNDMORE` is refused, as these types have no multipart
    /// messages. A RADIO socket using `udp://` refuses messages that do
    /// not fit one 8192-byte datagram and groups over 127 bytes, which
    /// libzmq 4.3.5's UDP transport mishandles.
    #[doc(alias = "zmq_msg_send")]
    pub fn send_with(&self, data: impl Into<Message>, flags: SendFlags) -> Result<()> {
        if flags.contains(SendFlags::SNDMORE) {
            return Err(Error::invalid_input(
                "thread-safe sockets send single frames: SNDMORE is not allowed",
            ));
        }
        let msg = data.into();
        if self.kind == ThreadSafeType::Radio {
            let udp = self.udp.read().unwrap_or_else(PoisonError::into_inner);
            if *udp {
                check_udp_datagram(&msg)?;
            }
            // SAFETY: the socket is live.
            return unsafe { raw_socket::send_message(self.as_raw(), msg, flags) };
        }
        // SAFETY: the socket is live.
        unsafe { raw_socket::send_message(self.as_raw(), msg, flags) }
    }

    /// Sends `data` to the peer with `routing_id` (SERVER, PEER), blocking;
    /// a peer that is gone fails with [`ErrorKind::HostUnreachable`]. The
    /// same as [`send_to_with`](Self::send_to_with) with no flags.
    #[inline]
    pub fn send_to(&self, routing_id: u32, data: impl Into<Message>) -> Result<()> {
        self.send_to_with(routing_id, data, SendFlags::empty())
    }

    /// Sends `data` to the peer with `routing_id` (SERVER, PEER) with
    /// `flags`, as [`send_with`](Self::send_with) does.
    pub fn send_to_with(
        &self,
        routing_id: u32,
        data: impl Into<Message>,
        flags: SendFlags,
    ) -> Result<()> {
        let mut msg = data.into();
        msg.set_routing_id(routing_id)?;
        self.send_with(msg, flags)
    }

    /// Publishes `data` to `group` (RADIO), blocking. The same as
    /// [`send_to_group_with`](Self::send_to_group_with) with no flags.
    #[inline]
    pub fn send_to_group(&self, group: &str, data: impl Into<Message>) -> Result<()> {
        self.send_to_group_with(group, data, SendFlags::empty())
    }

    /// Publishes `data` to `group` (RADIO) with `flags`, as
    /// [`send_with`](Self::send_with) does.
    pub fn send_to_group_with(
        &self,
        group: &str,
        data: impl Into<Message>,
        flags: SendFlags,
    ) -> Result<()> {
        let mut msg = data.into();
        msg.set_group(group)?;
        self.send_with(msg, flags)
    }

    /// Receives one message into `msg`, replacing its content, blocking;
    /// the cheapest way to receive in a loop. The same as
    /// [`recv_msg_with`](Self::recv_msg_with) with no flags.
    #[doc(alias = "zmq_msg_recv")]
    #[inline]
    pub fn recv_msg(&self, msg: &mut Message) -> Result<()> {
        self.recv_msg_with(msg, RecvFlags::empty())
    }

    /// Receives one message into `msg` with `flags`:
    /// [`RecvFlags::DONTWAIT`] fails with [`ErrorKind::Again`] when nothing
    /// is queued.
    #[doc(alias = "zmq_msg_recv")]
    #[inline]
    pub fn recv_msg_with(&self, msg: &mut Message, flags: RecvFlags) -> Result<()> {
        // SAFETY: the socket is live.
        unsafe { raw_socket::recv_message(self.as_raw(), msg, flags) }
    }

    /// Receives one message, with its routing id or group, blocking. The
    /// same as [`recv_with`](Self::recv_with) with no flags.
    #[doc(alias = "zmq_msg_recv")]
    #[inline]
    pub fn recv(&self) -> Result<Message> {
        self.recv_with(RecvFlags::empty())
    }

    /// Receives one message, with its routing id or group, with `flags`.
    #[doc(alias = "zmq_msg_recv")]
    pub fn recv_with(&self, flags: RecvFlags) -> Result<Message> {
        let mut msg = Message::new();
        self.recv_msg_with(&mut msg, flags)?;
        Ok(msg)
    }

    /// Makes a DISH socket receive the messages of `group` (at most 255
    /// bytes, no NUL); joining a group twice is `Err`.
    #[doc(alias = "zmq_join")]
    pub fn join(&self, group: &str) -> Result<()> {
        let c_group = group_cstring(group)?;
        // SAFETY: the socket is live and the group NUL-terminated.
        check(unsafe { zmq_sys::zmq_join(self.as_raw(), c_group.as_ptr()) })
            .map(drop)
            .map_err(|e| e.context(format!("join {group:?}")))
    }

    /// Makes a DISH socket stop receiving `group`; `Err` if it had not
    /// joined it.
    #[doc(alias = "zmq_leave")]
    pub fn leave(&self, group: &str) -> Result<()> {
        let c_group = group_cstring(group)?;
        // SAFETY: the socket is live and the group NUL-terminated.
        check(unsafe { zmq_sys::zmq_leave(self.as_raw(), c_group.as_ptr()) })
            .map(drop)
            .map_err(|e| e.context(format!("leave {group:?}")))
    }

    /// Closes the socket and reports an error, which `Drop` cannot.
    #[doc(alias = "zmq_close")]
    pub fn close(self) -> Result<()> {
        let this = std::mem::ManuallyDrop::new(self);
        // SAFETY: the socket is live and closed exactly once: Drop will not
        // run for it, and owning it means no other thread is using it.
        let rc = check(unsafe { zmq_sys::zmq_close(this.as_raw()) }).map(drop);
        // SAFETY: `ctx` is read out exactly once and the rest is plain data;
        // dropping it releases this socket's hold on the context.
        drop(unsafe { std::ptr::read(&this.ctx) });
        rc
    }
}

impl Drop for ThreadSafeSocket {
    fn drop(&mut self) {
        // SAFETY: the socket is live and closed exactly once, here; `&mut`
        // means no other thread is using it.
        unsafe { zmq_sys::zmq_close(self.as_raw()) };
    }
}
