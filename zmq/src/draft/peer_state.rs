//! `Socket::peer_state` (draft): whether a ROUTER can send to one peer now
//! (`zmq_socket_get_peer_state`).

use crate::error::{Error, Result, check};
use crate::flags::PollEvents;
use crate::socket::Socket;

impl Socket {
    /// The state of the peer with `routing_id` on this ROUTER socket:
    /// [`PollEvents::POLLOUT`] set if a message to it would not block (its
    /// pipe is below the high water mark), empty otherwise. An unknown
    /// routing id is a [`HostUnreachable`](crate::ErrorKind::HostUnreachable)
    /// error; a socket of another type, [`NotSupported`](crate::ErrorKind::NotSupported).
    #[doc(alias = "zmq_socket_get_peer_state")]
    pub fn peer_state(&self, routing_id: &[u8]) -> Result<PollEvents> {
        if routing_id.is_empty() {
            return Err(Error::invalid_input("peer_state: the routing id is empty"));
        }
        // SAFETY: the socket is live; routing_id points at routing_id.len()
        // readable bytes, which libzmq only reads during the call.
        let state = check(unsafe {
            zmq_sys::zmq_socket_get_peer_state(
                self.as_raw(),
                routing_id.as_ptr().cast(),
                routing_id.len(),
            )
        })
        .map_err(|e| e.context("peer_state"))?;
        // The state is a ZMQ_POLL* bit set, which fits a short.
        Ok(PollEvents::from_bits_retain(
            i16::try_from(state).unwrap_or_default(),
        ))
    }
}
