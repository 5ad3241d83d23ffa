//! `Frame`: one frame of any [`Sendable`] type, so a multipart message can
//! mix them, and the [`frames!`](crate::frames) macro that builds an array
//! of them.

use crate::error::Result;
use crate::flags::SendFlags;
use crate::message::Message;
use crate::socket::{Sendable, Socket};

/// One frame of a multipart message, whatever it was built from: borrowed
/// bytes or text (copied when sent), an owned buffer or a [`Message`]
/// (handed to libzmq without a copy), or a `&mut Message` (sent in place,
/// left empty).
///
/// Every [`Sendable`] type of this crate converts into a `Frame`, so an
/// envelope of a routing id, an empty delimiter and a text body goes out in
/// one call with [`frames!`](crate::frames):
///
/// ```
/// use zmq::SocketType;
///
/// let ctx = zmq::Context::new()?;
/// let router = ctx.socket(SocketType::Router)?;
/// router.bind("inproc://doc-frame")?;
/// let req = ctx.socket(SocketType::Req)?;
/// req.connect("inproc://doc-frame")?;
///
/// req.send("Hello")?;
/// let envelope = router.recv_multipart()?;
/// let identity: Vec<u8> = envelope[0].clone();
/// router.send_multipart(zmq::frames![identity, "", "World"])?;
/// assert_eq!(req.recv_string()?, "World");
/// # Ok::<(), zmq::Error>(())
/// ```
#[derive(Debug)]
pub struct Frame<'a>(Repr<'a>);

#[derive(Debug)]
enum Repr<'a> {
    /// Copied by `zmq_send`.
    Borrowed(&'a [u8]),
    /// Handed over by `zmq_msg_send`.
    Owned(Message),
    /// Sent by `zmq_msg_send` and left empty.
    InPlace(&'a mut Message),
}

impl Frame<'_> {
    /// The frame's size in bytes.
    pub fn len(&self) -> usize {
        match &self.0 {
            Repr::Borrowed(bytes) => bytes.len(),
            Repr::Owned(msg) => msg.len(),
            Repr::InPlace(msg) => msg.len(),
        }
    }

    /// True for an empty frame (such as an envelope's delimiter).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Sendable for Frame<'_> {
    #[inline]
    fn send_on(self, socket: &Socket, flags: SendFlags) -> Result<()> {
        match self.0 {
            Repr::Borrowed(bytes) => bytes.send_on(socket, flags),
            Repr::Owned(msg) => msg.send_on(socket, flags),
            Repr::InPlace(msg) => msg.send_on(socket, flags),
        }
    }

    #[inline]
    fn frame_size(&self) -> Option<usize> {
        Some(self.len())
    }
}

/// The frame as a message of its own: borrowed bytes are copied, an owned
/// message is handed over, and a `&mut Message` gives up its content (it is
/// left empty, as sending it would leave it). This is how the async
/// sockets (`zmq::asyncio`, feature `tokio`) take [`frames!`](crate::frames)
/// for a multipart send: they hold the frames until the socket has room.
impl From<Frame<'_>> for Message {
    fn from(frame: Frame<'_>) -> Self {
        match frame.0 {
            Repr::Borrowed(bytes) => Message::from(bytes),
            Repr::Owned(msg) => msg,
            Repr::InPlace(msg) => std::mem::take(msg),
        }
    }
}

/// Borrowed bytes, copied when sent.
impl<'a> From<&'a [u8]> for Frame<'a> {
    #[inline]
    fn from(bytes: &'a [u8]) -> Self {
        Self(Repr::Borrowed(bytes))
    }
}

/// Borrowed bytes, copied when sent.
impl<'a, const N: usize> From<&'a [u8; N]> for Frame<'a> {
    #[inline]
    fn from(bytes: &'a [u8; N]) -> Self {
        Self(Repr::Borrowed(bytes))
    }
}

/// Copied into a message.
impl<const N: usize> From<[u8; N]> for Frame<'_> {
    #[inline]
    fn from(bytes: [u8; N]) -> Self {
        Self(Repr::Owned(Message::from(&bytes)))
    }
}

/// Borrowed text, copied when sent.
impl<'a> From<&'a str> for Frame<'a> {
    #[inline]
    fn from(text: &'a str) -> Self {
        Self(Repr::Borrowed(text.as_bytes()))
    }
}

/// Borrowed text, copied when sent.
impl<'a> From<&'a String> for Frame<'a> {
    #[inline]
    fn from(text: &'a String) -> Self {
        Self(Repr::Borrowed(text.as_bytes()))
    }
}

/// Borrowed bytes, copied when sent.
impl<'a> From<&'a Vec<u8>> for Frame<'a> {
    #[inline]
    fn from(bytes: &'a Vec<u8>) -> Self {
        Self(Repr::Borrowed(bytes))
    }
}

/// Taken over without copying its bytes (see `From<Vec<u8>> for Message`).
impl From<Vec<u8>> for Frame<'_> {
    #[inline]
    fn from(bytes: Vec<u8>) -> Self {
        Self(Repr::Owned(Message::from(bytes)))
    }
}

/// Taken over without copying its bytes.
impl From<String> for Frame<'_> {
    #[inline]
    fn from(text: String) -> Self {
        Self(Repr::Owned(Message::from(text)))
    }
}

/// Taken over without copying its bytes.
impl From<Box<[u8]>> for Frame<'_> {
    #[inline]
    fn from(bytes: Box<[u8]>) -> Self {
        Self(Repr::Owned(Message::from(bytes)))
    }
}

/// Sent as it is, with no copy.
impl From<Message> for Frame<'_> {
    #[inline]
    fn from(msg: Message) -> Self {
        Self(Repr::Owned(msg))
    }
}

/// Sent in place: the message is left empty once sent, as
/// [`Sendable`] for `&mut Message` does.
impl<'a> From<&'a mut Message> for Frame<'a> {
    #[inline]
    fn from(msg: &'a mut Message) -> Self {
        Self(Repr::InPlace(msg))
    }
}

/// Shares the buffer with no copy (see `From<Bytes> for Message`).
#[cfg(feature = "bytes")]
impl From<bytes::Bytes> for Frame<'_> {
    #[inline]
    fn from(bytes: bytes::Bytes) -> Self {
        Self(Repr::Owned(Message::from(bytes)))
    }
}

/// An array of [`Frame`]s, one per argument, each converted with
/// `Frame::from`: a multipart message of mixed types for
/// [`Socket::send_multipart`].
///
/// ```
/// use zmq::SocketType;
///
/// let ctx = zmq::Context::new()?;
/// let a = ctx.socket(SocketType::Pair)?;
/// a.bind("inproc://doc-frames")?;
/// let b = ctx.socket(SocketType::Pair)?;
/// b.connect("inproc://doc-frames")?;
///
/// let body = String::from("text");
/// a.send_multipart(zmq::frames![b"id", "", &body, zmq::Message::from(vec![7u8; 64])])?;
/// let frames = b.recv_multipart()?;
/// assert_eq!(frames[..3], [&b"id"[..], b"", b"text"]);
/// assert_eq!(frames[3], [7u8; 64]);
/// # Ok::<(), zmq::Error>(())
/// ```
#[macro_export]
macro_rules! frames {
    () => {
        [] as [$crate::Frame<'static>; 0]
    };
    ($($frame:expr),+ $(,)?) => {
        [$($crate::Frame::from($frame)),+]
    };
}
