//! The macro that turns each row of the option table into a unit struct
//! with its `GetOption`/`SetOption` impls and its documented facts.

macro_rules! socket_options {
    ($table:ident, $facts:ident; $(
        $(#[$doc:meta])*
        $name:ident = $id:ident: $codec:ident $(($codec_ty:ty))?, $($access:ident)+
            { unit: $unit:literal, default: $default:literal, sockets: $sockets:literal };
    )*) => {
        $(
            $(#[$doc])*
            ///
            #[doc = concat!("- C option: `", stringify!($id), "`")]
            #[doc = concat!("- Unit: ", $unit)]
            #[doc = concat!("- Default: ", $default, " (libzmq's)")]
            #[doc = concat!("- Socket types: ", $sockets)]
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
        /// Every option's unit, default and socket types, for the test
        /// that none is left blank.
        #[cfg(test)]
        pub(crate) const $facts: &[(&str, [&str; 3])] = &[$((stringify!($id), [$unit, $default, $sockets])),*];
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
