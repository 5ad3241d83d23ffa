//! Sending on a [`Socket`]: the [`Sendable`] trait, single frames and
//! multipart messages.

use super::Socket;
use crate::error::{Error, Result, check};
use crate::flags::SendFlags;
use crate::message::Message;
use crate::raw_socket;

impl Socket {
    /// Sends one frame, blocking until libzmq has queued it: bytes, text,
    /// an owned buffer (handed over without a copy when large), a
    /// [`Message`] or a [`Frame`](crate::Frame). The same as
    /// [`send_with`](Self::send_with) with no flags.
    #[doc(alias = "zmq_send")]
    #[doc(alias = "zmq_msg_send")]
    #[inline]
    pub fn send(&self, data: impl Sendable) -> Result<()> {
        data.send_on(self, SendFlags::empty())
    }

    /// Sends one frame with `flags`: [`SendFlags::DONTWAIT`] fails with
    /// [`ErrorKind::Again`](crate::ErrorKind::Again) instead of blocking,
    /// [`SendFlags::SNDMORE`] marks more frames of the same message to
    /// follow.
    ///
    /// ```
    /// use zmq::{ErrorKind, SendFlags, SocketType};
    ///
    /// let ctx = zmq::Context::new()?;
    /// let push = ctx.socket(SocketType::Push)?;
    /// push.bind("inproc://doc-send-with")?;
    /// // No peer to queue it for: DONTWAIT gives up at once.
    /// let error = push.send_with("lost", SendFlags::DONTWAIT).unwrap_err();
    /// assert_eq!(error.kind(), ErrorKind::Again);
    /// # Ok::<(), zmq::Error>(())
    /// ```
    #[doc(alias = "zmq_send")]
    #[doc(alias = "zmq_msg_send")]
    #[inline]
    pub fn send_with(&self, data: impl Sendable, flags: SendFlags) -> Result<()> {
        data.send_on(self, flags)
    }

    /// Sends every item as one frame of a multipart message, blocking; the
    /// items may be of mixed types through [`frames!`](crate::frames). The
    /// same as [`send_multipart_with`](Self::send_multipart_with) with no
    /// flags; see there for the errors.
    ///
    /// ```
    /// # use zmq::SocketType;
    /// # let ctx = zmq::Context::new()?;
    /// # let a = ctx.socket(SocketType::Pair)?;
    /// # a.bind("inproc://doc-multipart")?;
    /// # let b = ctx.socket(SocketType::Pair)?;
    /// # b.connect("inproc://doc-multipart")?;
    /// a.send_multipart(["key", "value"])?;
    /// assert_eq!(b.recv_multipart()?, [b"key".to_vec(), b"value".to_vec()]);
    ///
    /// let id = vec![0u8, 1, 2];
    /// a.send_multipart(zmq::frames![id, "", "body"])?;
    /// assert_eq!(b.recv_multipart()?, [&[0u8, 1, 2][..], b"", b"body"]);
    /// # Ok::<(), zmq::Error>(())
    /// ```
    #[inline]
    pub fn send_multipart<I>(&self, parts: I) -> Result<()>
    where
        I: IntoIterator,
        I::Item: Sendable,
    {
        self.send_multipart_with(parts, SendFlags::empty())
    }

    /// Sends every item as one frame of a multipart message, with `flags`
    /// on each frame: all but the last get `SNDMORE` as well.
    ///
    /// Two mistakes are [`InvalidInput`](crate::ErrorKind::InvalidInput)
    /// errors, found before any frame is sent: `SNDMORE` in `flags` (it
    /// would leave the message open, so the next send joined it) and no
    /// frames at all (libzmq has no empty multipart message). With
    /// [`SendFlags::DONTWAIT`], a socket that cannot queue the first frame
    /// fails with [`ErrorKind::Again`](crate::ErrorKind::Again) having sent
    /// nothing; once the first frame is queued, libzmq queues the rest.
    ///
    /// For this crate's own [`Sendable`] types no frame can fail on the
    /// crate's side once the first is out: a DGRAM socket (feature `draft`),
    /// whose frames this crate checks against the UDP datagram size, has
    /// every frame checked, and the count of two (address, body) too,
    /// before the first is sent. So an error leaves a partial message
    /// behind only if libzmq itself fails a later frame (the context shut
    /// down) or a [`Sendable`] of your own fails in
    /// [`send_on`](Sendable::send_on) after the first frame: the frames
    /// already sent then wait for the rest, and the next frame sent on the
    /// socket joins them.
    ///
    /// ```
    /// use zmq::{ErrorKind, SendFlags, SocketType};
    ///
    /// let ctx = zmq::Context::new()?;
    /// let push = ctx.socket(SocketType::Push)?;
    /// push.bind("inproc://doc-multipart-with")?;
    /// let error = push.send_multipart_with(["a", "b"], SendFlags::SNDMORE).unwrap_err();
    /// assert_eq!(error.kind(), ErrorKind::InvalidInput);
    /// let error = push.send_multipart_with(["a", "b"], SendFlags::DONTWAIT).unwrap_err();
    /// assert_eq!(error.kind(), ErrorKind::Again);
    /// # Ok::<(), zmq::Error>(())
    /// ```
    pub fn send_multipart_with<I>(&self, parts: I, flags: SendFlags) -> Result<()>
    where
        I: IntoIterator,
        I::Item: Sendable,
    {
        if flags.contains(SendFlags::SNDMORE) {
            return Err(Error::invalid_input(
                "send_multipart: SNDMORE in the flags would leave the message open for the \
                 next send; every frame but the last gets SNDMORE already",
            ));
        }
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
        if parts.peek().is_none() {
            return Err(Error::invalid_input(
                "send_multipart: a message needs at least one frame",
            ));
        }
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
/// # use zmq::{Message, SocketType};
/// # let ctx = zmq::Context::new()?;
/// # let client = ctx.socket(SocketType::Req)?;
/// # client.bind("inproc://doc-send-mut")?;
/// # let server = ctx.socket(SocketType::Rep)?;
/// # server.connect("inproc://doc-send-mut")?;
/// client.send("ping")?;
/// let mut msg = Message::new();
/// server.recv_msg(&mut msg)?;
/// server.send(&mut msg)?; // echo it back
/// assert!(msg.is_empty());
/// assert_eq!(client.recv_bytes()?, b"ping");
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
