//! `AsyncSocket`: a [`Socket`] whose sends and receives are futures.

use std::future::{Future, poll_fn};
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use futures_core::Stream;
use futures_sink::Sink;

use super::future::{RecvFrame, SendFrame};
use super::readiness::Core;
use super::split::{RecvHalf, SendHalf};
use crate::context::Context as ZmqContext;
use crate::error::{Error, ErrorKind, Result};
use crate::flags::{PollEvents, SendFlags};
use crate::message::Message;
use crate::socket::Socket;
use crate::sockopt::{GetOption, SetOption};

/// A ZeroMQ socket for async code on tokio; see the [module
/// documentation](super) for how it waits and what each method promises
/// when its future is dropped.
///
/// It owns a [`Socket`], of any classic type, and gives it back with
/// [`into_inner`](Self::into_inner). Options, `bind` and `connect` go
/// through the inner socket ([`get_ref`](Self::get_ref)) or the forwards
/// below. Sending and receiving take `&mut self`, so the futures are `Send`
/// and one task drives the socket; [`split`](Self::split) gives two halves
/// for two tasks. It is also a [`Stream`] of multipart messages and a
/// [`Sink`] of them.
///
/// ```
/// use zmq::SocketType;
/// use zmq::asyncio::AsyncSocket;
///
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// let ctx = zmq::Context::new()?;
/// let mut server = AsyncSocket::new(ctx.socket(SocketType::Rep)?)?;
/// server.bind("inproc://doc-async-socket")?;
/// let mut client = AsyncSocket::new(ctx.socket(SocketType::Req)?)?;
/// client.connect("inproc://doc-async-socket")?;
///
/// client.send("Hello").await?;
/// assert_eq!(server.recv_string().await?, "Hello");
/// server.send("World").await?;
/// assert_eq!(client.recv().await?, "World");
/// # Ok::<(), zmq::Error>(())
/// # }).unwrap();
/// ```
#[derive(Debug)]
pub struct AsyncSocket {
    core: Core,
    /// The message the [`Sink`] accepted and has not sent yet.
    outgoing: Vec<Message>,
}

impl AsyncSocket {
    /// Wraps a socket; it must be created inside a tokio runtime (with I/O
    /// enabled), which then drives it. `Err` of kind
    /// [`InvalidInput`](ErrorKind::InvalidInput) outside one.
    ///
    /// # Panics
    ///
    /// tokio panics if the runtime was built without I/O
    /// (`enable_io`/`enable_all`): it offers no way to ask first.
    #[doc(alias = "ZMQ_FD")]
    pub fn new(socket: Socket) -> Result<Self> {
        Ok(Self {
            core: Core::new(socket)?,
            outgoing: Vec::new(),
        })
    }

    /// Creates a socket of `kind` in `ctx` and wraps it.
    pub fn with_type(ctx: &ZmqContext, kind: crate::SocketType) -> Result<Self> {
        Self::new(ctx.socket(kind)?)
    }

    /// The blocking socket inside, for options and anything else that does
    /// not wait. Do not call its blocking send or receive from async code;
    /// and while a future of this socket waits, a send, a receive or a
    /// `ZMQ_EVENTS` read through it may take the wakeup that future waits
    /// for (it processes libzmq's commands): use this type's methods.
    pub fn get_ref(&self) -> &Socket {
        self.core.socket()
    }

    /// Gives the blocking socket back. A message the [`Sink`] accepted but
    /// has not sent yet (no flush since) is dropped.
    pub fn into_inner(self) -> Socket {
        self.core.into_socket()
    }

    /// Splits the socket into a sending and a receiving half, for two tasks
    /// (or threads); see [`SendHalf`].
    pub fn split(self) -> (SendHalf, RecvHalf) {
        super::split::split(self.core, self.outgoing)
    }

    pub(crate) fn from_parts(core: Core, outgoing: Vec<Message>) -> Self {
        Self { core, outgoing }
    }

    /// [`Socket::bind`] on the inner socket.
    #[doc(alias = "zmq_bind")]
    pub fn bind(&self, endpoint: &str) -> Result<()> {
        self.get_ref().bind(endpoint)
    }

    /// [`Socket::connect`] on the inner socket.
    #[doc(alias = "zmq_connect")]
    pub fn connect(&self, endpoint: &str) -> Result<()> {
        self.get_ref().connect(endpoint)
    }

    /// [`Socket::unbind`] on the inner socket.
    #[doc(alias = "zmq_unbind")]
    pub fn unbind(&self, endpoint: &str) -> Result<()> {
        self.get_ref().unbind(endpoint)
    }

    /// [`Socket::disconnect`] on the inner socket.
    #[doc(alias = "zmq_disconnect")]
    pub fn disconnect(&self, endpoint: &str) -> Result<()> {
        self.get_ref().disconnect(endpoint)
    }

    /// [`Socket::last_endpoint`] of the inner socket.
    pub fn last_endpoint(&self) -> Result<String> {
        self.get_ref().last_endpoint()
    }

    /// [`Socket::get`]: reads a socket option.
    #[doc(alias = "zmq_getsockopt")]
    pub fn get<O: GetOption>(&self, option: O) -> Result<O::Value> {
        self.get_ref().get(option)
    }

    /// [`Socket::set`]: writes a socket option.
    #[doc(alias = "zmq_setsockopt")]
    pub fn set<O: SetOption>(&self, option: O, value: O::Input<'_>) -> Result<()> {
        self.get_ref().set(option, value)
    }

    /// [`Socket::subscribe`] on the inner socket.
    pub fn subscribe(&self, prefix: impl AsRef<[u8]>) -> Result<()> {
        self.get_ref().subscribe(prefix)
    }

    /// [`Socket::unsubscribe`] on the inner socket.
    pub fn unsubscribe(&self, prefix: impl AsRef<[u8]>) -> Result<()> {
        self.get_ref().unsubscribe(prefix)
    }

    /// Sends one frame: bytes and text are copied, owned buffers and
    /// [`Message`]s handed over without a copy.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: the frame is sent in the poll that completes the
    /// future, or not at all.
    #[doc(alias = "zmq_msg_send")]
    pub fn send(&mut self, data: impl Into<Message>) -> impl Future<Output = Result<()>> + '_ {
        SendFrame::new(&mut self.core, data.into(), SendFlags::empty())
    }

    /// Sends the content of `msg` as one frame and leaves `msg` empty, ready
    /// to receive into again, as the blocking `send(&mut msg)` does: the
    /// cheapest way to send in a loop.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: if the future is dropped before the frame was sent,
    /// `msg` keeps its content.
    #[doc(alias = "zmq_msg_send")]
    pub fn send_msg<'a>(
        &'a mut self,
        msg: &'a mut Message,
    ) -> impl Future<Output = Result<()>> + 'a {
        SendFrame::new(&mut self.core, msg, SendFlags::empty())
    }

    /// Sends one frame with flags: `SNDMORE` makes it a frame of a
    /// multipart message whose next frame follows; `DONTWAIT` is implied.
    /// [`send_multipart`](Self::send_multipart) sends a whole message at
    /// once, which is what cancellation wants.
    ///
    /// # Cancel safety
    ///
    /// Each frame is sent whole or not at all, but a message sent frame by
    /// frame across several futures is only as complete as the futures that
    /// finished: cancelling between frames leaves the message waiting for
    /// its next frame.
    #[doc(alias = "zmq_msg_send")]
    pub fn send_with(
        &mut self,
        data: impl Into<Message>,
        flags: SendFlags,
    ) -> impl Future<Output = Result<()>> + '_ {
        SendFrame::new(&mut self.core, data.into(), flags)
    }

    /// Sends every item as one frame of a multipart message. Zero frames is
    /// an [`InvalidInput`](ErrorKind::InvalidInput) error.
    ///
    /// # Cancel safety
    ///
    /// All or nothing: every frame is sent in the one poll that completes
    /// the future, so a dropped future has sent no frame.
    pub async fn send_multipart<I>(&mut self, parts: I) -> Result<()>
    where
        I: IntoIterator,
        I::Item: Into<Message>,
    {
        let mut parts: Vec<Message> = parts.into_iter().map(Into::into).collect();
        let core = &mut self.core;
        poll_fn(move |cx| core.poll_send_multipart(cx, &mut parts)).await
    }

    /// Receives one frame ([`Message::more`] tells whether more of its
    /// message follow).
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: a frame is taken off the socket only in the poll that
    /// completes the future; after a dropped future the next receive gets
    /// the frame it would have had.
    #[doc(alias = "zmq_msg_recv")]
    pub async fn recv(&mut self) -> Result<Message> {
        let mut msg = Message::new();
        self.recv_msg(&mut msg).await?;
        Ok(msg)
    }

    /// Receives one frame into `msg`, replacing its content.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe, like [`recv`](Self::recv).
    #[doc(alias = "zmq_msg_recv")]
    pub fn recv_msg<'a>(
        &'a mut self,
        msg: &'a mut Message,
    ) -> impl Future<Output = Result<()>> + 'a {
        RecvFrame::new(&mut self.core, msg)
    }

    /// Receives one frame as a vector.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe, like [`recv`](Self::recv).
    pub async fn recv_bytes(&mut self) -> Result<Vec<u8>> {
        Ok(self.recv().await?.to_vec())
    }

    /// Receives one frame as UTF-8 text;
    /// [`InvalidUtf8`](ErrorKind::InvalidUtf8) (and the frame is gone) if
    /// it is not.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe, like [`recv`](Self::recv).
    pub async fn recv_string(&mut self) -> Result<String> {
        String::from_utf8(self.recv_bytes().await?)
            .map_err(|_| Error::invalid_utf8("received frame is not UTF-8"))
    }

    /// Receives every frame of one message, copied into vectors.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: the whole message is received in the poll that
    /// completes the future, or none of it.
    pub async fn recv_multipart(&mut self) -> Result<Vec<Vec<u8>>> {
        let parts = self.recv_multipart_messages().await?;
        Ok(parts.iter().map(|part| part.to_vec()).collect())
    }

    /// Receives every frame of one message as [`Message`]s (no copy,
    /// metadata kept).
    ///
    /// # Cancel safety
    ///
    /// Cancel safe, like [`recv_multipart`](Self::recv_multipart).
    pub async fn recv_multipart_messages(&mut self) -> Result<Vec<Message>> {
        let core = &mut self.core;
        poll_fn(move |cx| core.poll_recv_multipart(cx)).await
    }

    /// Waits until the socket can receive (`POLLIN`) or send (`POLLOUT`),
    /// whichever of `interest` comes first, and returns those of `interest`
    /// that are ready: the async form of [`Socket::poll`].
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: it only looks.
    #[doc(alias = "ZMQ_EVENTS")]
    pub async fn ready(&mut self, interest: PollEvents) -> Result<PollEvents> {
        let core = &mut self.core;
        poll_fn(move |cx| core.poll_ready(cx, interest)).await
    }

    /// Polls for one frame into `msg`: the building block of
    /// [`recv_msg`](Self::recv_msg) for hand-written futures.
    pub fn poll_recv_msg(&mut self, cx: &mut Context<'_>, msg: &mut Message) -> Poll<Result<()>> {
        self.core.poll_recv_msg(cx, msg)
    }

    /// Polls for a whole multipart message: the building block of
    /// [`recv_multipart_messages`](Self::recv_multipart_messages).
    pub fn poll_recv_multipart(&mut self, cx: &mut Context<'_>) -> Poll<Result<Vec<Message>>> {
        self.core.poll_recv_multipart(cx)
    }

    /// Polls to send the frames of `parts` as one message, all or none;
    /// `parts` is emptied once they are sent, and keeps them while
    /// `Pending`.
    pub fn poll_send_multipart(
        &mut self,
        cx: &mut Context<'_>,
        parts: &mut Vec<Message>,
    ) -> Poll<Result<()>> {
        self.core.poll_send_multipart(cx, parts)
    }
}

impl TryFrom<Socket> for AsyncSocket {
    type Error = Error;

    /// [`AsyncSocket::new`].
    fn try_from(socket: Socket) -> Result<Self> {
        Self::new(socket)
    }
}

/// Ends with `None` once the context is terminated; any other error is an
/// item, and the stream goes on after it.
pub(crate) fn stream_item(result: Result<Vec<Message>>) -> Option<Result<Vec<Message>>> {
    match result {
        Err(e) if e.kind() == ErrorKind::Terminated => None,
        other => Some(other),
    }
}

/// The multipart messages the socket receives.
///
/// Cancel safe, like [`AsyncSocket::recv_multipart`]. The stream ends
/// (`None`) when the context is terminated; other errors are items.
impl Stream for AsyncSocket {
    type Item = Result<Vec<Message>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let result = ready!(self.get_mut().core.poll_recv_multipart(cx));
        Poll::Ready(stream_item(result))
    }
}

/// Takes a message to send, then sends it whole.
pub(crate) fn start_send<I>(outgoing: &mut Vec<Message>, item: I) -> Result<()>
where
    I: IntoIterator,
    I::Item: Into<Message>,
{
    outgoing.extend(item.into_iter().map(Into::into));
    if outgoing.is_empty() {
        return Err(Error::invalid_input(
            "a multipart message needs at least one frame",
        ));
    }
    Ok(())
}

/// Sends the message the sink holds, if any.
pub(crate) fn poll_flush(
    core: &Core,
    cx: &mut Context<'_>,
    outgoing: &mut Vec<Message>,
) -> Poll<Result<()>> {
    if outgoing.is_empty() {
        return Poll::Ready(Ok(()));
    }
    core.poll_send_multipart(cx, outgoing)
}

/// Sends multipart messages: each item is the frames of one message
/// (`Vec<Message>`, `[&str; 2]`, ...).
///
/// The sink holds one message: `poll_ready` sends the one before, all or
/// nothing as [`AsyncSocket::send_multipart`] does. A message accepted by
/// `start_send` stays in the socket until a flush sends it, even if the
/// future that gave it was dropped.
///
/// Closing the sink only hands its last message to libzmq, which may still
/// queue it and others for the network; dropping the socket then leaves
/// them to `ZMQ_LINGER` (zero discards them). `stream.forward(socket)`
/// drops the socket as soon as the stream ends: to be sure the peer gets
/// the tail with a short linger, forward into `&mut socket` and keep the
/// socket until the peer has it.
///
/// The inherent [`send`](AsyncSocket::send) (one frame) hides
/// `SinkExt::send` in method calls: write `SinkExt::send(&mut socket,
/// frames)`, or use `feed`, `send_all` and `forward`.
impl<I> Sink<I> for AsyncSocket
where
    I: IntoIterator,
    I::Item: Into<Message>,
{
    type Error = Error;

    fn poll_ready(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<()>> {
        let this = self.get_mut();
        poll_flush(&this.core, cx, &mut this.outgoing)
    }

    fn start_send(self: Pin<&mut Self>, item: I) -> Result<()> {
        let this = self.get_mut();
        if !this.outgoing.is_empty() {
            return Err(Error::invalid_input(
                "start_send without poll_ready: the sink still holds a message",
            ));
        }
        start_send(&mut this.outgoing, item)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<()>> {
        let this = self.get_mut();
        poll_flush(&this.core, cx, &mut this.outgoing)
    }

    fn poll_close(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<()>> {
        let this = self.get_mut();
        poll_flush(&this.core, cx, &mut this.outgoing)
    }
}
