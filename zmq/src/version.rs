//! The linked libzmq: its version and what it was built with.

use std::ffi::CString;

/// The runtime libzmq version as `(major, minor, patch)`.
///
/// ```
/// let (major, minor, _) = zmq::version();
/// assert!((major, minor) >= (4, 3));
/// ```
#[doc(alias = "zmq_version")]
pub fn version() -> (i32, i32, i32) {
    let (mut major, mut minor, mut patch) = (0, 0, 0);
    // SAFETY: zmq_version writes three ints through valid pointers.
    unsafe { zmq_sys::zmq_version(&mut major, &mut minor, &mut patch) };
    (major, minor, patch)
}

/// A capability libzmq may have been built with (`zmq_has`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Capability {
    /// The `ipc://` transport.
    Ipc,
    /// The `pgm://` and `epgm://` multicast transports.
    Pgm,
    /// The `tipc://` transport.
    Tipc,
    /// The `norm://` transport.
    Norm,
    /// The CURVE security mechanism.
    Curve,
    /// The GSSAPI security mechanism.
    Gssapi,
    /// The draft API.
    Draft,
    /// The `ws://` transport.
    WebSocket,
    /// The `wss://` transport.
    SecureWebSocket,
    /// The `vmci://` transport.
    Vmci,
}

impl Capability {
    /// Every capability, for listing them.
    pub const ALL: [Capability; 10] = [
        Self::Ipc,
        Self::Pgm,
        Self::Tipc,
        Self::Norm,
        Self::Curve,
        Self::Gssapi,
        Self::Draft,
        Self::WebSocket,
        Self::SecureWebSocket,
        Self::Vmci,
    ];

    /// The name `zmq_has` knows it by. libzmq 4.3.5 spells the WebSocket
    /// transports in capitals (`"WS"`, `"WSS"`), unlike their `ws://` and
    /// `wss://` endpoints, and answers false to `"ws"` and `"wss"`.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Ipc => "ipc",
            Self::Pgm => "pgm",
            Self::Tipc => "tipc",
            Self::Norm => "norm",
            Self::Curve => "curve",
            Self::Gssapi => "gssapi",
            Self::Draft => "draft",
            Self::WebSocket => "WS",
            Self::SecureWebSocket => "WSS",
            Self::Vmci => "vmci",
        }
    }
}

/// True if the linked libzmq has `capability`.
///
/// ```
/// assert!(zmq::has(zmq::Capability::Curve));
/// ```
#[doc(alias = "zmq_has")]
pub fn has(capability: Capability) -> bool {
    has_named(capability.name())
}

/// `zmq_has` by name, for capabilities newer than [`Capability`]; false for
/// names with a NUL byte and names libzmq does not know.
///
/// ```
/// use zmq::{Capability, has, has_named};
///
/// assert_eq!(has_named("curve"), has(Capability::Curve));
/// assert_eq!(has_named(Capability::Ipc.name()), has(Capability::Ipc));
/// assert!(!has_named("no-such-capability"));
/// assert!(!has_named("curve\0"));
/// ```
#[doc(alias = "zmq_has")]
pub fn has_named(name: &str) -> bool {
    let Ok(name) = CString::new(name) else {
        return false;
    };
    // SAFETY: zmq_has reads a NUL-terminated string.
    unsafe { zmq_sys::zmq_has(name.as_ptr()) == 1 }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The names libzmq 4.3.5's `zmq_has` compares with (src/zmq.cpp),
    /// written out here rather than taken from [`Capability::name`].
    const LIBZMQ_NAMES: [(Capability, &std::ffi::CStr); 10] = [
        (Capability::Ipc, c"ipc"),
        (Capability::Pgm, c"pgm"),
        (Capability::Tipc, c"tipc"),
        (Capability::Norm, c"norm"),
        (Capability::Curve, c"curve"),
        (Capability::Gssapi, c"gssapi"),
        (Capability::Draft, c"draft"),
        (Capability::WebSocket, c"WS"),
        (Capability::SecureWebSocket, c"WSS"),
        (Capability::Vmci, c"vmci"),
    ];

    fn raw_has(name: &std::ffi::CStr) -> bool {
        // SAFETY: zmq_has reads a NUL-terminated string.
        unsafe { zmq_sys::zmq_has(name.as_ptr()) == 1 }
    }

    #[test]
    fn every_capability_answers_as_zmq_has_does_under_libzmqs_own_name() {
        assert_eq!(Capability::ALL.len(), LIBZMQ_NAMES.len());
        for (capability, c_name) in LIBZMQ_NAMES {
            assert!(Capability::ALL.contains(&capability), "{capability:?}");
            let name = c_name.to_str().unwrap();
            assert_eq!(capability.name(), name);
            let expected = raw_has(c_name);
            assert_eq!(has(capability), expected, "{capability:?}");
            assert_eq!(has_named(name), expected, "{name}");
        }
        // Names libzmq does not know, or cannot be handed, are false.
        assert!(!raw_has(c"ws") && !has_named("ws") && !has_named("wss"));
        assert!(!has_named("no-such-capability") && !has_named("curve\0"));
    }

    #[test]
    fn the_vendored_build_has_curve_and_draft_exactly_with_the_draft_feature() {
        let vendored = cfg!(feature = "vendored")
            && !cfg!(feature = "system")
            && option_env!("ZMQ_NO_VENDOR") != Some("1");
        // zmq-sys refuses `draft` with an installed libzmq, so a draft build
        // is always vendored.
        if cfg!(feature = "draft") || vendored {
            assert_eq!(has(Capability::Draft), cfg!(feature = "draft"));
        }
        if vendored {
            assert!(has(Capability::Curve));
        }
    }
}
