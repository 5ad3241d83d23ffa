//! Receiving on a [`Socket`]: single frames into a [`Message`], a buffer,
//! a vector or a string, and multipart messages.

use super::Socket;
use crate::error::{Error, Result, check};
use crate::flags::RecvFlags;
use crate::message::Message;
use crate::raw_socket;

impl Socket {
    /// Receives one frame into `msg`, replacing its content, blocking until
    /// one arrives (or the receive timeout passes); the cheapest way to
    /// receive in a loop. The same as [`recv_msg_with`](Self::recv_msg_with)
    /// with no flags.
    #[doc(alias = "zmq_msg_recv")]
    #[inline]
    pub fn recv_msg(&self, msg: &mut Message) -> Result<()> {
        self.recv_msg_with(msg, RecvFlags::empty())
    }

    /// Receives one frame into `msg` with `flags`:
    /// [`RecvFlags::DONTWAIT`] fails with
    /// [`ErrorKind::Again`](crate::ErrorKind::Again) when nothing is queued.
    #[doc(alias = "zmq_msg_recv")]
    #[inline]
    pub fn recv_msg_with(&self, msg: &mut Message, flags: RecvFlags) -> Result<()> {
        // SAFETY: the socket is live.
        unsafe { raw_socket::recv_message(self.as_raw(), msg, flags) }
    }

    /// Receives one frame as a new [`Message`], blocking. The same as
    /// [`recv_with`](Self::recv_with) with no flags.
    #[doc(alias = "zmq_msg_recv")]
    #[inline]
    pub fn recv(&self) -> Result<Message> {
        self.recv_with(RecvFlags::empty())
    }

    /// Receives one frame as a new [`Message`] with `flags`.
    ///
    /// ```
    /// use zmq::{ErrorKind, RecvFlags, SocketType};
    ///
    /// let ctx = zmq::Context::new()?;
    /// let pull = ctx.socket(SocketType::Pull)?;
    /// pull.bind("inproc://doc-recv-with")?;
    /// let error = pull.recv_with(RecvFlags::DONTWAIT).unwrap_err();
    /// assert_eq!(error.kind(), ErrorKind::Again);
    /// # Ok::<(), zmq::Error>(())
    /// ```
    #[doc(alias = "zmq_msg_recv")]
    pub fn recv_with(&self, flags: RecvFlags) -> Result<Message> {
        let mut msg = Message::new();
        self.recv_msg_with(&mut msg, flags)?;
        Ok(msg)
    }

    /// Receives one frame into `buffer`, blocking, and returns the frame's
    /// full size: if that is larger than `buffer`, the rest was discarded.
    /// The same as [`recv_into_with`](Self::recv_into_with) with no flags.
    ///
    /// ```
    /// # use zmq::SocketType;
    /// # let ctx = zmq::Context::new()?;
    /// # let a = ctx.socket(SocketType::Pair)?;
    /// # a.bind("inproc://doc-recv-into")?;
    /// # let b = ctx.socket(SocketType::Pair)?;
    /// # b.connect("inproc://doc-recv-into")?;
    /// a.send("0123456789")?;
    /// let mut buffer = [0u8; 4];
    /// let size = b.recv_into(&mut buffer)?;
    /// assert_eq!((size, &buffer), (10, b"0123"));
    /// # Ok::<(), zmq::Error>(())
    /// ```
    #[doc(alias = "zmq_recv")]
    #[inline]
    pub fn recv_into(&self, buffer: &mut [u8]) -> Result<usize> {
        self.recv_into_with(buffer, RecvFlags::empty())
    }

    /// Receives one frame into `buffer` with `flags`, returning the frame's
    /// full size as [`recv_into`](Self::recv_into) does.
    #[doc(alias = "zmq_recv")]
    pub fn recv_into_with(&self, buffer: &mut [u8], flags: RecvFlags) -> Result<usize> {
        // SAFETY: the socket is live; libzmq writes at most buffer.len()
        // bytes into the buffer.
        let size = check(unsafe {
            zmq_sys::zmq_recv(
                self.as_raw(),
                buffer.as_mut_ptr().cast(),
                buffer.len(),
                flags.bits(),
            )
        })?;
        // A successful zmq_recv returns the (non-negative) frame size.
        Ok(usize::try_from(size).unwrap_or(0))
    }

    /// Receives one frame as a vector, blocking. The same as
    /// [`recv_bytes_with`](Self::recv_bytes_with) with no flags.
    #[inline]
    pub fn recv_bytes(&self) -> Result<Vec<u8>> {
        self.recv_bytes_with(RecvFlags::empty())
    }

    /// Receives one frame as a vector with `flags`.
    pub fn recv_bytes_with(&self, flags: RecvFlags) -> Result<Vec<u8>> {
        self.recv_with(flags).map(|msg| msg.to_vec())
    }

    /// Receives one frame as UTF-8 text, blocking;
    /// [`ErrorKind::InvalidUtf8`](crate::ErrorKind::InvalidUtf8) if it is
    /// not. The same as [`recv_string_with`](Self::recv_string_with) with
    /// no flags.
    #[inline]
    pub fn recv_string(&self) -> Result<String> {
        self.recv_string_with(RecvFlags::empty())
    }

    /// Receives one frame as UTF-8 text with `flags`.
    pub fn recv_string_with(&self, flags: RecvFlags) -> Result<String> {
        let bytes = self.recv_bytes_with(flags)?;
        String::from_utf8(bytes).map_err(|_| Error::invalid_utf8("received frame is not UTF-8"))
    }

    /// Receives every frame of a multipart message, blocking, each copied
    /// into a vector; [`recv_multipart_messages`](Self::recv_multipart_messages)
    /// keeps them as [`Message`]s instead. The same as
    /// [`recv_multipart_with`](Self::recv_multipart_with) with no flags.
    ///
    /// ```
    /// use zmq::{ErrorKind, RecvFlags, SocketType};
    ///
    /// let ctx = zmq::Context::new()?;
    /// let router = ctx.socket(SocketType::Router)?;
    /// router.bind("inproc://doc-recv-multipart")?;
    /// let dealer = ctx.socket(SocketType::Dealer)?;
    /// dealer.set(zmq::sockopt::RoutingId, b"A")?;
    /// dealer.connect("inproc://doc-recv-multipart")?;
    ///
    /// dealer.send_multipart(["", "hello"])?;
    /// // The ROUTER puts the sender's routing id in front.
    /// let frames = router.recv_multipart()?;
    /// assert_eq!(frames, [&b"A"[..], b"", b"hello"]);
    /// let error = router.recv_multipart_with(RecvFlags::DONTWAIT).unwrap_err();
    /// assert_eq!(error.kind(), ErrorKind::Again);
    /// # Ok::<(), zmq::Error>(())
    /// ```
    #[inline]
    pub fn recv_multipart(&self) -> Result<Vec<Vec<u8>>> {
        self.recv_multipart_with(RecvFlags::empty())
    }

    /// Receives every frame of a multipart message (with `flags` for each
    /// frame) as vectors. If a frame after the first fails, the frames
    /// received are lost with the error and the rest of the message stays
    /// queued.
    pub fn recv_multipart_with(&self, flags: RecvFlags) -> Result<Vec<Vec<u8>>> {
        let mut parts = Vec::new();
        let mut msg = Message::new();
        loop {
            self.recv_msg_with(&mut msg, flags)?;
            parts.push(msg.to_vec());
            if !msg.more() {
                return Ok(parts);
            }
        }
    }

    /// Receives every frame of a multipart message, blocking, as
    /// [`Message`]s: no frame is copied and each keeps its metadata
    /// ([`Message::gets`]). The same as
    /// [`recv_multipart_messages_with`](Self::recv_multipart_messages_with)
    /// with no flags.
    ///
    /// ```
    /// use zmq::SocketType;
    ///
    /// let ctx = zmq::Context::new()?;
    /// let router = ctx.socket(SocketType::Router)?;
    /// router.bind("inproc://doc-recv-multipart-messages")?;
    /// let req = ctx.socket(SocketType::Req)?;
    /// req.connect("inproc://doc-recv-multipart-messages")?;
    ///
    /// req.send("Hello")?;
    /// let frames = router.recv_multipart_messages()?;
    /// let [identity, empty, request] = <[zmq::Message; 3]>::try_from(frames)
    ///     .expect("a REQ envelope has three frames");
    /// assert_eq!((empty.len(), &request[..]), (0, &b"Hello"[..]));
    /// // The routing id goes back as received, a Message beside text.
    /// router.send_multipart(zmq::frames![identity, "", "World"])?;
    /// assert_eq!(req.recv_string()?, "World");
    /// # Ok::<(), zmq::Error>(())
    /// ```
    #[inline]
    pub fn recv_multipart_messages(&self) -> Result<Vec<Message>> {
        self.recv_multipart_messages_with(RecvFlags::empty())
    }

    /// Receives every frame of a multipart message (with `flags` for each
    /// frame) as [`Message`]s. If a frame after the first fails, the frames
    /// received are lost with the error and the rest of the message stays
    /// queued.
    pub fn recv_multipart_messages_with(&self, flags: RecvFlags) -> Result<Vec<Message>> {
        let mut parts = Vec::new();
        loop {
            let mut msg = Message::new();
            self.recv_msg_with(&mut msg, flags)?;
            let more = msg.more();
            parts.push(msg);
            if !more {
                return Ok(parts);
            }
        }
    }
}
