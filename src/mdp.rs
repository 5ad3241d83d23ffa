//! The Majordomo Protocol's constants (`MDP.py`): the frames that open every
//! MDP/0.1 message and the worker commands, as ZeroMQ RFC 7 defines them.
//!
//! A client's request, as the broker's ROUTER receives it:
//!
//! | frame | content |
//! |---|---|
//! | 0 | the client's identity (added by the ROUTER) |
//! | 1 | empty (REQ's delimiter) |
//! | 2 | [`C_CLIENT`] |
//! | 3 | the service name |
//! | 4.. | the request body |
//!
//! The reply travels back with the same envelope, [`C_CLIENT`] and the
//! service name. Between broker and worker every message reads
//! `[empty, W_WORKER, command, ...]` on the worker's DEALER:
//!
//! | command | sender | frames after the command |
//! |---|---|---|
//! | [`W_READY`] | worker | the service name |
//! | [`W_REQUEST`] | broker | client address, empty, body |
//! | [`W_REPLY`] | worker | client address, empty, body |
//! | [`W_HEARTBEAT`] | either | none |
//! | [`W_DISCONNECT`] | either | none |
//!
//! The client and worker sides are [`crate::mdcliapi`] and
//! [`crate::mdwrkapi`]; the broker is the `mdbroker` example.

use std::fmt;

/// The protocol header of MDP/Client 0.1.
pub const C_CLIENT: &[u8] = b"MDPC01";

/// The protocol header of MDP/Worker 0.1.
pub const W_WORKER: &[u8] = b"MDPW01";

/// Worker to broker: ready to serve the service named next.
pub const W_READY: &[u8] = b"\x01";
/// Broker to worker: a client's request.
pub const W_REQUEST: &[u8] = b"\x02";
/// Worker to broker: the reply to a request.
pub const W_REPLY: &[u8] = b"\x03";
/// Either way: still alive.
pub const W_HEARTBEAT: &[u8] = b"\x04";
/// Either way: the session is over.
pub const W_DISCONNECT: &[u8] = b"\x05";

/// The name of each worker command, indexed by its one-byte code (index 0
/// has none), as the original's `commands` list.
pub const COMMANDS: [Option<&[u8]>; 6] = [
    None,
    Some(b"READY"),
    Some(b"REQUEST"),
    Some(b"REPLY"),
    Some(b"HEARTBEAT"),
    Some(b"DISCONNECT"),
];

/// The name of worker command `command` (`b"\x02"` is `REQUEST`), `None`
/// for anything else.
pub fn command_name(command: &[u8]) -> Option<&'static [u8]> {
    match command {
        [code] => COMMANDS.get(usize::from(*code)).copied().flatten(),
        _ => None,
    }
}

/// What can go wrong in a Majordomo client or worker.
#[derive(Debug)]
pub enum Error {
    /// A socket call failed.
    Zmq(zmq::Error),
    /// The peer broke the protocol (or the caller did, e.g. a worker that
    /// has a request to answer and passes no reply); the text says how.
    /// The Python originals `assert` these.
    Protocol(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Zmq(e) => write!(f, "{e}"),
            Error::Protocol(why) => write!(f, "Majordomo protocol error: {why}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Zmq(e) => Some(e),
            Error::Protocol(_) => None,
        }
    }
}

impl From<zmq::Error> for Error {
    fn from(e: zmq::Error) -> Self {
        Error::Zmq(e)
    }
}

/// Result of the Majordomo APIs.
pub type Result<T> = std::result::Result<T, Error>;

/// `Err(Error::Protocol(why))` unless `condition` holds: the original's
/// `assert`, as an error.
pub(crate) fn expect(condition: bool, why: impl FnOnce() -> String) -> Result<()> {
    if condition {
        Ok(())
    } else {
        Err(Error::Protocol(why()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_are_named_by_their_code() {
        assert_eq!(command_name(W_READY), Some(&b"READY"[..]));
        assert_eq!(command_name(W_DISCONNECT), Some(&b"DISCONNECT"[..]));
        assert_eq!(command_name(b"\x00"), None);
        assert_eq!(command_name(b"\x06"), None);
        assert_eq!(command_name(b"\x01\x02"), None);
    }
}
