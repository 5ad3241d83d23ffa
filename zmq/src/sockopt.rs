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

macro_rules! socket_options {
    ($table:ident; $(
        $(#[$doc:meta])*
        $name:ident = $id:ident: $codec:ident $(($codec_ty:ty))?, $($access:ident)+;
    )*) => {
        $(
            $(#[$doc])*
            #[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
            pub struct $name;
            impl sealed::Sealed for $name {}
            impl SocketOption for $name {
                const ID: c_int = zmq_sys::$id as c_int;
                const NAME: &'static str = stringify!($id);
            }
            socket_options!(@row $name [$($access)+] $codec $(($codec_ty))?);
        )*
        /// Every option in this table, for the coverage test.
        #[cfg(test)]
        pub(crate) const $table: &[&str] = &[$(stringify!($id)),*];
    };

    // One `@get` / `@set` expansion per access word of a row.
    (@row $name:ident [] $($codec:tt)+) => {};
    (@row $name:ident [$access:ident $($rest:ident)*] $($codec:tt)+) => {
        socket_options!(@$access $name $($codec)+);
        socket_options!(@row $name [$($rest)*] $($codec)+);
    };

    (@get $name:ident int) => {
        impl GetOption for $name {
            type Value = i32;
            const RAW: RawKind = RawKind::Int;
            fn decode(raw: RawValue<'_>) -> Result<i32> {
                match raw { RawValue::Int(v) => Ok(v), _ => unexpected(Self::NAME) }
            }
        }
    };
    (@set $name:ident int) => {
        impl SetOption for $name {
            type Input<'a> = i32;
            fn encode<'a>(value: Self::Input<'a>) -> Result<RawValue<'a>> { Ok(RawValue::Int(value)) }
        }
    };
    (@get $name:ident int64) => {
        impl GetOption for $name {
            type Value = i64;
            const RAW: RawKind = RawKind::Int64;
            fn decode(raw: RawValue<'_>) -> Result<i64> {
                match raw { RawValue::Int64(v) => Ok(v), _ => unexpected(Self::NAME) }
            }
        }
    };
    (@set $name:ident int64) => {
        impl SetOption for $name {
            type Input<'a> = i64;
            fn encode<'a>(value: Self::Input<'a>) -> Result<RawValue<'a>> { Ok(RawValue::Int64(value)) }
        }
    };
    (@get $name:ident uint64) => {
        impl GetOption for $name {
            type Value = u64;
            const RAW: RawKind = RawKind::UInt64;
            fn decode(raw: RawValue<'_>) -> Result<u64> {
                match raw { RawValue::UInt64(v) => Ok(v), _ => unexpected(Self::NAME) }
            }
        }
    };
    (@set $name:ident uint64) => {
        impl SetOption for $name {
            type Input<'a> = u64;
            fn encode<'a>(value: Self::Input<'a>) -> Result<RawValue<'a>> { Ok(RawValue::UInt64(value)) }
        }
    };
    (@get $name:ident bool) => {
        impl GetOption for $name {
            type Value = bool;
            const RAW: RawKind = RawKind::Int;
            fn decode(raw: RawValue<'_>) -> Result<bool> {
                match raw { RawValue::Int(v) => Ok(v != 0), _ => unexpected(Self::NAME) }
            }
        }
    };
    (@set $name:ident bool) => {
        impl SetOption for $name {
            type Input<'a> = bool;
            fn encode<'a>(value: Self::Input<'a>) -> Result<RawValue<'a>> {
                Ok(RawValue::Int(c_int::from(value)))
            }
        }
    };
    // `int` milliseconds, never negative.
    (@get $name:ident millis) => {
        impl GetOption for $name {
            type Value = Duration;
            const RAW: RawKind = RawKind::Int;
            fn decode(raw: RawValue<'_>) -> Result<Duration> {
                match raw {
                    RawValue::Int(v) => from_millis(Self::NAME, v),
                    _ => unexpected(Self::NAME),
                }
            }
        }
    };
    (@set $name:ident millis) => {
        impl SetOption for $name {
            type Input<'a> = Duration;
            fn encode<'a>(value: Self::Input<'a>) -> Result<RawValue<'a>> {
                millis(Self::NAME, value).map(RawValue::Int)
            }
        }
    };
    // `int` milliseconds where -1 means infinite / never: `None`.
    (@get $name:ident timeout) => {
        impl GetOption for $name {
            type Value = Option<Duration>;
            const RAW: RawKind = RawKind::Int;
            fn decode(raw: RawValue<'_>) -> Result<Option<Duration>> {
                match raw {
                    RawValue::Int(v) => from_optional_millis(Self::NAME, v),
                    _ => unexpected(Self::NAME),
                }
            }
        }
    };
    (@set $name:ident timeout) => {
        impl SetOption for $name {
            type Input<'a> = Option<Duration>;
            fn encode<'a>(value: Self::Input<'a>) -> Result<RawValue<'a>> {
                match value {
                    None => Ok(RawValue::Int(-1)),
                    Some(value) => millis(Self::NAME, value).map(RawValue::Int),
                }
            }
        }
    };
    // `int` milliseconds whose default, -1, means "derived from another
    // option" (`None`); libzmq accepts only values >= 0 from the caller.
    (@get $name:ident millis_or_derived) => {
        socket_options!(@get $name timeout);
    };
    (@set $name:ident millis_or_derived) => {
        socket_options!(@set $name millis);
    };
    // `int` milliseconds that libzmq keeps in deciseconds: written rounded
    // up to a whole decisecond, so a short non-zero TTL never becomes 0.
    (@get $name:ident decis) => {
        socket_options!(@get $name millis);
    };
    (@set $name:ident decis) => {
        impl SetOption for $name {
            type Input<'a> = Duration;
            fn encode<'a>(value: Self::Input<'a>) -> Result<RawValue<'a>> {
                ceil_units(Self::NAME, value, 100).map(RawValue::Int)
            }
        }
    };
    // An `int` that holds one of a few `ZMQ_*` constants: a C-like enum.
    (@get $name:ident int_enum($ty:ty)) => {
        impl GetOption for $name {
            type Value = $ty;
            const RAW: RawKind = RawKind::Int;
            fn decode(raw: RawValue<'_>) -> Result<$ty> {
                match raw {
                    RawValue::Int(v) => <$ty>::try_from(v).map_err(|_| {
                        Error::invalid_input(format!(
                            "{}: libzmq returned {v}, which {} does not know",
                            Self::NAME,
                            stringify!($ty)
                        ))
                    }),
                    _ => unexpected(Self::NAME),
                }
            }
        }
    };
    (@set $name:ident int_enum($ty:ty)) => {
        impl SetOption for $name {
            type Input<'a> = $ty;
            fn encode<'a>(value: Self::Input<'a>) -> Result<RawValue<'a>> {
                Ok(RawValue::Int(c_int::from(value)))
            }
        }
    };
    // An `int` of OR-ed `ZMQ_*` bits: a flag set that keeps unknown bits.
    (@get $name:ident int_flags($ty:ty)) => {
        impl GetOption for $name {
            type Value = $ty;
            const RAW: RawKind = RawKind::Int;
            fn decode(raw: RawValue<'_>) -> Result<$ty> {
                match raw {
                    RawValue::Int(v) => Ok(<$ty>::from_bits_retain(v)),
                    _ => unexpected(Self::NAME),
                }
            }
        }
    };
    (@set $name:ident int_flags($ty:ty)) => {
        impl SetOption for $name {
            type Input<'a> = $ty;
            fn encode<'a>(value: Self::Input<'a>) -> Result<RawValue<'a>> {
                Ok(RawValue::Int(value.bits()))
            }
        }
    };
    // `int64_t` byte count where -1 means no limit: `None`.
    (@get $name:ident limit) => {
        impl GetOption for $name {
            type Value = Option<u64>;
            const RAW: RawKind = RawKind::Int64;
            fn decode(raw: RawValue<'_>) -> Result<Option<u64>> {
                match raw { RawValue::Int64(v) => Ok(u64::try_from(v).ok()), _ => unexpected(Self::NAME) }
            }
        }
    };
    (@set $name:ident limit) => {
        impl SetOption for $name {
            type Input<'a> = Option<u64>;
            fn encode<'a>(value: Self::Input<'a>) -> Result<RawValue<'a>> {
                match value {
                    None => Ok(RawValue::Int64(-1)),
                    Some(v) => i64::try_from(v).map(RawValue::Int64).map_err(|_| {
                        Error::invalid_input(format!("{}: {v} exceeds i64::MAX", Self::NAME))
                    }),
                }
            }
        }
    };
    // `int` where -1 means "leave the OS default": `None`.
    (@get $name:ident tristate) => {
        impl GetOption for $name {
            type Value = Option<bool>;
            const RAW: RawKind = RawKind::Int;
            fn decode(raw: RawValue<'_>) -> Result<Option<bool>> {
                match raw { RawValue::Int(v) => Ok((v >= 0).then_some(v > 0)), _ => unexpected(Self::NAME) }
            }
        }
    };
    (@set $name:ident tristate) => {
        impl SetOption for $name {
            type Input<'a> = Option<bool>;
            fn encode<'a>(value: Self::Input<'a>) -> Result<RawValue<'a>> {
                Ok(RawValue::Int(value.map_or(-1, c_int::from)))
            }
        }
    };
    (@get $name:ident bytes) => {
        impl GetOption for $name {
            type Value = Vec<u8>;
            const RAW: RawKind = RawKind::Bytes(256);
            fn decode(raw: RawValue<'_>) -> Result<Vec<u8>> {
                match raw { RawValue::Bytes(v) => Ok(v.to_vec()), _ => unexpected(Self::NAME) }
            }
        }
    };
    (@set $name:ident bytes) => {
        impl SetOption for $name {
            type Input<'a> = &'a [u8];
            fn encode<'a>(value: Self::Input<'a>) -> Result<RawValue<'a>> { Ok(RawValue::Bytes(value)) }
        }
    };
    (@get $name:ident text) => {
        impl GetOption for $name {
            type Value = String;
            const RAW: RawKind = RawKind::Bytes(1024);
            fn decode(raw: RawValue<'_>) -> Result<String> {
                match raw {
                    RawValue::Bytes(v) => String::from_utf8(until_nul(v).to_vec()).map_err(|_| {
                        Error::invalid_utf8(Self::NAME)
                    }),
                    _ => unexpected(Self::NAME),
                }
            }
        }
    };
    (@set $name:ident text) => {
        impl SetOption for $name {
            type Input<'a> = &'a str;
            fn encode<'a>(value: Self::Input<'a>) -> Result<RawValue<'a>> { text(Self::NAME, value) }
        }
    };
    // 32 binary bytes, or 40 Z85 characters when written.
    (@get $name:ident curve_key) => {
        impl GetOption for $name {
            type Value = [u8; 32];
            const RAW: RawKind = RawKind::Bytes(32);
            fn decode(raw: RawValue<'_>) -> Result<[u8; 32]> {
                match raw {
                    RawValue::Bytes(v) => v.try_into().or_else(|_| unexpected(Self::NAME)),
                    _ => unexpected(Self::NAME),
                }
            }
        }
    };
    (@set $name:ident curve_key) => {
        impl SetOption for $name {
            type Input<'a> = &'a [u8];
            fn encode<'a>(value: Self::Input<'a>) -> Result<RawValue<'a>> {
                match value.len() {
                    32 => Ok(RawValue::Bytes(value)),
                    // libzmq decodes 40 bytes as a C string: a NUL inside
                    // ends the key early and the rest reads as zeros. The
                    // text is checked here, as Z85 of exactly 32 bytes.
                    40 => crate::z85::decode_array::<32>(value)
                        .map(|_| RawValue::Bytes(value))
                        .map_err(|e| e.context(format!("{}: invalid Z85 CURVE key", Self::NAME))),
                    n => Err(Error::invalid_input(format!(
                        "{}: a CURVE key is 32 bytes or 40 Z85 characters, not {n}",
                        Self::NAME
                    ))),
                }
            }
        }
    };
    (@get $name:ident fd) => {
        impl GetOption for $name {
            type Value = crate::RawFd;
            const RAW: RawKind = RawKind::Int;
            fn decode(raw: RawValue<'_>) -> Result<crate::RawFd> {
                match raw { RawValue::Int(v) => Ok(v), _ => unexpected(Self::NAME) }
            }
        }
    };
    // A listening socket handed over (`OwnedFd`), read back as the
    // descriptor held, `None` for libzmq's -1. See `crate::use_fd`.
    (@get $name:ident use_fd) => {
        impl GetOption for $name {
            type Value = Option<crate::RawFd>;
            const RAW: RawKind = RawKind::Int;
            fn decode(raw: RawValue<'_>) -> Result<Option<crate::RawFd>> {
                match raw {
                    RawValue::Int(v) => Ok((v >= 0).then_some(v)),
                    _ => unexpected(Self::NAME),
                }
            }
        }
    };
    (@set $name:ident use_fd) => {
        #[cfg(unix)]
        impl SetOption for $name {
            type Input<'a> = std::os::fd::OwnedFd;
            fn encode<'a>(value: Self::Input<'a>) -> Result<RawValue<'a>> {
                crate::use_fd::check_listener(std::os::fd::AsFd::as_fd(&value))?;
                // The socket takes it over: `Socket::set` wraps it again
                // and hands it to libzmq, or closes it.
                Ok(RawValue::Int(std::os::fd::IntoRawFd::into_raw_fd(value)))
            }
        }
    };
    (@get $name:ident events) => {
        impl GetOption for $name {
            type Value = PollEvents;
            const RAW: RawKind = RawKind::Int;
            fn decode(raw: RawValue<'_>) -> Result<PollEvents> {
                match raw {
                    RawValue::Int(v) => Ok(PollEvents::from_bits_retain(v as i16)),
                    _ => unexpected(Self::NAME),
                }
            }
        }
    };
    (@get $name:ident socket_type) => {
        impl GetOption for $name {
            type Value = SocketType;
            const RAW: RawKind = RawKind::Int;
            fn decode(raw: RawValue<'_>) -> Result<SocketType> {
                match raw { RawValue::Int(v) => SocketType::from_raw(v), _ => unexpected(Self::NAME) }
            }
        }
    };
    (@get $name:ident mechanism) => {
        impl GetOption for $name {
            type Value = crate::socket::Mechanism;
            const RAW: RawKind = RawKind::Int;
            fn decode(raw: RawValue<'_>) -> Result<crate::socket::Mechanism> {
                match raw {
                    RawValue::Int(v) => crate::socket::Mechanism::from_raw(v),
                    _ => unexpected(Self::NAME),
                }
            }
        }
    };
}

socket_options! {
    STABLE;
    /// `ZMQ_AFFINITY`: bitmask of I/O threads that serve new connections.
    Affinity = ZMQ_AFFINITY: uint64, get set;
    /// `ZMQ_ROUTING_ID`: this socket's identity on ROUTER peers (1-255 bytes).
    RoutingId = ZMQ_ROUTING_ID: bytes, get set;
    /// `ZMQ_SUBSCRIBE`: add a prefix filter on SUB (empty: everything).
    Subscribe = ZMQ_SUBSCRIBE: bytes, set;
    /// `ZMQ_UNSUBSCRIBE`: remove a prefix filter on SUB.
    Unsubscribe = ZMQ_UNSUBSCRIBE: bytes, set;
    /// `ZMQ_RATE`: multicast data rate in kilobits per second.
    Rate = ZMQ_RATE: int, get set;
    /// `ZMQ_RECOVERY_IVL`: multicast recovery interval.
    RecoveryIvl = ZMQ_RECOVERY_IVL: millis, get set;
    /// `ZMQ_SNDBUF`: kernel send buffer size in bytes (-1: OS default).
    SndBuf = ZMQ_SNDBUF: int, get set;
    /// `ZMQ_RCVBUF`: kernel receive buffer size in bytes (-1: OS default).
    RcvBuf = ZMQ_RCVBUF: int, get set;
    /// `ZMQ_RCVMORE`: the last frame received has more parts after it.
    RcvMore = ZMQ_RCVMORE: bool, get;
    /// `ZMQ_FD`: the file descriptor that signals socket events (edge-triggered).
    Fd = ZMQ_FD: fd, get;
    /// `ZMQ_EVENTS`: whether the socket can be read or written now.
    Events = ZMQ_EVENTS: events, get;
    /// `ZMQ_TYPE`: the socket's type.
    Type = ZMQ_TYPE: socket_type, get;
    /// `ZMQ_LINGER`: how long close waits to send pending messages (`None`: forever).
    Linger = ZMQ_LINGER: timeout, get set;
    /// `ZMQ_RECONNECT_IVL`: wait before reconnecting (`None`: never reconnect).
    ReconnectIvl = ZMQ_RECONNECT_IVL: timeout, get set;
    /// `ZMQ_BACKLOG`: queue length of pending connections.
    Backlog = ZMQ_BACKLOG: int, get set;
    /// `ZMQ_RECONNECT_IVL_MAX`: upper bound of the exponential reconnect backoff.
    ReconnectIvlMax = ZMQ_RECONNECT_IVL_MAX: millis, get set;
    /// `ZMQ_MAXMSGSIZE`: largest inbound message accepted (`None`: no limit).
    MaxMsgSize = ZMQ_MAXMSGSIZE: limit, get set;
    /// `ZMQ_SNDHWM`: high water mark of outbound messages (0: none).
    SndHwm = ZMQ_SNDHWM: int, get set;
    /// `ZMQ_RCVHWM`: high water mark of inbound messages (0: none).
    RcvHwm = ZMQ_RCVHWM: int, get set;
    /// `ZMQ_MULTICAST_HOPS`: TTL of multicast packets.
    MulticastHops = ZMQ_MULTICAST_HOPS: int, get set;
    /// `ZMQ_RCVTIMEO`: receive timeout (`None`: block forever).
    RcvTimeo = ZMQ_RCVTIMEO: timeout, get set;
    /// `ZMQ_SNDTIMEO`: send timeout (`None`: block forever).
    SndTimeo = ZMQ_SNDTIMEO: timeout, get set;
    /// `ZMQ_LAST_ENDPOINT`: the endpoint last bound or connected, with the
    /// port the OS chose for `tcp://host:*`.
    LastEndpoint = ZMQ_LAST_ENDPOINT: text, get;
    /// `ZMQ_ROUTER_MANDATORY`: report unroutable messages as `HostUnreachable`.
    RouterMandatory = ZMQ_ROUTER_MANDATORY: bool, set;
    /// `ZMQ_TCP_KEEPALIVE`: SO_KEEPALIVE (`None`: OS default).
    TcpKeepalive = ZMQ_TCP_KEEPALIVE: tristate, get set;
    /// `ZMQ_TCP_KEEPALIVE_CNT`: TCP_KEEPCNT (-1: OS default).
    TcpKeepaliveCnt = ZMQ_TCP_KEEPALIVE_CNT: int, get set;
    /// `ZMQ_TCP_KEEPALIVE_IDLE`: TCP_KEEPIDLE in seconds (-1: OS default).
    TcpKeepaliveIdle = ZMQ_TCP_KEEPALIVE_IDLE: int, get set;
    /// `ZMQ_TCP_KEEPALIVE_INTVL`: TCP_KEEPINTVL in seconds (-1: OS default).
    TcpKeepaliveIntvl = ZMQ_TCP_KEEPALIVE_INTVL: int, get set;
    /// `ZMQ_IMMEDIATE`: queue messages only to completed connections.
    Immediate = ZMQ_IMMEDIATE: bool, get set;
    /// `ZMQ_XPUB_VERBOSE`: pass every subscription upstream, duplicates too.
    XpubVerbose = ZMQ_XPUB_VERBOSE: bool, set;
    /// `ZMQ_ROUTER_RAW`: raw TCP on ROUTER (superseded by STREAM).
    RouterRaw = ZMQ_ROUTER_RAW: bool, set;
    /// `ZMQ_IPV6`: use IPv6 as well as IPv4.
    Ipv6 = ZMQ_IPV6: bool, get set;
    /// `ZMQ_MECHANISM`: the security mechanism in use.
    Mechanism = ZMQ_MECHANISM: mechanism, get;
    /// `ZMQ_PLAIN_SERVER`: act as PLAIN server.
    PlainServer = ZMQ_PLAIN_SERVER: bool, get set;
    /// `ZMQ_PLAIN_USERNAME`: PLAIN client user name.
    PlainUsername = ZMQ_PLAIN_USERNAME: text, get set;
    /// `ZMQ_PLAIN_PASSWORD`: PLAIN client password.
    PlainPassword = ZMQ_PLAIN_PASSWORD: text, get set;
    /// `ZMQ_CURVE_SERVER`: act as CURVE server.
    CurveServer = ZMQ_CURVE_SERVER: bool, get set;
    /// `ZMQ_CURVE_PUBLICKEY`: this socket's long-term public key.
    CurvePublicKey = ZMQ_CURVE_PUBLICKEY: curve_key, get set;
    /// `ZMQ_CURVE_SECRETKEY`: this socket's long-term secret key.
    CurveSecretKey = ZMQ_CURVE_SECRETKEY: curve_key, get set;
    /// `ZMQ_CURVE_SERVERKEY`: the server's public key, on a CURVE client.
    CurveServerKey = ZMQ_CURVE_SERVERKEY: curve_key, get set;
    /// `ZMQ_PROBE_ROUTER`: send an empty message on connect to ROUTER peers.
    ProbeRouter = ZMQ_PROBE_ROUTER: bool, set;
    /// `ZMQ_REQ_CORRELATE`: match replies to requests by id on REQ.
    ReqCorrelate = ZMQ_REQ_CORRELATE: bool, set;
    /// `ZMQ_REQ_RELAXED`: let REQ send again without a reply.
    ReqRelaxed = ZMQ_REQ_RELAXED: bool, set;
    /// `ZMQ_CONFLATE`: keep only the last message in the queue.
    Conflate = ZMQ_CONFLATE: bool, get set;
    /// `ZMQ_ZAP_DOMAIN`: the authentication domain given to the ZAP handler.
    ZapDomain = ZMQ_ZAP_DOMAIN: text, get set;
    /// `ZMQ_ROUTER_HANDOVER`: a new peer with a known routing id takes over.
    RouterHandover = ZMQ_ROUTER_HANDOVER: bool, set;
    /// `ZMQ_TOS`: IP type-of-service byte of outgoing packets.
    Tos = ZMQ_TOS: int, get set;
    /// `ZMQ_CONNECT_ROUTING_ID`: routing id to give the next connected peer.
    ConnectRoutingId = ZMQ_CONNECT_ROUTING_ID: bytes, set;
    /// `ZMQ_GSSAPI_SERVER`: act as GSSAPI server.
    GssapiServer = ZMQ_GSSAPI_SERVER: bool, get set;
    /// `ZMQ_GSSAPI_PRINCIPAL`: this socket's GSSAPI principal.
    GssapiPrincipal = ZMQ_GSSAPI_PRINCIPAL: text, get set;
    /// `ZMQ_GSSAPI_SERVICE_PRINCIPAL`: the server's GSSAPI principal, on a client.
    GssapiServicePrincipal = ZMQ_GSSAPI_SERVICE_PRINCIPAL: text, get set;
    /// `ZMQ_GSSAPI_PLAINTEXT`: GSSAPI without encryption.
    GssapiPlaintext = ZMQ_GSSAPI_PLAINTEXT: bool, get set;
    /// `ZMQ_HANDSHAKE_IVL`: deadline of the ZMTP handshake (zero: none).
    HandshakeIvl = ZMQ_HANDSHAKE_IVL: millis, get set;
    /// `ZMQ_SOCKS_PROXY`: `host:port` of a SOCKS5 proxy for outgoing TCP.
    SocksProxy = ZMQ_SOCKS_PROXY: text, get set;
    /// `ZMQ_XPUB_NODROP`: XPUB returns `Again` at the HWM instead of dropping.
    XpubNodrop = ZMQ_XPUB_NODROP: bool, set;
    /// `ZMQ_XPUB_MANUAL`: the application decides subscriptions on XPUB.
    XpubManual = ZMQ_XPUB_MANUAL: bool, set;
    /// `ZMQ_XPUB_WELCOME_MSG`: message XPUB sends each new subscriber.
    XpubWelcomeMsg = ZMQ_XPUB_WELCOME_MSG: bytes, set;
    /// `ZMQ_STREAM_NOTIFY`: STREAM delivers empty messages on connect/disconnect.
    StreamNotify = ZMQ_STREAM_NOTIFY: bool, set;
    /// `ZMQ_INVERT_MATCHING`: PUB/SUB filters select what does *not* match.
    InvertMatching = ZMQ_INVERT_MATCHING: bool, get set;
    /// `ZMQ_HEARTBEAT_IVL`: interval of ZMTP PING heartbeats (zero: off).
    HeartbeatIvl = ZMQ_HEARTBEAT_IVL: millis, get set;
    /// `ZMQ_HEARTBEAT_TTL`: time-to-live asked of the peer (zero: none).
    /// libzmq keeps it in deciseconds, up to 6553.5 s, so a value is
    /// rounded up to a whole 100 ms: a short TTL never becomes "none".
    HeartbeatTtl = ZMQ_HEARTBEAT_TTL: decis, get set;
    /// `ZMQ_HEARTBEAT_TIMEOUT`: how long to wait for traffic after a PING
    /// before closing the connection. Reads `None` until set: libzmq's
    /// default `-1` means "the heartbeat interval" ([`HeartbeatIvl`]).
    /// Written as a `Duration`, since libzmq refuses `-1` from callers.
    HeartbeatTimeout = ZMQ_HEARTBEAT_TIMEOUT: millis_or_derived, get set;
    /// `ZMQ_XPUB_VERBOSER`: pass every subscription and unsubscription upstream.
    XpubVerboser = ZMQ_XPUB_VERBOSER: bool, set;
    /// `ZMQ_CONNECT_TIMEOUT`: TCP connect timeout (zero: OS default).
    ConnectTimeout = ZMQ_CONNECT_TIMEOUT: millis, get set;
    /// `ZMQ_TCP_MAXRT`: TCP_USER_TIMEOUT (zero: OS default).
    TcpMaxRt = ZMQ_TCP_MAXRT: millis, get set;
    /// `ZMQ_THREAD_SAFE`: whether the socket type is thread-safe.
    ThreadSafe = ZMQ_THREAD_SAFE: bool, get;
    /// `ZMQ_MULTICAST_MAXTPDU`: largest multicast transport data unit.
    MulticastMaxTpdu = ZMQ_MULTICAST_MAXTPDU: int, get set;
    // The VMCI rows are write-only: libzmq 4.3.5 accepts them in
    // zmq_setsockopt but its zmq_getsockopt has no case for them (EINVAL),
    // although its manual documents one.
    /// `ZMQ_VMCI_BUFFER_SIZE`: VMCI buffer size (builds with VMCI only;
    /// libzmq 4.3.5 cannot read it back).
    VmciBufferSize = ZMQ_VMCI_BUFFER_SIZE: uint64, set;
    /// `ZMQ_VMCI_BUFFER_MIN_SIZE`: VMCI minimum buffer size (builds with
    /// VMCI only; libzmq 4.3.5 cannot read it back).
    VmciBufferMinSize = ZMQ_VMCI_BUFFER_MIN_SIZE: uint64, set;
    /// `ZMQ_VMCI_BUFFER_MAX_SIZE`: VMCI maximum buffer size (builds with
    /// VMCI only; libzmq 4.3.5 cannot read it back).
    VmciBufferMaxSize = ZMQ_VMCI_BUFFER_MAX_SIZE: uint64, set;
    /// `ZMQ_VMCI_CONNECT_TIMEOUT`: VMCI connect timeout (builds with VMCI
    /// only; libzmq 4.3.5 cannot read it back).
    VmciConnectTimeout = ZMQ_VMCI_CONNECT_TIMEOUT: timeout, set;
    /// `ZMQ_USE_FD`: the next `tcp://`, `ipc://` or `ws://` bind uses
    /// this listening socket instead of making one (Unix only). It takes
    /// the descriptor over (`OwnedFd`; closed on error): libzmq closes it
    /// when the endpoint goes. It must be a listening stream socket (else
    /// libzmq would abort), of the bind's family (an IP socket for
    /// `tcp://` and `ws://`, a Unix one for `ipc://`, checked at the
    /// bind); it is made non-blocking. One bind takes it, then the option
    /// reads `None` again; one replaced or never used is closed by the
    /// crate. Reads the descriptor held.
    UseFd = ZMQ_USE_FD: use_fd, get set;
    /// `ZMQ_GSSAPI_PRINCIPAL_NAMETYPE`: how GSSAPI reads [`GssapiPrincipal`],
    /// one of the `ZMQ_GSSAPI_NT_*` constants, hence a
    /// [`GssapiNameType`](crate::GssapiNameType) (default: host-based).
    /// Builds with GSSAPI only.
    GssapiPrincipalNametype = ZMQ_GSSAPI_PRINCIPAL_NAMETYPE: int_enum(values::GssapiNameType), get set;
    /// `ZMQ_GSSAPI_SERVICE_PRINCIPAL_NAMETYPE`: how GSSAPI reads
    /// [`GssapiServicePrincipal`], one of the `ZMQ_GSSAPI_NT_*` constants,
    /// hence a [`GssapiNameType`](crate::GssapiNameType) (default:
    /// host-based). Builds with GSSAPI only.
    GssapiServicePrincipalNametype = ZMQ_GSSAPI_SERVICE_PRINCIPAL_NAMETYPE: int_enum(values::GssapiNameType), get set;
    /// `ZMQ_BINDTODEVICE`: SO_BINDTODEVICE interface name.
    BindToDevice = ZMQ_BINDTODEVICE: text, get set;
}

#[cfg(feature = "draft")]
socket_options! {
    DRAFT;
    /// `ZMQ_ZAP_ENFORCE_DOMAIN` (draft): require a ZAP handler for the domain.
    ZapEnforceDomain = ZMQ_ZAP_ENFORCE_DOMAIN: bool, get set;
    /// `ZMQ_LOOPBACK_FASTPATH` (draft): Windows loopback fast path.
    LoopbackFastpath = ZMQ_LOOPBACK_FASTPATH: bool, get set;
    /// `ZMQ_METADATA` (draft): add a `name:value` property to the handshake.
    Metadata = ZMQ_METADATA: text, set;
    /// `ZMQ_MULTICAST_LOOP` (draft): receive own multicast (UDP) messages.
    MulticastLoop = ZMQ_MULTICAST_LOOP: bool, get set;
    /// `ZMQ_ROUTER_NOTIFY` (draft): ROUTER gets an empty message from a peer
    /// when it connects and/or disconnects. The C value ORs
    /// `ZMQ_NOTIFY_CONNECT` and `ZMQ_NOTIFY_DISCONNECT`, hence a
    /// [`RouterNotifyFlags`](crate::RouterNotifyFlags) set.
    RouterNotify = ZMQ_ROUTER_NOTIFY: int_flags(crate::RouterNotifyFlags), get set;
    /// `ZMQ_XPUB_MANUAL_LAST_VALUE` (draft): manual XPUB with last-value caching.
    XpubManualLastValue = ZMQ_XPUB_MANUAL_LAST_VALUE: bool, set;
    /// `ZMQ_SOCKS_USERNAME` (draft): SOCKS5 user name.
    SocksUsername = ZMQ_SOCKS_USERNAME: text, get set;
    /// `ZMQ_SOCKS_PASSWORD` (draft): SOCKS5 password.
    SocksPassword = ZMQ_SOCKS_PASSWORD: text, get set;
    /// `ZMQ_IN_BATCH_SIZE` (draft): bytes read from the kernel at a time.
    InBatchSize = ZMQ_IN_BATCH_SIZE: int, get set;
    /// `ZMQ_OUT_BATCH_SIZE` (draft): bytes written to the kernel at a time.
    OutBatchSize = ZMQ_OUT_BATCH_SIZE: int, get set;
    /// `ZMQ_WSS_KEY_PEM` (draft): WSS private key (builds with TLS only).
    WssKeyPem = ZMQ_WSS_KEY_PEM: text, set;
    /// `ZMQ_WSS_CERT_PEM` (draft): WSS certificate (builds with TLS only).
    WssCertPem = ZMQ_WSS_CERT_PEM: text, set;
    /// `ZMQ_WSS_TRUST_PEM` (draft): WSS trusted CA (builds with TLS only).
    WssTrustPem = ZMQ_WSS_TRUST_PEM: text, set;
    /// `ZMQ_WSS_HOSTNAME` (draft): WSS host name to verify (builds with TLS only).
    WssHostname = ZMQ_WSS_HOSTNAME: text, set;
    /// `ZMQ_WSS_TRUST_SYSTEM` (draft): trust the system CAs (builds with TLS only).
    WssTrustSystem = ZMQ_WSS_TRUST_SYSTEM: bool, set;
    /// `ZMQ_ONLY_FIRST_SUBSCRIBE` (draft): only the first frame of a
    /// multipart message is a (un)subscription.
    OnlyFirstSubscribe = ZMQ_ONLY_FIRST_SUBSCRIBE: bool, set;
    /// `ZMQ_RECONNECT_STOP` (draft): conditions under which a connecting
    /// socket stops reconnecting. The C value ORs `ZMQ_RECONNECT_STOP_*`
    /// bits, hence a [`ReconnectStopFlags`](crate::ReconnectStopFlags) set.
    ReconnectStop = ZMQ_RECONNECT_STOP: int_flags(crate::ReconnectStopFlags), get set;
    /// `ZMQ_HELLO_MSG` (draft): message sent to each new peer.
    HelloMsg = ZMQ_HELLO_MSG: bytes, set;
    /// `ZMQ_DISCONNECT_MSG` (draft): message received when a peer disconnects.
    DisconnectMsg = ZMQ_DISCONNECT_MSG: bytes, set;
    /// `ZMQ_PRIORITY` (draft): SO_PRIORITY of the socket's connections.
    Priority = ZMQ_PRIORITY: int, get set;
    /// `ZMQ_BUSY_POLL` (draft): SO_BUSY_POLL.
    BusyPoll = ZMQ_BUSY_POLL: bool, get set;
    /// `ZMQ_HICCUP_MSG` (draft): message received when a connection is re-established.
    HiccupMsg = ZMQ_HICCUP_MSG: bytes, set;
    /// `ZMQ_XSUB_VERBOSE_UNSUBSCRIBE` (draft): pass every unsubscription upstream.
    XsubVerboseUnsubscribe = ZMQ_XSUB_VERBOSE_UNSUBSCRIBE: bool, set;
    /// `ZMQ_TOPICS_COUNT` (draft): number of subscriptions on SUB/XSUB/XPUB.
    TopicsCount = ZMQ_TOPICS_COUNT: int, get;
    /// `ZMQ_NORM_MODE` (draft): NORM rate and congestion control, one of the
    /// `ZMQ_NORM_*` mode constants, hence a [`NormMode`](crate::NormMode)
    /// (default: `Cc`). Builds with NORM only.
    NormMode = ZMQ_NORM_MODE: int_enum(values::NormMode), get set;
    /// `ZMQ_NORM_UNICAST_NACK` (draft): NORM unicast NACKs.
    NormUnicastNack = ZMQ_NORM_UNICAST_NACK: bool, get set;
    /// `ZMQ_NORM_BUFFER_SIZE` (draft): NORM buffer size in kilobytes.
    NormBufferSize = ZMQ_NORM_BUFFER_SIZE: int, get set;
    /// `ZMQ_NORM_SEGMENT_SIZE` (draft): NORM segment size in bytes.
    NormSegmentSize = ZMQ_NORM_SEGMENT_SIZE: int, get set;
    /// `ZMQ_NORM_BLOCK_SIZE` (draft): NORM block size in segments.
    NormBlockSize = ZMQ_NORM_BLOCK_SIZE: int, get set;
    /// `ZMQ_NORM_NUM_PARITY` (draft): NORM parity segments per block.
    NormNumParity = ZMQ_NORM_NUM_PARITY: int, get set;
    /// `ZMQ_NORM_NUM_AUTOPARITY` (draft): NORM proactive parity segments.
    NormNumAutoparity = ZMQ_NORM_NUM_AUTOPARITY: int, get set;
    /// `ZMQ_NORM_PUSH` (draft): NORM stream push mode.
    NormPush = ZMQ_NORM_PUSH: bool, get set;
}

/// Options in `zmq.h` that have no row, and why. The coverage test accepts
/// exactly these besides the table.
#[cfg(test)]
pub(crate) const NOT_IN_TABLE: &[(&str, &str)] = &[
    (
        "ZMQ_BLOCKY",
        "a context option (ctxopt::Blocky), listed among socket options in zmq.h",
    ),
    ("ZMQ_IDENTITY", "deprecated alias of ZMQ_ROUTING_ID"),
    (
        "ZMQ_CONNECT_RID",
        "deprecated alias of ZMQ_CONNECT_ROUTING_ID",
    ),
    (
        "ZMQ_TCP_ACCEPT_FILTER",
        "deprecated; removed from libzmq's option handling",
    ),
    (
        "ZMQ_IPC_FILTER_PID",
        "deprecated; removed from libzmq's option handling",
    ),
    (
        "ZMQ_IPC_FILTER_UID",
        "deprecated; removed from libzmq's option handling",
    ),
    (
        "ZMQ_IPC_FILTER_GID",
        "deprecated; removed from libzmq's option handling",
    ),
    (
        "ZMQ_IPV4ONLY",
        "deprecated inverse of ZMQ_IPV6 (sockopt::Ipv6)",
    ),
    (
        "ZMQ_DELAY_ATTACH_ON_CONNECT",
        "deprecated alias of ZMQ_IMMEDIATE",
    ),
    (
        "ZMQ_NOBLOCK",
        "deprecated alias of the ZMQ_DONTWAIT send/recv flag",
    ),
    (
        "ZMQ_FAIL_UNROUTABLE",
        "deprecated alias of ZMQ_ROUTER_MANDATORY",
    ),
    (
        "ZMQ_ROUTER_BEHAVIOR",
        "deprecated alias of ZMQ_ROUTER_MANDATORY",
    ),
];

/// Pulls the options out of a `zmq.h` text: every integer `#define` in the
/// sections headed "Socket options", "Deprecated options and aliases" and
/// "DRAFT Socket options".
#[cfg(test)]
pub(crate) fn options_in_header(header: &str) -> Vec<String> {
    let mut in_options = false;
    let mut found = Vec::new();
    for line in header.lines() {
        if let Some(title) = line.strip_prefix("/*  ") {
            let title = title.trim_end_matches('/').trim_end_matches('*').trim();
            in_options = matches!(
                title,
                "Socket options." | "Deprecated options and aliases" | "DRAFT Socket options."
            );
            continue;
        }
        if !in_options {
            continue;
        }
        if let Some(rest) = line.strip_prefix("#define ZMQ_")
            && let Some(name) = rest.split_whitespace().next()
        {
            found.push(format!("ZMQ_{name}"));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_covers_every_socket_option_in_zmq_h() {
        let header = std::fs::read_to_string(concat!(env!("ZMQ_INCLUDE_DIR"), "/zmq.h")).unwrap();
        let in_header = options_in_header(&header);
        assert!(
            in_header.len() > 80,
            "parsed only {} options from zmq.h",
            in_header.len()
        );
        #[cfg_attr(not(feature = "draft"), allow(unused_mut))]
        let mut rows: Vec<&str> = STABLE.to_vec();
        #[cfg(feature = "draft")]
        rows.extend(DRAFT);
        let excluded: Vec<&str> = NOT_IN_TABLE.iter().map(|(name, _)| *name).collect();
        let draft_section = header.find("DRAFT Socket options.").unwrap();
        for name in &in_header {
            let covered = rows.contains(&name.as_str()) || excluded.contains(&name.as_str());
            let is_draft = header.find(&format!("#define {name} ")).unwrap() > draft_section;
            if is_draft && !cfg!(feature = "draft") {
                continue;
            }
            assert!(
                covered,
                "{name} is neither in the sockopt table nor in NOT_IN_TABLE"
            );
        }
        for row in &rows {
            assert!(
                in_header.iter().any(|name| name == row),
                "{row} is not a socket option in zmq.h"
            );
        }
        // The exclusion list is checked too: a stale or duplicated entry
        // would hide a missing row.
        for (i, name) in excluded.iter().enumerate() {
            assert!(
                in_header.iter().any(|option| option == name),
                "NOT_IN_TABLE lists {name}, which is not an option in zmq.h"
            );
            assert!(
                !rows.contains(name),
                "{name} is both a table row and in NOT_IN_TABLE"
            );
            assert!(
                !excluded[..i].contains(name),
                "NOT_IN_TABLE lists {name} twice"
            );
        }
    }

    #[test]
    fn out_of_range_values_are_rejected_before_libzmq() {
        let error = Linger::encode(Some(Duration::from_secs(u64::MAX))).unwrap_err();
        assert_eq!(error.kind(), crate::ErrorKind::InvalidInput);
        assert!(error.to_string().contains("ZMQ_LINGER"));
        let error = PlainUsername::encode("a\0b").unwrap_err();
        assert!(error.to_string().contains("NUL"));
        let error = CurveServerKey::encode(b"short").unwrap_err();
        assert!(error.to_string().contains("not 5"));
        let mut z85 = *b"rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7";
        assert!(CurveServerKey::encode(&z85).is_ok());
        z85[20] = 0;
        let error = CurveServerKey::encode(&z85).unwrap_err();
        assert_eq!(error.kind(), crate::ErrorKind::InvalidInput);
        assert!(error.to_string().contains("ZMQ_CURVE_SERVERKEY"), "{error}");
        assert!(error.to_string().contains("'\\0'"), "{error}");
        z85[20] = b' ';
        assert!(CurvePublicKey::encode(&z85).is_err());
        assert!(CurveSecretKey::encode(&[b'#'; 40]).is_err());
        assert!(MaxMsgSize::encode(Some(u64::MAX)).is_err());
    }

    #[test]
    fn fractional_milliseconds_round_up_never_to_zero() {
        let micros = Duration::from_micros;
        assert_eq!(
            RcvTimeo::encode(Some(micros(500))).unwrap(),
            RawValue::Int(1)
        );
        assert_eq!(
            Linger::encode(Some(micros(2500))).unwrap(),
            RawValue::Int(3)
        );
        assert_eq!(
            RcvTimeo::encode(Some(Duration::ZERO)).unwrap(),
            RawValue::Int(0)
        );
        assert_eq!(
            HeartbeatIvl::encode(Duration::from_nanos(1)).unwrap(),
            RawValue::Int(1)
        );
        assert_eq!(
            HeartbeatIvl::encode(micros(3000)).unwrap(),
            RawValue::Int(3)
        );
        // libzmq keeps the TTL in deciseconds: round up to a whole one.
        assert_eq!(HeartbeatTtl::encode(micros(1)).unwrap(), RawValue::Int(100));
        assert_eq!(
            HeartbeatTtl::encode(Duration::from_millis(1201)).unwrap(),
            RawValue::Int(1300)
        );
        assert_eq!(
            HeartbeatTtl::encode(Duration::ZERO).unwrap(),
            RawValue::Int(0)
        );
        // The largest value is i32::MAX ms; a nanosecond more rounds past it.
        let largest = Duration::from_millis(i32::MAX as u64);
        assert_eq!(
            Linger::encode(Some(largest)).unwrap(),
            RawValue::Int(i32::MAX)
        );
        let error = Linger::encode(Some(largest + Duration::from_nanos(1))).unwrap_err();
        assert_eq!(error.kind(), crate::ErrorKind::InvalidInput);
        assert!(HeartbeatTtl::encode(largest).is_err());
        assert!(HandshakeIvl::encode(Duration::MAX).is_err());
    }

    #[test]
    fn negative_milliseconds_read_back_are_errors_not_zero() {
        let error = HeartbeatIvl::decode(RawValue::Int(-1)).unwrap_err();
        assert_eq!(error.kind(), crate::ErrorKind::InvalidInput);
        assert!(error.to_string().contains("ZMQ_HEARTBEAT_IVL"), "{error}");
        assert_eq!(HeartbeatTimeout::decode(RawValue::Int(-1)).unwrap(), None);
        assert_eq!(
            HeartbeatTimeout::decode(RawValue::Int(0)).unwrap(),
            Some(Duration::ZERO)
        );
        assert!(HeartbeatTimeout::decode(RawValue::Int(-2)).is_err());
        assert!(RcvTimeo::decode(RawValue::Int(i32::MIN)).is_err());
    }

    #[test]
    fn unknown_enum_values_are_errors_and_unknown_flag_bits_are_kept() {
        let error = GssapiPrincipalNametype::decode(RawValue::Int(7)).unwrap_err();
        assert_eq!(error.kind(), crate::ErrorKind::InvalidInput);
        assert!(
            error.to_string().contains("ZMQ_GSSAPI_PRINCIPAL_NAMETYPE"),
            "{error}"
        );
        assert_eq!(
            GssapiServicePrincipalNametype::decode(RawValue::Int(2)).unwrap(),
            crate::GssapiNameType::Krb5Principal
        );
        assert_eq!(
            GssapiPrincipalNametype::encode(crate::GssapiNameType::UserName).unwrap(),
            RawValue::Int(zmq_sys::ZMQ_GSSAPI_NT_USER_NAME)
        );
        #[cfg(feature = "draft")]
        {
            assert!(NormMode::decode(RawValue::Int(-1)).is_err());
            let notify = RouterNotify::decode(RawValue::Int(0x13)).unwrap();
            assert!(notify.contains(crate::RouterNotifyFlags::CONNECT));
            assert_eq!(notify.bits(), 0x13);
            assert_eq!(format!("{notify:?}"), "{CONNECT, DISCONNECT, 0x10}");
            let stop = ReconnectStop::decode(RawValue::Int(0x9)).unwrap();
            assert_eq!(format!("{stop:?}"), "{CONN_REFUSED, 0x8}");
            assert_eq!(ReconnectStop::encode(stop).unwrap(), RawValue::Int(0x9));
        }
    }

    #[test]
    fn infinite_is_none_and_minus_one() {
        assert_eq!(RcvTimeo::encode(None).unwrap(), RawValue::Int(-1));
        assert_eq!(RcvTimeo::decode(RawValue::Int(-1)).unwrap(), None);
        assert_eq!(
            RcvTimeo::decode(RawValue::Int(250)).unwrap(),
            Some(Duration::from_millis(250))
        );
        assert_eq!(TcpKeepalive::decode(RawValue::Int(-1)).unwrap(), None);
        assert_eq!(MaxMsgSize::decode(RawValue::Int64(-1)).unwrap(), None);
    }
}
