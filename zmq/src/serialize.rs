//! Sending and receiving serialized values: JSON (feature `serde`) and any
//! format of your choosing.
//!
//! These are pyzmq's `send_json`/`recv_json` and
//! `send_serialized`/`recv_serialized`. A value goes out as one frame; the
//! errors of the format become [`Error`]s of kind
//! [`ErrorKind::Serialization`](crate::ErrorKind::Serialization) that keep
//! the format's message, so `?` works in a function returning
//! `zmq::Result` without boxing.
//!
//! ```
//! # #[cfg(feature = "serde")] {
//! use serde_json::json;
//! use zmq::SocketType;
//!
//! let ctx = zmq::Context::new()?;
//! let pull = ctx.socket(SocketType::Pull)?;
//! pull.bind("inproc://doc-serialize")?;
//! let push = ctx.socket(SocketType::Push)?;
//! push.connect("inproc://doc-serialize")?;
//!
//! push.send_json(&json!({"num": 7, "name": "seven"}))?;
//! let value: serde_json::Value = pull.recv_json()?;
//! assert_eq!(value["num"], 7);
//!
//! // Any format: here the value's decimal text.
//! push.send_serialized(&42u32, |n| Ok::<_, std::convert::Infallible>(n.to_string()))?;
//! let n: u32 = pull.recv_serialized(|bytes| String::from_utf8_lossy(bytes).parse::<u32>())?;
//! assert_eq!(n, 42);
//! # }
//! # Ok::<(), zmq::Error>(())
//! ```

use std::fmt::Display;

use crate::error::{Error, Result};
use crate::flags::{RecvFlags, SendFlags};
use crate::socket::{Sendable, Socket};

impl Socket {
    /// Sends `value` as one frame made by `serialize`, which returns any
    /// [`Sendable`] (`Vec<u8>` and `String` are handed over without a
    /// copy) or the format's error. That error becomes an
    /// [`ErrorKind::Serialization`](crate::ErrorKind::Serialization) error
    /// with the format's message, and nothing is sent.
    ///
    /// pyzmq's `send_serialized` sends the list of frames its function
    /// returns as a multipart message; this one sends one frame: serialize
    /// into several and [`send_multipart`](Self::send_multipart) them for
    /// more.
    pub fn send_serialized<T, B, E>(
        &self,
        value: &T,
        serialize: impl FnOnce(&T) -> Result<B, E>,
    ) -> Result<()>
    where
        T: ?Sized,
        B: Sendable,
        E: Display,
    {
        self.send_serialized_with(value, SendFlags::empty(), serialize)
    }

    /// [`send_serialized`](Self::send_serialized) with flags (`DONTWAIT`,
    /// `SNDMORE`).
    pub fn send_serialized_with<T, B, E>(
        &self,
        value: &T,
        flags: SendFlags,
        serialize: impl FnOnce(&T) -> Result<B, E>,
    ) -> Result<()>
    where
        T: ?Sized,
        B: Sendable,
        E: Display,
    {
        let frame = serialize(value).map_err(Error::serialization)?;
        self.send_with(frame, flags)
    }

    /// Receives one frame and turns it into a value with `deserialize`,
    /// whose error becomes an
    /// [`ErrorKind::Serialization`](crate::ErrorKind::Serialization) error
    /// with the format's message (the frame is consumed either way).
    pub fn recv_serialized<T, E>(
        &self,
        deserialize: impl FnOnce(&[u8]) -> Result<T, E>,
    ) -> Result<T>
    where
        E: Display,
    {
        self.recv_serialized_with(RecvFlags::empty(), deserialize)
    }

    /// [`recv_serialized`](Self::recv_serialized) with flags (`DONTWAIT`).
    pub fn recv_serialized_with<T, E>(
        &self,
        flags: RecvFlags,
        deserialize: impl FnOnce(&[u8]) -> Result<T, E>,
    ) -> Result<T>
    where
        E: Display,
    {
        let frame = self.recv_with(flags)?;
        deserialize(&frame).map_err(Error::serialization)
    }
}

#[cfg(feature = "serde")]
impl Socket {
    /// Sends `value` as one frame of JSON text (UTF-8), as pyzmq's
    /// `send_json`. A value serde_json cannot encode (a map with non-string
    /// keys, a failing `Serialize`) is an
    /// [`ErrorKind::Serialization`](crate::ErrorKind::Serialization) error
    /// and nothing is sent.
    pub fn send_json<T: serde::Serialize + ?Sized>(&self, value: &T) -> Result<()> {
        self.send_json_with(value, SendFlags::empty())
    }

    /// [`send_json`](Self::send_json) with flags (`DONTWAIT`, `SNDMORE`).
    pub fn send_json_with<T: serde::Serialize + ?Sized>(
        &self,
        value: &T,
        flags: SendFlags,
    ) -> Result<()> {
        self.send_serialized_with(value, flags, serde_json::to_vec)
    }

    /// Receives one frame of JSON and decodes it into a `T`, as pyzmq's
    /// `recv_json`. A frame that is not JSON, or not a `T`, is an
    /// [`ErrorKind::Serialization`](crate::ErrorKind::Serialization) error
    /// with serde_json's message (which says where it failed).
    pub fn recv_json<T: serde::de::DeserializeOwned>(&self) -> Result<T> {
        self.recv_json_with(RecvFlags::empty())
    }

    /// [`recv_json`](Self::recv_json) with flags (`DONTWAIT`).
    pub fn recv_json_with<T: serde::de::DeserializeOwned>(&self, flags: RecvFlags) -> Result<T> {
        self.recv_serialized_with(flags, |bytes| serde_json::from_slice(bytes))
    }
}
