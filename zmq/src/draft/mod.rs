//! The draft API of libzmq 4.3.5 (feature `draft`): thread-safe socket
//! types and string context options. Message routing ids and groups live on
//! [`Message`](crate::Message), the `zmq_poller` API in [`Poller`](crate::Poller).
//!
//! Draft APIs may change in later libzmq releases.

mod context_ext;
mod peer_state;
mod threadsafe;

pub use threadsafe::{ThreadSafeSocket, ThreadSafeType};
