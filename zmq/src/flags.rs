//! Flag sets for send, receive and poll calls, and for the socket options
//! whose C `int` ORs `ZMQ_*` bits.

use std::ffi::c_int;

macro_rules! flag_set {
    ($(#[$doc:meta])* $name:ident($repr:ty) { $($(#[$fdoc:meta])* $flag:ident = $value:expr;)* }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
        pub struct $name($repr);

        impl $name {
            $($(#[$fdoc])* pub const $flag: Self = Self($value as $repr);)*

            /// No flags.
            pub const fn empty() -> Self {
                Self(0)
            }

            /// The raw bits passed to libzmq.
            pub const fn bits(self) -> $repr {
                self.0
            }

            /// Keeps every bit, known or not.
            pub const fn from_bits_retain(bits: $repr) -> Self {
                Self(bits)
            }

            /// True if every flag of `other` is set.
            pub const fn contains(self, other: Self) -> bool {
                self.0 & other.0 == other.0
            }

            /// True if any flag of `other` is set.
            pub const fn intersects(self, other: Self) -> bool {
                self.0 & other.0 != 0
            }

            /// True if no flag is set.
            pub const fn is_empty(self) -> bool {
                self.0 == 0
            }
        }

        impl ::std::ops::BitOr for $name {
            type Output = Self;
            fn bitor(self, other: Self) -> Self {
                Self(self.0 | other.0)
            }
        }

        impl ::std::ops::BitOrAssign for $name {
            fn bitor_assign(&mut self, other: Self) {
                self.0 |= other.0;
            }
        }

        impl ::std::fmt::Debug for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                let mut set = f.debug_set();
                $(if self.contains(Self::$flag) && Self::$flag.0 != 0 {
                    set.entry(&format_args!(stringify!($flag)));
                })*
                let known = 0 $(| Self::$flag.0)*;
                if self.0 & !known != 0 {
                    set.entry(&format_args!("{:#x}", self.0 & !known));
                }
                set.finish()
            }
        }
    };
}

// Lets other modules declare their flag sets (e.g. monitor events).
pub(crate) use flag_set;

flag_set! {
    /// Flags of a send call.
    ///
    /// ```
    /// use zmq::SendFlags;
    /// let flags = SendFlags::DONTWAIT | SendFlags::SNDMORE;
    /// assert!(flags.contains(SendFlags::SNDMORE));
    /// ```
    SendFlags(c_int) {
        /// `ZMQ_DONTWAIT`: fail with `Again` instead of blocking.
        DONTWAIT = zmq_sys::ZMQ_DONTWAIT;
        /// `ZMQ_SNDMORE`: more frames of this message follow.
        SNDMORE = zmq_sys::ZMQ_SNDMORE;
    }
}

flag_set! {
    /// Flags of a receive call.
    RecvFlags(c_int) {
        /// `ZMQ_DONTWAIT`: fail with `Again` instead of blocking.
        DONTWAIT = zmq_sys::ZMQ_DONTWAIT;
    }
}

flag_set! {
    /// Events a poll waits for, or found.
    PollEvents(i16) {
        /// `ZMQ_POLLIN`: a message can be received.
        POLLIN = zmq_sys::ZMQ_POLLIN;
        /// `ZMQ_POLLOUT`: a message can be sent.
        POLLOUT = zmq_sys::ZMQ_POLLOUT;
        /// `ZMQ_POLLERR`: an error condition on a file descriptor.
        POLLERR = zmq_sys::ZMQ_POLLERR;
        /// `ZMQ_POLLPRI`: urgent data on a file descriptor.
        POLLPRI = zmq_sys::ZMQ_POLLPRI;
    }
}

#[cfg(feature = "draft")]
flag_set! {
    /// When a ROUTER hands its application an empty message from a peer
    /// (draft): the value of [`sockopt::RouterNotify`](crate::sockopt::RouterNotify),
    /// whose C `int` ORs `ZMQ_NOTIFY_CONNECT` and `ZMQ_NOTIFY_DISCONNECT`.
    ///
    /// ```
    /// use zmq::{RouterNotifyFlags, SocketType, sockopt};
    ///
    /// let ctx = zmq::Context::new()?;
    /// let router = ctx.socket(SocketType::Router)?;
    /// router.bind("inproc://doc-router-notify")?;
    /// let both = RouterNotifyFlags::CONNECT | RouterNotifyFlags::DISCONNECT;
    /// router.set(sockopt::RouterNotify, both)?;
    /// assert_eq!(router.get(sockopt::RouterNotify)?, both);
    /// # Ok::<(), zmq::Error>(())
    /// ```
    RouterNotifyFlags(c_int) {
        /// `ZMQ_NOTIFY_CONNECT`: when a peer connects.
        CONNECT = zmq_sys::ZMQ_NOTIFY_CONNECT;
        /// `ZMQ_NOTIFY_DISCONNECT`: when a peer disconnects.
        DISCONNECT = zmq_sys::ZMQ_NOTIFY_DISCONNECT;
    }
}

#[cfg(feature = "draft")]
flag_set! {
    /// When a connecting socket gives up reconnecting (draft): the value of
    /// [`sockopt::ReconnectStop`](crate::sockopt::ReconnectStop), whose C
    /// `int` ORs the `ZMQ_RECONNECT_STOP_*` bits. Empty (the default): never.
    ///
    /// ```
    /// use zmq::{ReconnectStopFlags, SocketType, sockopt};
    ///
    /// let ctx = zmq::Context::new()?;
    /// let dealer = ctx.socket(SocketType::Dealer)?;
    /// dealer.set(sockopt::ReconnectStop, ReconnectStopFlags::CONN_REFUSED)?;
    /// dealer.connect("inproc://doc-reconnect-stop")?;
    /// assert_eq!(dealer.get(sockopt::ReconnectStop)?, ReconnectStopFlags::CONN_REFUSED);
    /// # Ok::<(), zmq::Error>(())
    /// ```
    ReconnectStopFlags(c_int) {
        /// `ZMQ_RECONNECT_STOP_CONN_REFUSED`: the peer refused the connection.
        CONN_REFUSED = zmq_sys::ZMQ_RECONNECT_STOP_CONN_REFUSED;
        /// `ZMQ_RECONNECT_STOP_HANDSHAKE_FAILED`: the ZMTP handshake failed.
        HANDSHAKE_FAILED = zmq_sys::ZMQ_RECONNECT_STOP_HANDSHAKE_FAILED;
        /// `ZMQ_RECONNECT_STOP_AFTER_DISCONNECT`: after `disconnect()` was
        /// called on the endpoint.
        AFTER_DISCONNECT = zmq_sys::ZMQ_RECONNECT_STOP_AFTER_DISCONNECT;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_names_known_flags_and_keeps_unknown_bits() {
        let events = PollEvents::POLLIN | PollEvents::from_bits_retain(0x40);
        assert_eq!(format!("{events:?}"), "{POLLIN, 0x40}");
        assert_eq!(format!("{:?}", SendFlags::empty()), "{}");
    }

    #[test]
    fn bits_match_libzmq() {
        assert_eq!((SendFlags::DONTWAIT | SendFlags::SNDMORE).bits(), 3);
        assert!(!RecvFlags::empty().contains(RecvFlags::DONTWAIT));
        assert!(PollEvents::POLLIN.intersects(PollEvents::POLLIN | PollEvents::POLLOUT));
    }
}
