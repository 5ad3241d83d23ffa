//! tx0mq's `ZmqPubConnection` and `ZmqSubConnection`.

use std::future::poll_fn;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use futures_core::Stream;

use super::{Connection, check_type};
use crate::asyncio::AsyncSocket;
use crate::asyncio::socket::stream_item;
use crate::error::Result;
use crate::message::Message;
use crate::socket::SocketType;

/// A PUB socket that publishes messages under a topic, as tx0mq's
/// `ZmqPubConnection`: the topic goes first, as a frame of its own
/// (none when the topic is empty), then the message's frames.
#[derive(Debug)]
pub struct Publisher {
    socket: AsyncSocket,
}

impl Connection for Publisher {
    const SOCKET_TYPE: SocketType = SocketType::Pub;

    fn from_socket(socket: AsyncSocket) -> Result<Self> {
        check_type(&socket, Self::SOCKET_TYPE, "publisher")?;
        Ok(Self { socket })
    }
}

impl Publisher {
    /// Publishes `message` (one or more frames) under `topic`.
    ///
    /// # Cancel safety
    ///
    /// All or nothing, as [`AsyncSocket::send_multipart`].
    pub async fn publish<I>(&mut self, message: I, topic: impl AsRef<[u8]>) -> Result<()>
    where
        I: IntoIterator,
        I::Item: Into<Message>,
    {
        let topic = topic.as_ref();
        let frames = (!topic.is_empty())
            .then(|| Message::from(topic))
            .into_iter()
            .chain(message.into_iter().map(Into::into));
        self.socket.send_multipart(frames).await
    }

    /// The socket, for options and endpoints.
    pub fn get_ref(&self) -> &AsyncSocket {
        &self.socket
    }

    /// The socket back.
    pub fn into_inner(self) -> AsyncSocket {
        self.socket
    }
}

/// A SUB socket whose messages arrive as `(topic, message)`, as tx0mq's
/// `ZmqSubConnection` hands them to `messageReceived`: the first frame is
/// the topic, the others the message (empty if the publisher sent one
/// frame). It is also a [`Stream`] of them.
#[derive(Debug)]
pub struct Subscriber {
    socket: AsyncSocket,
}

impl Connection for Subscriber {
    const SOCKET_TYPE: SocketType = SocketType::Sub;

    fn from_socket(socket: AsyncSocket) -> Result<Self> {
        check_type(&socket, Self::SOCKET_TYPE, "subscriber")?;
        Ok(Self { socket })
    }
}

/// Splits a received message (never without frames) into its topic and
/// the rest.
fn topic_and_message(frames: Vec<Message>) -> (Message, Vec<Message>) {
    let mut frames = frames.into_iter();
    let topic = frames.next().unwrap_or_default();
    (topic, frames.collect())
}

impl Subscriber {
    /// Subscribes to messages whose topic starts with `tag` (empty: all).
    pub fn subscribe(&self, tag: impl AsRef<[u8]>) -> Result<()> {
        self.socket.subscribe(tag)
    }

    /// Removes a subscription.
    pub fn unsubscribe(&self, tag: impl AsRef<[u8]>) -> Result<()> {
        self.socket.unsubscribe(tag)
    }

    /// The next message, as `(topic, message)`.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: the whole message or none of it.
    pub async fn recv(&mut self) -> Result<(Message, Vec<Message>)> {
        let socket = &mut self.socket;
        let frames = poll_fn(move |cx| socket.poll_recv_multipart(cx)).await?;
        Ok(topic_and_message(frames))
    }

    /// The socket, for options and endpoints.
    pub fn get_ref(&self) -> &AsyncSocket {
        &self.socket
    }

    /// The socket back.
    pub fn into_inner(self) -> AsyncSocket {
        self.socket
    }
}

/// `(topic, message)` pairs; ends when the context is terminated.
impl Stream for Subscriber {
    type Item = Result<(Message, Vec<Message>)>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let result = ready!(self.get_mut().socket.poll_recv_multipart(cx));
        Poll::Ready(stream_item(result).map(|item| item.map(topic_and_message)))
    }
}
