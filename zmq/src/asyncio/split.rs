//! The two halves of a split [`AsyncSocket`], for a sending task and a
//! receiving task.

use std::future::poll_fn;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll, ready};

use futures_core::Stream;
use futures_sink::Sink;

use super::readiness::Core;
use super::socket::{AsyncSocket, poll_flush, start_send, stream_item};
use crate::error::{Error, Result};
use crate::flags::SendFlags;
use crate::message::Message;
use crate::socket::Socket;

/// What both halves share: the socket, used by one half at a time.
#[derive(Debug)]
struct Shared {
    core: Mutex<Core>,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Core> {
        // A panic inside a libzmq call wrapper leaves the core consistent.
        self.core.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

pub(super) fn split(core: Core, outgoing: Vec<Message>) -> (SendHalf, RecvHalf) {
    let shared = Arc::new(Shared {
        core: Mutex::new(core),
    });
    (
        SendHalf {
            shared: Arc::clone(&shared),
            outgoing: Mutex::new(outgoing),
        },
        RecvHalf { shared },
    )
}

/// The sending half of an [`AsyncSocket`], from
/// [`split`](AsyncSocket::split); also a [`Sink`] of multipart messages.
///
/// The halves share the socket behind a lock taken for each non-blocking
/// libzmq call, never across an `await`, so they may run on two tasks of a
/// multi-thread runtime. A half's methods take `&self`: several tasks may
/// send through one `Arc<SendHalf>` (each message still goes out whole).
/// Each direction wakes the other when its own call made the socket ready
/// for it (see the [module documentation](super)).
///
/// ```
/// use zmq::SocketType;
/// use zmq::asyncio::AsyncSocket;
///
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// let ctx = zmq::Context::new()?;
/// let echo = AsyncSocket::with_type(&ctx, SocketType::Pair)?;
/// echo.bind("inproc://doc-split")?;
/// let (tx, rx) = AsyncSocket::with_type(&ctx, SocketType::Pair)?.split();
/// tx.with_socket(|s| s.connect("inproc://doc-split"))?;
///
/// let sender = tokio::spawn(async move {
///     for i in 0..3 {
///         tx.send(format!("ping {i}")).await?;
///     }
///     Ok::<_, zmq::Error>(tx)
/// });
/// let mut echo = echo;
/// for _ in 0..3 {
///     let msg = echo.recv().await?;
///     echo.send(msg).await?;
/// }
/// for i in 0..3 {
///     assert_eq!(rx.recv_string().await?, format!("ping {i}"));
/// }
/// let tx = sender.await.unwrap()?;
/// let _socket = tx.reunite(rx).expect("halves of one socket").into_inner();
/// # Ok::<(), zmq::Error>(())
/// # }).unwrap();
/// ```
#[derive(Debug)]
pub struct SendHalf {
    shared: Arc<Shared>,
    /// The message the [`Sink`] accepted and has not sent yet. Only the
    /// `&mut self` sink methods touch it (through `get_mut`, no locking);
    /// the mutex keeps the half `Sync` though `Message` is not.
    outgoing: Mutex<Vec<Message>>,
}

/// The receiving half of an [`AsyncSocket`], from
/// [`split`](AsyncSocket::split); also a [`Stream`] of multipart messages.
/// See [`SendHalf`].
#[derive(Debug)]
pub struct RecvHalf {
    shared: Arc<Shared>,
}

/// [`SendHalf::reunite`] was given halves of two different sockets; here
/// they are back.
#[derive(Debug)]
pub struct ReuniteError(pub SendHalf, pub RecvHalf);

impl std::fmt::Display for ReuniteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the halves come from two different sockets")
    }
}

impl std::error::Error for ReuniteError {}

impl SendHalf {
    /// Runs `f` on the socket (options, `bind`, `connect`), holding the
    /// lock for the call.
    pub fn with_socket<R>(&self, f: impl FnOnce(&Socket) -> R) -> R {
        f(self.shared.lock().socket())
    }

    /// Puts the halves back together; they must come from the same socket.
    pub fn reunite(self, other: RecvHalf) -> std::result::Result<AsyncSocket, ReuniteError> {
        if !Arc::ptr_eq(&self.shared, &other.shared) {
            return Err(ReuniteError(self, other));
        }
        drop(other);
        let Self { shared, outgoing } = self;
        let outgoing = outgoing
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        match Arc::try_unwrap(shared) {
            Ok(shared) => Ok(AsyncSocket::from_parts(
                shared
                    .core
                    .into_inner()
                    .unwrap_or_else(PoisonError::into_inner),
                outgoing,
            )),
            // Both halves were given up above and neither is Clone.
            Err(shared) => Err(ReuniteError(
                Self {
                    shared: Arc::clone(&shared),
                    outgoing: Mutex::new(outgoing),
                },
                RecvHalf { shared },
            )),
        }
    }

    /// Sends one frame; see [`AsyncSocket::send`].
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: the frame is sent in the poll that completes the
    /// future, or not at all.
    pub async fn send(&self, data: impl Into<Message>) -> Result<()> {
        self.send_with(data, SendFlags::empty()).await
    }

    /// Sends one frame with flags; see [`AsyncSocket::send_with`].
    ///
    /// # Cancel safety
    ///
    /// As [`AsyncSocket::send_with`]: each frame whole or not at all.
    pub async fn send_with(&self, data: impl Into<Message>, flags: SendFlags) -> Result<()> {
        let mut msg = data.into();
        poll_fn(|cx| self.shared.lock().poll_send_msg(cx, &mut msg, flags)).await
    }

    /// Sends a multipart message; see [`AsyncSocket::send_multipart`].
    ///
    /// # Cancel safety
    ///
    /// All or nothing, as [`AsyncSocket::send_multipart`]; messages sent
    /// at once from several tasks never interleave their frames.
    pub async fn send_multipart<I>(&self, parts: I) -> Result<()>
    where
        I: IntoIterator,
        I::Item: Into<Message>,
    {
        let mut parts: Vec<Message> = parts.into_iter().map(Into::into).collect();
        poll_fn(|cx| self.shared.lock().poll_send_multipart(cx, &mut parts)).await
    }
}

impl SendHalf {
    fn outgoing(&mut self) -> &mut Vec<Message> {
        self.outgoing
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

impl RecvHalf {
    /// Runs `f` on the socket (options, `subscribe`), holding the lock for
    /// the call.
    pub fn with_socket<R>(&self, f: impl FnOnce(&Socket) -> R) -> R {
        f(self.shared.lock().socket())
    }

    /// Receives one frame; see [`AsyncSocket::recv`].
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: after a dropped future the next receive gets the frame
    /// it would have had.
    pub async fn recv(&self) -> Result<Message> {
        let mut msg = Message::new();
        self.recv_msg(&mut msg).await?;
        Ok(msg)
    }

    /// Receives one frame into `msg`.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe, like [`recv`](Self::recv).
    pub async fn recv_msg(&self, msg: &mut Message) -> Result<()> {
        poll_fn(|cx| self.shared.lock().poll_recv_msg(cx, msg)).await
    }

    /// Receives one frame as a vector.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe, like [`recv`](Self::recv).
    pub async fn recv_bytes(&self) -> Result<Vec<u8>> {
        Ok(self.recv().await?.to_vec())
    }

    /// Receives one frame as UTF-8 text.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe, like [`recv`](Self::recv).
    pub async fn recv_string(&self) -> Result<String> {
        String::from_utf8(self.recv_bytes().await?)
            .map_err(|_| Error::invalid_utf8("received frame is not UTF-8"))
    }

    /// Receives a multipart message, copied into vectors.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: the whole message or none of it.
    pub async fn recv_multipart(&self) -> Result<Vec<Vec<u8>>> {
        let parts = self.recv_multipart_messages().await?;
        Ok(parts.iter().map(|part| part.to_vec()).collect())
    }

    /// Receives a multipart message as [`Message`]s.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: the whole message or none of it.
    pub async fn recv_multipart_messages(&self) -> Result<Vec<Message>> {
        poll_fn(|cx| self.shared.lock().poll_recv_multipart(cx)).await
    }

    /// Polls for a whole multipart message, for hand-written futures.
    pub fn poll_recv_multipart(&self, cx: &mut Context<'_>) -> Poll<Result<Vec<Message>>> {
        self.shared.lock().poll_recv_multipart(cx)
    }
}

/// The multipart messages received; ends when the context is terminated.
/// Cancel safe.
impl Stream for RecvHalf {
    type Item = Result<Vec<Message>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let result = ready!(self.shared.lock().poll_recv_multipart(cx));
        Poll::Ready(stream_item(result))
    }
}

/// Sends multipart messages, holding one as [`AsyncSocket`]'s sink does.
impl<I> Sink<I> for SendHalf
where
    I: IntoIterator,
    I::Item: Into<Message>,
{
    type Error = Error;

    fn poll_ready(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<()>> {
        let this = self.get_mut();
        let outgoing = this
            .outgoing
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner);
        poll_flush(&this.shared.lock(), cx, outgoing)
    }

    fn start_send(self: Pin<&mut Self>, item: I) -> Result<()> {
        let this = self.get_mut();
        if !this.outgoing().is_empty() {
            return Err(Error::invalid_input(
                "start_send without poll_ready: the sink still holds a message",
            ));
        }
        start_send(this.outgoing(), item)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<()>> {
        let this = self.get_mut();
        let outgoing = this
            .outgoing
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner);
        poll_flush(&this.shared.lock(), cx, outgoing)
    }

    fn poll_close(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<()>> {
        let this = self.get_mut();
        let outgoing = this
            .outgoing
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner);
        poll_flush(&this.shared.lock(), cx, outgoing)
    }
}
