//! The connections of Twisted's tx0mq (claws/tx0mq, after smira's txZMQ)
//! in Rust's shape: thin layers over [`AsyncSocket`] that keep tx0mq's
//! wire layout, so a Python peer written the tx0mq way talks to them.
//!
//! | tx0mq | here | socket | wire layout |
//! |---|---|---|---|
//! | `ZmqPubConnection.publish(message, topic)` | [`Publisher::publish`] | PUB | the topic frame (left out when empty), then the message's frames |
//! | `ZmqSubConnection.subscribe(tag)`, `messageReceived(message, topic)` | [`Subscriber`]: a stream of `(topic, message)` | SUB | first frame the topic, the rest the message |
//! | `ZmqReqConnection.request(message)` → deferred | [`RequestClient::request`] → future | DEALER | request id, empty delimiter, the message's frames; the reply the same |
//! | `ZmqRepConnection.messageReceived(message, id)`, `reply(id, message)` | [`ReplyServer`]: `(id, message)`, [`reply`](ReplyServer::reply) | ROUTER | routing envelope, request id, empty delimiter, message |
//! | `ZmqPushConnection.push`, `ZmqPullConnection` | [`Pusher`], [`Puller`] | PUSH, PULL | the message's frames |
//! | `ZmqPairConnection` | [`Pair`] | PAIR | the message's frames |
//!
//! The publisher follows claws/tx0mq, whose `publish` sends the topic as a
//! frame of its own; smira's older txZMQ sends `topic + b"\0" + message`
//! as one frame instead (and its subscriber also accepts the two-frame
//! form). A [`Subscriber`] fed by such a txZMQ publisher yields that whole
//! frame as the topic and an empty message; split it at the first NUL.
//!
//! A message is one or more frames (any `IntoIterator` of things that
//! convert into a [`Message`](crate::Message)), as tx0mq sends a string or a list of them.
//! tx0mq's `ZmqEndpoint(bind | connect, address)` becomes the
//! [`Connection::bind`] and [`Connection::connect`] constructors, or an
//! [`AsyncSocket`] set up by hand and handed to
//! [`Connection::from_socket`].
//!
//! ```
//! use zmq::asyncio::connection::{Connection, ReplyServer, RequestClient};
//!
//! # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
//! let ctx = zmq::Context::new()?;
//! let server = ReplyServer::bind(&ctx, "inproc://doc-reqrep")?;
//! let client = RequestClient::connect(&ctx, "inproc://doc-reqrep")?;
//!
//! let replier = tokio::spawn({
//!     let server = server.clone();
//!     async move {
//!         let (id, message) = server.recv().await?;
//!         let mut reply = b"echo: ".to_vec();
//!         reply.extend_from_slice(&message[0]);
//!         server.reply(&id, [reply]).await
//!     }
//! });
//! let reply = client.request(["hello"]).await?;
//! assert_eq!(reply[0], "echo: hello");
//! replier.await.unwrap()?;
//! # Ok::<(), zmq::Error>(())
//! # }).unwrap();
//! ```

mod pipeline;
mod pubsub;
mod reqrep;

pub use pipeline::{Pair, Puller, Pusher};
pub use pubsub::{Publisher, Subscriber};
pub use reqrep::{ReplyServer, RequestClient};

use super::AsyncSocket;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::socket::SocketType;
use crate::sockopt;

/// What every connection has: a socket type, and constructors that bind or
/// connect a new socket of it (tx0mq's `listen` and `connect`).
pub trait Connection: Sized {
    /// The socket type the connection runs on.
    const SOCKET_TYPE: SocketType;

    /// Wraps a socket set up by hand (options, several endpoints); `Err`
    /// of kind [`InvalidInput`](crate::ErrorKind::InvalidInput) if it is
    /// not of [`SOCKET_TYPE`](Self::SOCKET_TYPE).
    fn from_socket(socket: AsyncSocket) -> Result<Self>;

    /// A new socket bound to `endpoint` (`tcp://127.0.0.1:*` picks a port).
    fn bind(ctx: &Context, endpoint: &str) -> Result<Self> {
        let socket = AsyncSocket::with_type(ctx, Self::SOCKET_TYPE)?;
        socket.bind(endpoint)?;
        Self::from_socket(socket)
    }

    /// A new socket connected to `endpoint`.
    fn connect(ctx: &Context, endpoint: &str) -> Result<Self> {
        let socket = AsyncSocket::with_type(ctx, Self::SOCKET_TYPE)?;
        socket.connect(endpoint)?;
        Self::from_socket(socket)
    }
}

/// Checks that `socket` is of the type a connection needs.
fn check_type(socket: &AsyncSocket, expected: SocketType, who: &str) -> Result<()> {
    let kind = socket.get(sockopt::Type)?;
    if kind == expected {
        Ok(())
    } else {
        Err(Error::invalid_input(format!(
            "a {who} runs on a {expected:?} socket, not {kind:?}"
        )))
    }
}
