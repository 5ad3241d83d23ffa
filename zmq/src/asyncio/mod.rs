//! Async sockets on tokio (feature `tokio`, Unix), named after pyzmq's
//! `zmq.asyncio`.
//!
//! * [`AsyncSocket`] — any classic [`Socket`](crate::Socket) whose sends and
//!   receives are futures; a [`Stream`](futures_core::Stream) of multipart
//!   messages and a [`Sink`](futures_sink::Sink) of them;
//!   [`split`](AsyncSocket::split) into a [`SendHalf`] and a [`RecvHalf`]
//!   for two tasks.
//! * [`connection`] — Twisted tx0mq's connections in Rust's shape: a
//!   publisher and a subscriber, a request client with many requests in
//!   flight, a reply server, push/pull and pair.
//! * [`MonitorStream`] — a socket's monitor events as a stream;
//!   [`proxy`] — `zmq_proxy` as a future; [`AsyncAuthenticator`] — the ZAP
//!   handler as a task.
//!
//! ```
//! use zmq::SocketType;
//! use zmq::asyncio::AsyncSocket;
//!
//! # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
//! let ctx = zmq::Context::new()?;
//! let mut pull = AsyncSocket::with_type(&ctx, SocketType::Pull)?;
//! pull.bind("tcp://127.0.0.1:*")?;
//! let mut push = AsyncSocket::with_type(&ctx, SocketType::Push)?;
//! push.connect(&pull.last_endpoint()?)?;
//!
//! let sender = tokio::spawn(async move {
//!     for i in 0..10 {
//!         push.send_multipart([format!("task {i}"), "payload".to_owned()]).await?;
//!     }
//!     Ok::<_, zmq::Error>(())
//! });
//! for i in 0..10 {
//!     let frames = pull.recv_multipart().await?;
//!     assert_eq!(frames, [format!("task {i}").into_bytes(), b"payload".to_vec()]);
//! }
//! sender.await.unwrap()?;
//! # Ok::<(), zmq::Error>(())
//! # }).unwrap();
//! ```
//!
//! # How a socket waits
//!
//! libzmq gives each socket one file descriptor, `ZMQ_FD`, that becomes
//! readable when the socket has *commands* to process (a peer's message
//! arrived, a full pipe drained, a connection came up). It is not the
//! socket's readiness: libzmq processes those commands, and consumes the
//! signal, inside any `zmq_send`, `zmq_recv` or `ZMQ_EVENTS` read, which is
//! why it behaves as edge-triggered; and it is shared by both directions.
//! Bindings that wait on it like on a TCP socket lose wakeups: a PUSH
//! stuck at its high water mark never hears that the peer started reading
//! (libzmq issue 3641), a REQ or DEALER whose send processed the command
//! announcing the reply never wakes for the reply (tmq's PR 5 and 20), a
//! socket polled before its first call waits for an edge that already
//! passed. This module keeps these rules, in `readiness.rs`:
//!
//! 1. **Try first.** Every send or receive is first tried with `DONTWAIT`;
//!    only `EAGAIN` makes it wait. A message that is already there costs one
//!    libzmq call and no system call.
//! 2. **Look before waiting.** After a send's `EAGAIN`, read `ZMQ_EVENTS`.
//!    A send throttles command processing (it may skip pending commands
//!    for up to a millisecond), `ZMQ_EVENTS` processes them all; if it now
//!    says ready, try again (once: a ROUTER with `ROUTER_MANDATORY` says
//!    `POLLOUT` when *some* peer has room, not necessarily the addressed
//!    one). Only once `ZMQ_EVENTS` said "not ready" is it safe to wait for
//!    the fd: libzmq has processed every command, so the next one signals
//!    the fd again. A receive with `DONTWAIT` processes every pending
//!    command itself (unthrottled) before it reports `EAGAIN`, so after a
//!    receive's `EAGAIN` the `ZMQ_EVENTS` read is skipped when no edge came
//!    since the last clear (below) and no task waits for the other
//!    direction (rule 5): the common wait of a receiver costs no extra
//!    libzmq call.
//! 3. **Register before looking.** The waiting task's waker is stored
//!    before that `ZMQ_EVENTS` read, so a wake that comes between the read
//!    and the wait is kept.
//! 4. **Clear readiness only before a call that processes commands.** Once
//!    a call failed, tokio's readiness on the fd is cleared right before the
//!    `ZMQ_EVENTS` read: whatever edge it stood for, that read consumes the
//!    signal and processes the command. `clear_ready` keeps any edge newer
//!    than its guard, and the fd is polled again after the read, so an edge
//!    that came in between makes the call run again instead of being lost.
//!    A task woken from a wait clears the edge that woke it right before
//!    its next call, which processes that command (or, a send, leaves it to
//!    the `ZMQ_EVENTS` read that follows its `EAGAIN`); so a receive that
//!    then finds nothing sees only edges newer than itself.
//! 5. **Wake the other direction.** Both directions wait on the one fd, and
//!    any call may consume the edge meant for the other: after each
//!    `ZMQ_EVENTS` read, and after each successful call while some task
//!    waits, the socket wakes the waiters of every direction that
//!    `ZMQ_EVENTS` says is ready. tokio keeps one waker per
//!    `poll_read_ready` caller, so the socket hands tokio a waker of its own
//!    that wakes the waiters of both directions, each of which then looks
//!    for itself.
//! 6. **Never spin.** A task is polled again only after an fd edge (a new
//!    libzmq command) or a wake from another call that made its direction
//!    ready. A busy socket also takes part in tokio's cooperative budget
//!    (one unit every 8 calls, as a call that finds its message costs far
//!    less than the system call a unit stands for), so a task that always
//!    finds a message still yields to the others.
//!
//! The fd is only borrowed: the socket owns and closes it, after tokio has
//! deregistered it. `ZMQ_FD` needs Unix and a runtime with I/O enabled;
//! [`RequestClient`](connection::RequestClient) timeouts and
//! [`AsyncAuthenticator`] also need its timers (`enable_all` gives both).
//!
//! # Cancellation
//!
//! Every method says what dropping its future does ("Cancel safety"). In
//! short: a receive takes a frame or a whole multipart message off the
//! socket only in the poll that completes its future, so a dropped receive
//! loses nothing; a multipart send sends every frame in the poll that
//! completes it, or none. That rests on two guarantees of libzmq 4.3.5:
//! a multipart message is delivered whole, so once its first frame can be
//! received the others can too; and a socket's high water mark counts whole
//! messages (`pipe_t::check_hwm` counts only final frames), so once a
//! socket took the first frame of a message it takes the others. The one
//! exception is a peer whose pipe dies in the middle of a message: libzmq
//! then drops the whole message (`lb_t` switches to dropping the rest of
//! its frames), and the send still completes, as a blocking send does.
//! The [`Sink`](futures_sink::Sink) impls hold the message given to
//! `start_send` until a flush sends it, so it goes out whole even if the
//! future that gave it was dropped.

mod auth;
pub mod connection;
mod future;
mod monitor;
mod proxy;
mod readiness;
mod socket;
mod split;

pub use auth::AsyncAuthenticator;
pub use monitor::MonitorStream;
pub use proxy::proxy;
pub use socket::AsyncSocket;
pub use split::{RecvHalf, ReuniteError, SendHalf};
