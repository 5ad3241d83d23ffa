//! tx0mq's `ZmqPushConnection`, `ZmqPullConnection` and
//! `ZmqPairConnection`: messages as they are, one or more frames.

use std::future::poll_fn;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;

use super::{Connection, check_type};
use crate::asyncio::AsyncSocket;
use crate::error::Result;
use crate::message::Message;
use crate::socket::SocketType;

/// Declares a connection over one socket type with its `get_ref`,
/// `into_inner` and, when it receives, `recv` and the [`Stream`] impl.
macro_rules! connection {
    ($(#[$doc:meta])* $name:ident, $kind:ident, $who:literal) => {
        $(#[$doc])*
        #[derive(Debug)]
        pub struct $name {
            socket: AsyncSocket,
        }

        impl Connection for $name {
            const SOCKET_TYPE: SocketType = SocketType::$kind;

            fn from_socket(socket: AsyncSocket) -> Result<Self> {
                check_type(&socket, Self::SOCKET_TYPE, $who)?;
                Ok(Self { socket })
            }
        }

        impl $name {
            /// The socket, for options and endpoints.
            pub fn get_ref(&self) -> &AsyncSocket {
                &self.socket
            }

            /// The socket back.
            pub fn into_inner(self) -> AsyncSocket {
                self.socket
            }
        }
    };
    (@recv $name:ident) => {
        impl $name {
            /// The next message's frames.
            ///
            /// # Cancel safety
            ///
            /// Cancel safe: the whole message or none of it.
            pub async fn recv(&mut self) -> Result<Vec<Message>> {
                let socket = &mut self.socket;
                poll_fn(move |cx| socket.poll_recv_multipart(cx)).await
            }
        }

        /// The messages received; ends when the context is terminated.
        impl Stream for $name {
            type Item = Result<Vec<Message>>;

            fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
                Pin::new(&mut self.get_mut().socket).poll_next(cx)
            }
        }
    };
    (@send $name:ident, $method:ident) => {
        impl $name {
            /// Sends a message of one or more frames.
            ///
            /// # Cancel safety
            ///
            /// All or nothing, as [`AsyncSocket::send_multipart`].
            pub async fn $method<I>(&mut self, message: I) -> Result<()>
            where
                I: IntoIterator,
                I::Item: Into<Message>,
            {
                self.socket.send_multipart(message).await
            }
        }
    };
}

connection! {
    /// A PUSH socket (tx0mq's `ZmqPushConnection`): [`push`](Self::push)
    /// hands each message to one of the pullers, in turn.
    Pusher, Push, "pusher"
}
connection!(@send Pusher, push);

connection! {
    /// A PULL socket (tx0mq's `ZmqPullConnection`): a [`Stream`] of the
    /// messages pushed to it.
    Puller, Pull, "puller"
}
connection!(@recv Puller);

connection! {
    /// A PAIR socket (tx0mq's `ZmqPairConnection`): sends to and receives
    /// from its one peer; a [`Stream`] of what it receives.
    Pair, Pair, "pair"
}
connection!(@send Pair, send);
connection!(@recv Pair);
