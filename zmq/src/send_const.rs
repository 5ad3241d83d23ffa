//! `Socket::send_const`: sending constant data without a copy
//! (`zmq_send_const`).

use crate::error::{Result, check};
use crate::flags::SendFlags;
use crate::socket::Socket;

impl Socket {
    /// Sends `data`, which lives for the whole program, as one frame
    /// without copying it: libzmq keeps a reference to the bytes
    /// themselves, as [`Message::from_static`](crate::Message::from_static)
    /// does for a message.
    ///
    /// ```
    /// use zmq::SocketType;
    ///
    /// static HEARTBEAT: &[u8] = b"HEARTBEAT";
    ///
    /// let ctx = zmq::Context::new()?;
    /// let pull = ctx.socket(SocketType::Pull)?;
    /// pull.bind("inproc://doc-send-const")?;
    /// let push = ctx.socket(SocketType::Push)?;
    /// push.connect("inproc://doc-send-const")?;
    /// push.send_const(HEARTBEAT)?;
    /// assert_eq!(pull.recv_bytes()?, HEARTBEAT);
    /// # Ok::<(), zmq::Error>(())
    /// ```
    #[doc(alias = "zmq_send_const")]
    pub fn send_const(&self, data: &'static [u8]) -> Result<()> {
        self.send_const_with(data, SendFlags::empty())
    }

    /// [`send_const`](Self::send_const) with flags (`DONTWAIT`,
    /// `SNDMORE`).
    #[doc(alias = "zmq_send_const")]
    pub fn send_const_with(&self, data: &'static [u8], flags: SendFlags) -> Result<()> {
        // libzmq's UDP engine copies a DGRAM frame into a fixed buffer
        // unchecked: refuse one too large, as `send` does.
        #[cfg(feature = "draft")]
        if self.get(crate::sockopt::Type)? == crate::SocketType::Dgram {
            crate::raw_socket::check_udp_datagram_size(data.len())?;
        }
        // SAFETY: the socket is live; data lives for the whole program and
        // is never written, which is what zmq_send_const requires.
        check(unsafe {
            zmq_sys::zmq_send_const(
                self.as_raw(),
                data.as_ptr().cast(),
                data.len(),
                flags.bits(),
            )
        })
        .map(drop)
    }
}
