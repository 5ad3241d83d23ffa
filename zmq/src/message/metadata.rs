//! The metadata properties of a received message (`zmq_msg_gets`), by
//! name and through named accessors.

use std::ffi::{CStr, CString};

use super::Message;

impl Message {
    /// A metadata property of a received message: "Socket-Type",
    /// "Identity", "User-Id", "Peer-Address", or one set by the peer or
    /// the ZAP handler. `None` if the message has no such property, and for
    /// every property of a message that came over `inproc://`, which
    /// carries no metadata; `None` too for a value that is not UTF-8.
    /// The named accessors ([`peer_address`](Self::peer_address),
    /// [`user_id`](Self::user_id), [`socket_type`](Self::socket_type),
    /// [`peer_routing_id`](Self::peer_routing_id)) read the standard ones.
    ///
    /// ```
    /// use zmq::{Message, SocketType};
    ///
    /// let ctx = zmq::Context::new()?;
    /// let pull = ctx.socket(SocketType::Pull)?;
    /// pull.bind("inproc://doc-gets")?;
    /// let push = ctx.socket(SocketType::Push)?;
    /// push.connect("inproc://doc-gets")?;
    /// push.send("hi")?;
    ///
    /// let msg = pull.recv()?;
    /// // Over tcp:// this would be Some("PUSH"); inproc:// has no metadata.
    /// assert_eq!(msg.gets("Socket-Type"), None);
    /// assert_eq!(Message::from("not received").gets("Peer-Address"), None);
    /// # Ok::<(), zmq::Error>(())
    /// ```
    #[doc(alias = "zmq_msg_gets")]
    pub fn gets(&self, property: &str) -> Option<&str> {
        self.gets_bytes(property)?.to_str().ok()
    }

    /// A property as libzmq stores it: a C string.
    fn gets_bytes(&self, property: &str) -> Option<&CStr> {
        let property = CString::new(property).ok()?;
        // SAFETY: the message is initialised, property is NUL-terminated;
        // zmq_msg_gets does not modify the message despite the *mut.
        let value = unsafe {
            zmq_sys::zmq_msg_gets(std::ptr::from_ref(&self.raw).cast_mut(), property.as_ptr())
        };
        if value.is_null() {
            return None;
        }
        // SAFETY: a non-NULL result is a NUL-terminated string owned by the
        // message's metadata, which lives as long as the message: the
        // returned borrow of `self` keeps it alive.
        Some(unsafe { CStr::from_ptr(value) })
    }

    /// The address of the peer this message came from over TCP, IPC or
    /// another connection-oriented transport: its IP address (without the
    /// port) for `tcp://`. The `"Peer-Address"` property.
    #[doc(alias = "zmq_msg_gets")]
    #[doc(alias = "Peer-Address")]
    pub fn peer_address(&self) -> Option<&str> {
        self.gets("Peer-Address")
    }

    /// The user id the ZAP handler gave the peer when it authenticated it
    /// (for PLAIN, the [`auth`](crate::auth) authenticator gives the user
    /// name). The `"User-Id"` property; `None` without authentication.
    #[doc(alias = "zmq_msg_gets")]
    #[doc(alias = "User-Id")]
    pub fn user_id(&self) -> Option<&str> {
        self.gets("User-Id")
    }

    /// The type of the peer's socket, as the peer announced it in its
    /// handshake: `"PUSH"`, `"DEALER"`, ... The `"Socket-Type"` property.
    #[doc(alias = "zmq_msg_gets")]
    #[doc(alias = "Socket-Type")]
    pub fn socket_type(&self) -> Option<&str> {
        self.gets("Socket-Type")
    }

    /// The routing id the peer announced in its handshake (its
    /// [`sockopt::RoutingId`](crate::sockopt::RoutingId)), as bytes: REQ,
    /// DEALER and ROUTER peers send one, which may be empty.
    ///
    /// libzmq 4.3.5 documents this property as `"Routing-Id"` but files it
    /// under its ZMTP name, `"Identity"`, where `zmq_msg_gets("Routing-Id")`
    /// does not look: this accessor asks for both. A routing id is binary
    /// but libzmq hands properties out as C strings, so one with a NUL byte
    /// reads back cut at the NUL.
    ///
    /// (The draft `Message::routing_id` is another thing: the
    /// number a SERVER socket stamps on messages.)
    #[doc(alias = "zmq_msg_gets")]
    #[doc(alias = "Routing-Id")]
    #[doc(alias = "Identity")]
    pub fn peer_routing_id(&self) -> Option<&[u8]> {
        self.gets_bytes("Routing-Id")
            .or_else(|| self.gets_bytes("Identity"))
            .map(CStr::to_bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_metadata_is_none() {
        let msg = Message::from("x");
        assert_eq!(msg.gets("User-Id"), None);
        assert_eq!(msg.gets("bad\0name"), None);
        assert_eq!(msg.peer_address(), None);
        assert_eq!(msg.user_id(), None);
        assert_eq!(msg.socket_type(), None);
        assert_eq!(msg.peer_routing_id(), None);
    }
}
