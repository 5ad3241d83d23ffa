//! Context options (`zmq_ctx_set` / `zmq_ctx_get`), one type per option.
//!
//! ```
//! use zmq::ctxopt;
//! let ctx = zmq::Context::new()?;
//! ctx.set(ctxopt::Ipv6, true)?;
//! assert!(ctx.get(ctxopt::Ipv6)?);
//! assert!(ctx.get(ctxopt::SocketLimit)? > 0);
//! # Ok::<(), zmq::Error>(())
//! ```

use std::ffi::c_int;

use crate::error::{Error, Result};

/// A context option: its libzmq number and name.
pub trait ContextOption: Copy {
    /// The `ZMQ_*` number.
    const ID: c_int;
    /// The `ZMQ_*` name, for messages.
    const NAME: &'static str;
}

/// A context option that can be read.
pub trait GetContextOption: ContextOption {
    /// The Rust type of the value.
    type Value;
    /// Converts libzmq's `int` to the Rust value.
    fn decode(raw: c_int) -> Result<Self::Value>;
}

/// A context option that can be written.
pub trait SetContextOption: ContextOption {
    /// The Rust type of the value.
    type Value;
    /// Converts the Rust value to libzmq's `int`.
    fn encode(value: Self::Value) -> Result<c_int>;
}

macro_rules! context_options {
    ($table:ident; $(
        $(#[$doc:meta])* $name:ident = $id:ident: $ty:ident, $($access:ident)+
            { unit: $unit:literal, default: $default:literal, applies: $applies:literal };
    )*) => {
        $(
            $(#[$doc])*
            ///
            #[doc = concat!("- C option: `", stringify!($id), "`")]
            #[doc = concat!("- Unit: ", $unit)]
            #[doc = concat!("- Default: ", $default, " (libzmq's)")]
            #[doc = concat!("- Takes effect: ", $applies)]
            #[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
            pub struct $name;
            impl ContextOption for $name {
                const ID: c_int = zmq_sys::$id as c_int;
                const NAME: &'static str = stringify!($id);
            }
            $(context_options!(@$access $name $ty);)+
        )*
        /// Every option in the table, for the coverage test.
        #[cfg(test)]
        pub(crate) const $table: &[&str] = &[$(stringify!($id)),*];
    };
    (@get $name:ident i32) => {
        impl GetContextOption for $name {
            type Value = i32;
            fn decode(raw: c_int) -> Result<i32> { Ok(raw) }
        }
    };
    (@set $name:ident i32) => {
        impl SetContextOption for $name {
            type Value = i32;
            fn encode(value: i32) -> Result<c_int> { Ok(value) }
        }
    };
    (@get $name:ident bool) => {
        impl GetContextOption for $name {
            type Value = bool;
            fn decode(raw: c_int) -> Result<bool> { Ok(raw != 0) }
        }
    };
    (@set $name:ident bool) => {
        impl SetContextOption for $name {
            type Value = bool;
            fn encode(value: bool) -> Result<c_int> { Ok(c_int::from(value)) }
        }
    };
    (@set $name:ident cpu) => {
        impl SetContextOption for $name {
            type Value = usize;
            fn encode(value: usize) -> Result<c_int> {
                c_int::try_from(value).map_err(|_| Error::invalid_input("CPU index out of range"))
            }
        }
    };
}

context_options! {
    STABLE;
    /// How many I/O threads the context runs: one thread handles about a
    /// gigabyte of data a second; 0 is enough for a context that only uses
    /// `inproc://`.
    IoThreads = ZMQ_IO_THREADS: i32, get set
        { unit: "threads", default: "1", applies: "before the first socket is created" };
    /// The most sockets the context lets exist at once; up to
    /// [`SocketLimit`].
    MaxSockets = ZMQ_MAX_SOCKETS: i32, get set
        { unit: "sockets", default: "1023", applies: "before the first socket is created" };
    /// The largest value [`MaxSockets`] accepts in this build, which depends
    /// on the poller libzmq was built with (read-only).
    SocketLimit = ZMQ_SOCKET_LIMIT: i32, get
        { unit: "sockets", default: "65535 with epoll", applies: "always (read-only)" };
    /// The scheduling priority of the I/O threads, as the OS takes it for
    /// [`ThreadSchedPolicy`]; -1 leaves the OS default (write-only).
    ThreadPriority = ZMQ_THREAD_PRIORITY: i32, set
        { unit: "OS priority value", default: "-1 (OS default)", applies: "before the first socket is created" };
    /// The OS scheduling policy of the I/O threads (`SCHED_OTHER`,
    /// `SCHED_FIFO`, ...); -1 leaves the OS default.
    ThreadSchedPolicy = ZMQ_THREAD_SCHED_POLICY: i32, get set
        { unit: "OS policy number", default: "-1 (OS default)", applies: "before the first socket is created" };
    /// Adds a CPU to the set the I/O threads may run on; with none added
    /// they run on any (write-only).
    ThreadAffinityCpuAdd = ZMQ_THREAD_AFFINITY_CPU_ADD: cpu, set
        { unit: "CPU index", default: "no pinning", applies: "before the first socket is created" };
    /// Removes a CPU from the set added with [`ThreadAffinityCpuAdd`]
    /// (write-only).
    ThreadAffinityCpuRemove = ZMQ_THREAD_AFFINITY_CPU_REMOVE: cpu, set
        { unit: "CPU index", default: "no pinning", applies: "before the first socket is created" };
    /// A number put in front of the I/O threads' names (`ZMQbg/...`), to
    /// tell several contexts' threads apart in a debugger or `top`.
    ThreadNamePrefix = ZMQ_THREAD_NAME_PREFIX: i32, get set
        { unit: "number", default: "none", applies: "before the first socket is created" };
    /// A maximum message size that libzmq 4.3.5 stores and reads back but
    /// does not enforce anywhere (values above `i32::MAX` are clamped): to
    /// limit what peers may send, use [`sockopt::MaxMsgSize`](crate::sockopt::MaxMsgSize).
    MaxMsgSize = ZMQ_MAX_MSGSZ: i32, get set
        { unit: "bytes", default: "`i32::MAX`", applies: "never (stored only)" };
    /// The size of `zmq_msg_t` in the libzmq running, for bindings that
    /// check their layout (read-only).
    MsgTSize = ZMQ_MSG_T_SIZE: i32, get
        { unit: "bytes", default: "64", applies: "always (read-only)" };
    /// Makes the context's new sockets use IPv6 as well as IPv4: the
    /// default of [`sockopt::Ipv6`](crate::sockopt::Ipv6).
    Ipv6 = ZMQ_IPV6: bool, get set
        { unit: "flag", default: "false", applies: "for sockets created afterwards" };
    /// Whether terminating the context waits for sockets' unsent messages
    /// ([`sockopt::Linger`](crate::sockopt::Linger) of -1 by default);
    /// false makes every socket's default linger 0.
    Blocky = ZMQ_BLOCKY: bool, get set
        { unit: "flag", default: "true", applies: "for sockets created afterwards" };
}

#[cfg(feature = "draft")]
context_options! {
    DRAFT;
    /// Whether large received messages point into libzmq's receive buffer
    /// (draft): no copy, but one small message can then keep a whole
    /// buffer alive; false copies each message out.
    ZeroCopyRecv = ZMQ_ZERO_COPY_RECV: bool, get set
        { unit: "flag", default: "true", applies: "for connections made afterwards" };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_covers_every_context_option_in_zmq_h() {
        let header = std::fs::read_to_string(concat!(env!("ZMQ_INCLUDE_DIR"), "/zmq.h")).unwrap();
        #[cfg_attr(not(feature = "draft"), allow(unused_mut))]
        let mut rows: Vec<&str> = STABLE.to_vec();
        #[cfg(feature = "draft")]
        rows.extend(DRAFT);
        let mut section = None;
        let mut seen = 0;
        for line in header.lines() {
            if let Some(title) = line.strip_prefix("/*  ") {
                section = match title.trim_end_matches(['/', '*', ' ']).trim() {
                    "Context options" => Some(false),
                    "DRAFT Context options" => Some(true),
                    _ => None,
                };
                continue;
            }
            let (Some(draft), Some(rest)) = (section, line.strip_prefix("#define ")) else {
                continue;
            };
            let name = rest.split_whitespace().next().unwrap_or_default();
            if draft && !cfg!(feature = "draft") {
                continue;
            }
            seen += 1;
            assert!(
                rows.contains(&name),
                "context option {name} has no row in ctxopt"
            );
        }
        assert!(seen >= 10, "parsed only {seen} context options");
        for row in rows {
            assert!(
                header.contains(&format!("#define {row} ")),
                "{row} is not in zmq.h"
            );
        }
    }

    #[test]
    fn cpu_indexes_beyond_int_are_rejected() {
        assert!(ThreadAffinityCpuAdd::encode(usize::MAX).is_err());
        assert_eq!(ThreadAffinityCpuAdd::encode(3).unwrap(), 3);
    }
}
