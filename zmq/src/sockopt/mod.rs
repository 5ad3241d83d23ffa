//! Socket options: one declarative table, one row per `ZMQ_*` option.
//!
//! Each row names the option's type in Rust (derived from its C type and
//! meaning) and whether it can be read, written or both; the macro turns the
//! row into a unit struct implementing [`GetOption`] and/or [`SetOption`], so
//! reading a write-only option or writing a read-only one does not compile.
//!
//! ```
//! use std::time::Duration;
//! use zmq::{SocketType, sockopt};
//!
//! let ctx = zmq::Context::new()?;
//! let socket = ctx.socket(SocketType::Dealer)?;
//! socket.set(sockopt::Linger, Some(Duration::ZERO))?;
//! socket.set(sockopt::RoutingId, b"worker-1")?;
//! assert_eq!(socket.get(sockopt::Linger)?, Some(Duration::ZERO));
//! assert_eq!(socket.get(sockopt::RoutingId)?, b"worker-1");
//! assert_eq!(socket.get(sockopt::Type)?, SocketType::Dealer);
//! # Ok::<(), zmq::Error>(())
//! ```
//!
//! The C types map as follows: `int` → `i32`; `int` used as a flag → `bool`;
//! `int` milliseconds → `Duration`, or `Option<Duration>` where `-1` means
//! "infinite" / "never" (`None`); `int64_t`/`uint64_t` → `i64`/`u64`;
//! binary data → `Vec<u8>` (read) / `&[u8]` (write); character strings →
//! `String` / `&str`; CURVE keys → `[u8; 32]` (read) and 32 binary bytes or
//! 40 Z85 characters (write).

use std::ffi::c_int;
use std::time::Duration;

use crate::error::{Error, Result};
use crate::flags::PollEvents;
use crate::socket::SocketType;

/// How libzmq stores an option's value, which decides the buffer
/// `zmq_getsockopt` is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RawKind {
    /// A C `int`.
    Int,
    /// A C `int64_t`.
    Int64,
    /// A C `uint64_t`.
    UInt64,
    /// Bytes, at most this many.
    Bytes(usize),
}

/// An option value in libzmq's representation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RawValue<'a> {
    /// A C `int`.
    Int(c_int),
    /// A C `int64_t`.
    Int64(i64),
    /// A C `uint64_t`.
    UInt64(u64),
    /// Bytes (strings include no terminating NUL).
    Bytes(&'a [u8]),
}

/// Keeps the option traits to this crate's tables: every value reaching
/// libzmq passes the checks of its table row and of the socket calls
/// (descriptor ownership, subscription sizes, option combinations), which
/// an option type declared elsewhere under the same number would bypass.
pub(crate) mod sealed {
    /// Implemented by the option types of this crate only.
    pub trait Sealed {}
}

/// A socket option: its libzmq number and name.
///
/// Implemented by the types of this module only (the trait is sealed): the
/// table covers every option of libzmq 4.3.5's `zmq.h`, and the socket calls
/// check values by option number, which an option declared elsewhere could
/// bypass. For anything beyond, call `zmq_setsockopt` on
/// [`Socket::as_raw`](crate::Socket::as_raw).
pub trait SocketOption: Copy + sealed::Sealed {
    /// The `ZMQ_*` number.
    const ID: c_int;
    /// The `ZMQ_*` name, for error messages.
    const NAME: &'static str;
}

/// A socket option that can be read with [`Socket::get`](crate::Socket::get).
pub trait GetOption: SocketOption {
    /// The Rust type of the value.
    type Value;
    /// The representation libzmq returns.
    const RAW: RawKind;
    /// Converts libzmq's representation to the Rust value.
    fn decode(raw: RawValue<'_>) -> Result<Self::Value>;
}

/// A socket option that can be written with [`Socket::set`](crate::Socket::set).
pub trait SetOption: SocketOption {
    /// The Rust type accepted.
    type Input<'a>;
    /// Converts the Rust value to libzmq's representation, rejecting values
    /// libzmq could not represent.
    fn encode<'a>(value: Self::Input<'a>) -> Result<RawValue<'a>>;
}

/// The longest subscription prefix this crate hands to libzmq, in bytes:
/// for [`Subscribe`] and [`Unsubscribe`] (and so `Socket::subscribe`) on
/// any socket, and for the subscription frames (first byte 1 or 0) sent on
/// an XSUB socket. Longer ones are an
/// [`InvalidInput`](crate::ErrorKind::InvalidInput) error.
///
/// libzmq 4.3.5 keeps subscriptions in tries that it walks recursively,
/// one call per byte of a prefix: removing one (unsubscribe) on the
/// calling thread, destroying them on its reaper thread when the socket
/// closes. A long prefix overflows the stack and kills the process. On
/// x86-64 Linux with the release build of libzmq this crate makes, an
/// unsubscribe takes about 80 bytes of stack per byte of prefix (a
/// 26 KB prefix crashes a Rust thread's default 2 MiB stack) and the
/// reaper about 48 bytes (170 KB crashes its 8 MiB stack); libzmq's own
/// threads get the platform's default stack, 512 KiB on macOS and 128 KiB
/// on musl, where a prefix of 2.7 KB is already fatal. 1 KiB needs under
/// 100 KiB of stack on every one of them, and is far longer than topics
/// are in practice.
///
/// Subscriptions from remote peers reach a PUB or XPUB socket's trie the
/// same way: this crate gives those sockets a
/// [`MaxMsgSize`] of `SUBSCRIPTION_MAX + 1` when it creates them, so that
/// a peer sending a longer one is disconnected (set `MaxMsgSize` to
/// `None` to lift it, at that risk).
pub const SUBSCRIPTION_MAX: usize = 1024;

/// `Err` for a subscription prefix of `len` bytes, over [`SUBSCRIPTION_MAX`].
pub(crate) fn check_subscription(what: &str, len: usize) -> Result<()> {
    if len > SUBSCRIPTION_MAX {
        return Err(Error::invalid_input(format!(
            "{what}: a subscription prefix of {len} bytes is longer than \
             {SUBSCRIPTION_MAX} (libzmq's subscription trie recurses once per byte)"
        )));
    }
    Ok(())
}

fn unexpected<T>(name: &'static str) -> Result<T> {
    Err(Error::invalid_input(format!(
        "{name}: libzmq returned an unexpected representation"
    )))
}

/// `value` in whole `unit_ms` milliseconds, as the C `int` libzmq takes.
///
/// Any fraction of a unit rounds *up*, as [`Socket::poll`](crate::Socket::poll)
/// does with its timeout: truncating would turn a non-zero wait such as
/// 500 µs into 0, which to libzmq means "do not wait" or "off". A value the
/// `int` cannot hold is an error, never wrapped or clamped.
fn ceil_units(name: &'static str, value: Duration, unit_ms: u128) -> Result<c_int> {
    let nanos = value.as_nanos();
    let unit_ns = unit_ms * 1_000_000;
    let ms = nanos.div_ceil(unit_ns) * unit_ms;
    c_int::try_from(ms).map_err(|_| {
        Error::invalid_input(format!("{name}: {value:?} exceeds i32::MAX milliseconds"))
    })
}

/// `value` in milliseconds, rounded up (see [`ceil_units`]).
pub(crate) fn millis(name: &'static str, value: Duration) -> Result<c_int> {
    ceil_units(name, value, 1)
}

/// A non-negative millisecond count read back from libzmq. A negative one
/// has no `Duration` and is reported, not mapped to zero.
fn from_millis(name: &'static str, raw: c_int) -> Result<Duration> {
    u64::try_from(raw).map(Duration::from_millis).map_err(|_| {
        Error::invalid_input(format!(
            "{name}: libzmq returned {raw}, not a number of milliseconds"
        ))
    })
}

/// A millisecond count where libzmq's `-1` means infinite, never or "not
/// set" (`None`); any other negative value is reported.
pub(crate) fn from_optional_millis(name: &'static str, raw: c_int) -> Result<Option<Duration>> {
    match raw {
        -1 => Ok(None),
        raw => from_millis(name, raw).map(Some),
    }
}

fn text<'a>(name: &'static str, value: &'a str) -> Result<RawValue<'a>> {
    if value.as_bytes().contains(&0) {
        return Err(Error::invalid_input(format!(
            "{name}: value contains a NUL byte"
        )));
    }
    Ok(RawValue::Bytes(value.as_bytes()))
}

/// Strips the terminating NUL libzmq includes in string option values.
fn until_nul(bytes: &[u8]) -> &[u8] {
    bytes
        .iter()
        .position(|&b| b == 0)
        .map_or(bytes, |end| &bytes[..end])
}

/// The enumerated values of some options. They live apart from the table
/// because one of them shares its name with its option (as
/// [`Mechanism`](crate::Mechanism) does); the crate root re-exports them.
pub(crate) mod values {
    use std::ffi::c_int;

    use crate::error::{Error, Result};

    /// A C-like enum over `ZMQ_*` constants: `From<Self> for c_int` to write
    /// it, `TryFrom<c_int>` to read it, an unknown number being an `Err`.
    macro_rules! option_enum {
        ($(#[$doc:meta])* $name:ident {
            $($(#[$vdoc:meta])* $variant:ident = $value:path,)+
        }) => {
            $(#[$doc])*
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
            pub enum $name {
                $($(#[$vdoc])* $variant,)+
            }

            impl From<$name> for c_int {
                fn from(value: $name) -> c_int {
                    match value {
                        $($name::$variant => $value,)+
                    }
                }
            }

            impl TryFrom<c_int> for $name {
                type Error = Error;

                /// The variant of a raw value; a value this version of the
                /// crate does not know is an `InvalidInput` error.
                fn try_from(raw: c_int) -> Result<Self> {
                    match raw {
                        $($value => Ok(Self::$variant),)+
                        _ => Err(Error::invalid_input(format!(
                            concat!("{} is not a known ", stringify!($name)),
                            raw
                        ))),
                    }
                }
            }
        };
    }

    option_enum! {
        /// How a GSSAPI principal name is to be read: the value of
        /// [`sockopt::GssapiPrincipalNametype`](crate::sockopt::GssapiPrincipalNametype)
        /// and
        /// [`sockopt::GssapiServicePrincipalNametype`](crate::sockopt::GssapiServicePrincipalNametype),
        /// whose C `int` holds one of the `ZMQ_GSSAPI_NT_*` constants.
        ///
        /// ```
        /// use zmq::GssapiNameType;
        /// assert_eq!(i32::from(GssapiNameType::UserName), zmq::sys::ZMQ_GSSAPI_NT_USER_NAME);
        /// assert_eq!(GssapiNameType::try_from(0)?, GssapiNameType::HostBased);
        /// assert!(GssapiNameType::try_from(9).is_err());
        /// # Ok::<(), zmq::Error>(())
        /// ```
        GssapiNameType {
            /// `ZMQ_GSSAPI_NT_HOSTBASED`: `service@host` (libzmq's default).
            #[doc(alias = "ZMQ_GSSAPI_NT_HOSTBASED")]
            HostBased = zmq_sys::ZMQ_GSSAPI_NT_HOSTBASED,
            /// `ZMQ_GSSAPI_NT_USER_NAME`: a local user name.
            #[doc(alias = "ZMQ_GSSAPI_NT_USER_NAME")]
            UserName = zmq_sys::ZMQ_GSSAPI_NT_USER_NAME,
            /// `ZMQ_GSSAPI_NT_KRB5_PRINCIPAL`: a Kerberos principal,
            /// `name/instance@REALM`.
            #[doc(alias = "ZMQ_GSSAPI_NT_KRB5_PRINCIPAL")]
            Krb5Principal = zmq_sys::ZMQ_GSSAPI_NT_KRB5_PRINCIPAL,
        }
    }

    #[cfg(feature = "draft")]
    option_enum! {
        /// NORM's rate and congestion control (draft): the value of
        /// [`sockopt::NormMode`](crate::sockopt::NormMode), whose C `int`
        /// holds one of the `ZMQ_NORM_*` mode constants.
        ///
        /// ```
        /// use zmq::NormMode;
        /// assert_eq!(i32::from(NormMode::Cce), zmq::sys::ZMQ_NORM_CCE);
        /// assert_eq!(NormMode::try_from(zmq::sys::ZMQ_NORM_CC)?, NormMode::Cc);
        /// assert!(NormMode::try_from(5).is_err());
        /// # Ok::<(), zmq::Error>(())
        /// ```
        NormMode {
            /// `ZMQ_NORM_FIXED`: a fixed rate, `sockopt::Rate`.
            #[doc(alias = "ZMQ_NORM_FIXED")]
            Fixed = zmq_sys::ZMQ_NORM_FIXED,
            /// `ZMQ_NORM_CC`: TCP-friendly congestion control (libzmq's default).
            #[doc(alias = "ZMQ_NORM_CC")]
            Cc = zmq_sys::ZMQ_NORM_CC,
            /// `ZMQ_NORM_CCL`: loss-tolerant congestion control.
            #[doc(alias = "ZMQ_NORM_CCL")]
            Ccl = zmq_sys::ZMQ_NORM_CCL,
            /// `ZMQ_NORM_CCE`: congestion control driven by ECN marks.
            #[doc(alias = "ZMQ_NORM_CCE")]
            Cce = zmq_sys::ZMQ_NORM_CCE,
            /// `ZMQ_NORM_CCE_ECNONLY`: congestion control driven by ECN marks
            /// only, ignoring packet loss.
            #[doc(alias = "ZMQ_NORM_CCE_ECNONLY")]
            CceEcnOnly = zmq_sys::ZMQ_NORM_CCE_ECNONLY,
        }
    }
}

#[macro_use]
mod macros;
mod table;
#[cfg(test)]
mod tests;

pub use table::*;
