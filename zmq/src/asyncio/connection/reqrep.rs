//! tx0mq's `ZmqReqConnection` (over DEALER) and `ZmqRepConnection` (over
//! ROUTER): requests tagged with an id, many in flight at once.

use std::collections::HashMap;
use std::collections::hash_map::RandomState;
use std::future::poll_fn;
use std::hash::{BuildHasher, Hasher};
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError, Weak};
use std::task::{Context, Poll, ready};
use std::time::Duration;

use futures_core::Stream;
use tokio::sync::oneshot;
use tokio::task::AbortHandle;

use super::{Connection, check_type};
use crate::asyncio::socket::stream_item;
use crate::asyncio::{AsyncSocket, RecvHalf, SendHalf};
use crate::error::{Error, Result};
use crate::message::Message;
use crate::socket::SocketType;

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The requests waiting for their reply, by id.
#[derive(Debug, Default)]
struct Pending {
    waiting: HashMap<Vec<u8>, oneshot::Sender<Vec<Message>>>,
    /// Why the receiving task stopped, once it has.
    closed: Option<Error>,
}

#[derive(Debug)]
struct ClientInner {
    sender: SendHalf,
    pending: Mutex<Pending>,
    timeout: Option<Duration>,
    /// Random bits that tell this client's ids from other clients'.
    prefix: u64,
    counter: AtomicU64,
    /// The task that receives replies; stopped with the last handle.
    receiver: OnceLock<AbortHandle>,
}

impl Drop for ClientInner {
    fn drop(&mut self) {
        if let Some(task) = self.receiver.get() {
            task.abort();
        }
    }
}

impl ClientInner {
    /// A fresh id in the text form of a version-4 UUID, as tx0mq's
    /// `str(uuid.uuid4())`: 60 random bits per client, then a counter, so
    /// no two requests of a client share one.
    fn next_id(&self) -> Vec<u8> {
        let count = self.counter.fetch_add(1, Ordering::Relaxed);
        let mut bits = (u128::from(self.prefix) << 64) | u128::from(count & ((1 << 62) - 1));
        bits = (bits & !(0xf << 76)) | (0x4 << 76); // version 4
        bits = (bits & !(0x3 << 62)) | (0x2 << 62); // RFC 4122 variant
        format!(
            "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
            bits >> 96,
            (bits >> 80) & 0xffff,
            (bits >> 64) & 0xffff,
            (bits >> 48) & 0xffff,
            bits & 0xffff_ffff_ffff
        )
        .into_bytes()
    }

    fn closed_error(&self) -> Error {
        lock(&self.pending).closed.clone().unwrap_or_else(|| {
            Error::from_errno(zmq_sys::ETERM)
                .context("the request client stopped receiving replies")
        })
    }
}

/// Removes a request's entry when its future ends, however it ends.
struct Forget<'a> {
    inner: &'a ClientInner,
    id: &'a [u8],
}

impl Drop for Forget<'_> {
    fn drop(&mut self) {
        lock(&self.inner.pending).waiting.remove(self.id);
    }
}

/// The requesting side of tx0mq's request-reply, over a DEALER socket:
/// each [`request`](Self::request) sends `[id, "", message...]` and
/// resolves when the reply with the same id comes back, so many requests
/// may be in flight at once and their replies may come in any order.
///
/// A task spawned on the current runtime receives the replies and hands
/// each to its request; it stops when the last clone of the client is
/// dropped. A reply to a request that is no longer waiting (timed out,
/// dropped) is discarded, as is a message that is not `[id, "", ...]`.
/// Clones share one socket.
#[derive(Debug, Clone)]
pub struct RequestClient {
    inner: Arc<ClientInner>,
}

impl Connection for RequestClient {
    const SOCKET_TYPE: SocketType = SocketType::Dealer;

    /// Wraps the DEALER and spawns the task that receives replies, with no
    /// timeout (see [`with_timeout`](Self::with_timeout)).
    fn from_socket(socket: AsyncSocket) -> Result<Self> {
        Self::with_timeout(socket, None)
    }
}

impl RequestClient {
    /// [`from_socket`](Connection::from_socket) with a timeout for every
    /// [`request`](Self::request) (`None`: wait forever).
    pub fn with_timeout(socket: AsyncSocket, timeout: Option<Duration>) -> Result<Self> {
        check_type(&socket, Self::SOCKET_TYPE, "request client")?;
        let mut seed = RandomState::new().build_hasher();
        seed.write_u32(std::process::id());
        let (sender, receiver) = socket.split();
        let inner = Arc::new(ClientInner {
            sender,
            pending: Mutex::default(),
            timeout,
            prefix: seed.finish(),
            counter: AtomicU64::new(0),
            receiver: OnceLock::new(),
        });
        let task = tokio::spawn(receive_replies(receiver, Arc::downgrade(&inner)));
        let _ = inner.receiver.set(task.abort_handle());
        Ok(Self { inner })
    }

    /// Sends a request and waits for its reply, for at most the client's
    /// timeout; returns the reply's frames after the id and the delimiter.
    ///
    /// `Err` of kind [`Again`](crate::ErrorKind::Again) on timeout (a late
    /// reply is discarded); the receiving task's error if it stopped.
    ///
    /// # Cancel safety
    ///
    /// The request is sent whole or not at all; once the future is dropped
    /// its reply, if one comes, is discarded.
    pub async fn request<I>(&self, message: I) -> Result<Vec<Message>>
    where
        I: IntoIterator,
        I::Item: Into<Message>,
    {
        self.request_timeout(message, self.inner.timeout).await
    }

    /// [`request`](Self::request) with its own timeout (`None`: forever).
    ///
    /// # Cancel safety
    ///
    /// As [`request`](Self::request).
    pub async fn request_timeout<I>(
        &self,
        message: I,
        timeout: Option<Duration>,
    ) -> Result<Vec<Message>>
    where
        I: IntoIterator,
        I::Item: Into<Message>,
    {
        let inner = &*self.inner;
        let id = inner.next_id();
        let (reply_to, reply) = oneshot::channel();
        {
            let mut pending = lock(&inner.pending);
            if let Some(error) = &pending.closed {
                return Err(error.clone());
            }
            pending.waiting.insert(id.clone(), reply_to);
        }
        let _forget = Forget { inner, id: &id };
        let frames = [Message::from(id.as_slice()), Message::new()]
            .into_iter()
            .chain(message.into_iter().map(Into::into));
        let exchange = async {
            inner.sender.send_multipart(frames).await?;
            reply.await.map_err(|_| inner.closed_error())
        };
        match timeout {
            None => exchange.await,
            Some(limit) => tokio::time::timeout(limit, exchange)
                .await
                .unwrap_or_else(|_| {
                    Err(Error::from_errno(libc::EAGAIN)
                        .context(format!("no reply within {limit:?}")))
                }),
        }
    }

    /// Runs `f` on the socket (options, more endpoints).
    pub fn with_socket<R>(&self, f: impl FnOnce(&crate::Socket) -> R) -> R {
        self.inner.sender.with_socket(f)
    }

    /// How many requests wait for their reply.
    pub fn in_flight(&self) -> usize {
        lock(&self.inner.pending).waiting.len()
    }
}

/// The client's receiving task: hands each reply to the request with its
/// id until the client is gone or the socket fails.
async fn receive_replies(receiver: RecvHalf, client: Weak<ClientInner>) {
    loop {
        let result = receiver.recv_multipart_messages().await;
        let Some(client) = client.upgrade() else {
            return;
        };
        match result {
            Ok(frames) => {
                let mut frames = frames.into_iter();
                let (Some(id), Some(delimiter)) = (frames.next(), frames.next()) else {
                    continue;
                };
                if !delimiter.is_empty() {
                    continue;
                }
                let waiting = lock(&client.pending).waiting.remove(&id[..]);
                if let Some(reply_to) = waiting {
                    // The request may have been dropped meanwhile.
                    let _ = reply_to.send(frames.collect());
                }
            }
            Err(error) => {
                let mut pending = lock(&client.pending);
                pending.closed = Some(error.context("the request client's socket failed"));
                // Dropping the senders wakes every request with the error.
                pending.waiting.clear();
                return;
            }
        }
    }
}

#[derive(Debug)]
struct ServerInner {
    sender: SendHalf,
    receiver: RecvHalf,
    /// The routing envelope of each request waiting for its reply, by id.
    routes: Mutex<HashMap<Vec<u8>, Vec<Message>>>,
}

/// The replying side of tx0mq's request-reply, over a ROUTER socket: a
/// [`Stream`] (or [`recv`](Self::recv)) of `(id, message)`, each answered
/// with [`reply`](Self::reply)`(id, message)`, in any order, from any task
/// (clones share one socket).
///
/// A request is `[routing envelope..., id, "", message...]`: the id is the
/// frame before the first empty frame, and the envelope before it is kept
/// until the reply. A message without an empty frame after at least one
/// other is an [`InvalidInput`](crate::ErrorKind::InvalidInput) error
/// (the server goes on).
#[derive(Debug, Clone)]
pub struct ReplyServer {
    inner: Arc<ServerInner>,
}

impl Connection for ReplyServer {
    const SOCKET_TYPE: SocketType = SocketType::Router;

    fn from_socket(socket: AsyncSocket) -> Result<Self> {
        check_type(&socket, Self::SOCKET_TYPE, "reply server")?;
        let (sender, receiver) = socket.split();
        Ok(Self {
            inner: Arc::new(ServerInner {
                sender,
                receiver,
                routes: Mutex::default(),
            }),
        })
    }
}

impl ReplyServer {
    /// Takes the envelope off a request and remembers it under the id.
    fn accept(&self, frames: Vec<Message>) -> Result<(Vec<u8>, Vec<Message>)> {
        let delimiter = frames.iter().position(|frame| frame.is_empty());
        let Some(delimiter) = delimiter.filter(|&i| i > 0) else {
            return Err(Error::invalid_input(
                "a request is [envelope..., id, \"\", message...]: no empty frame after the id",
            ));
        };
        let mut frames = frames.into_iter();
        let envelope: Vec<Message> = frames.by_ref().take(delimiter - 1).collect();
        let id = frames.next().map(|id| id.to_vec()).unwrap_or_default();
        let message = frames.skip(1).collect();
        lock(&self.inner.routes).insert(id.clone(), envelope);
        Ok((id, message))
    }

    /// The next request, as `(id, message)`.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: the whole request or none of it.
    pub async fn recv(&self) -> Result<(Vec<u8>, Vec<Message>)> {
        let frames = poll_fn(|cx| self.inner.receiver.poll_recv_multipart(cx)).await?;
        self.accept(frames)
    }

    /// Sends `message` (one or more frames) as the reply to request `id`.
    /// `Err` of kind [`InvalidInput`](crate::ErrorKind::InvalidInput) if no
    /// request with that id waits for a reply.
    ///
    /// # Cancel safety
    ///
    /// The reply is sent whole or not at all; if its future is dropped
    /// before it was sent, the request still waits for a reply.
    pub async fn reply<I>(&self, id: &[u8], message: I) -> Result<()>
    where
        I: IntoIterator,
        I::Item: Into<Message>,
    {
        let envelope = lock(&self.inner.routes).get(id).cloned().ok_or_else(|| {
            Error::invalid_input(format!(
                "no request with id {:?} waits for a reply",
                String::from_utf8_lossy(id)
            ))
        })?;
        let frames = envelope
            .into_iter()
            .chain([Message::from(id), Message::new()])
            .chain(message.into_iter().map(Into::into));
        self.inner.sender.send_multipart(frames).await?;
        lock(&self.inner.routes).remove(id);
        Ok(())
    }

    /// Runs `f` on the socket (options, more endpoints).
    pub fn with_socket<R>(&self, f: impl FnOnce(&crate::Socket) -> R) -> R {
        self.inner.sender.with_socket(f)
    }

    /// How many requests wait for their reply.
    pub fn unanswered(&self) -> usize {
        lock(&self.inner.routes).len()
    }
}

/// `(id, message)` requests; ends when the context is terminated.
impl Stream for ReplyServer {
    type Item = Result<(Vec<u8>, Vec<Message>)>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let result = ready!(self.inner.receiver.poll_recv_multipart(cx));
        Poll::Ready(stream_item(result).map(|item| item.and_then(|frames| self.accept(frames))))
    }
}
