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
use std::time::Duration;

use crate::error::{Error, Result};

/// The most I/O threads a context may have ([`IoThreads`]). libzmq's
/// `ZMQ_AFFINITY` can direct a socket to the first 64 only; every thread
/// costs two descriptors and a stack, and libzmq aborts the process when
/// it fails to start one. 1024 is far above any use; the descriptors the
/// process has left are checked as well when the first socket starts the
/// threads.
pub const IO_THREADS_MAX: i32 = 1024;

/// A context option: its libzmq number and name.
///
/// Implemented by the types of this module only (the trait is sealed):
/// [`Context::set`](crate::Context::set) checks the values of some options
/// by number (thread counts, scheduling, CPUs), which an option declared
/// elsewhere under the same number would bypass.
pub trait ContextOption: Copy + crate::sockopt::sealed::Sealed {
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
            impl crate::sockopt::sealed::Sealed for $name {}
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
    /// `inproc://`. From 0 to [`IO_THREADS_MAX`]; when the first socket
    /// starts them, each needs two file descriptors the process has left
    /// (both checked: libzmq aborts when it cannot start one).
    IoThreads = ZMQ_IO_THREADS: i32, get set
        { unit: "threads", default: "1", applies: "before the first socket is created" };
    /// The most sockets the context lets exist at once, from 1 to
    /// [`SocketLimit`] (libzmq accepts more, then fails or aborts when the
    /// first socket sizes its tables by it).
    MaxSockets = ZMQ_MAX_SOCKETS: i32, get set
        { unit: "sockets", default: "1023", applies: "before the first socket is created" };
    /// The largest value [`MaxSockets`] accepts in this build, which depends
    /// on the poller libzmq was built with (read-only).
    SocketLimit = ZMQ_SOCKET_LIMIT: i32, get
        { unit: "sockets", default: "65535 with epoll", applies: "always (read-only)" };
    /// The scheduling priority of the I/O threads, as the OS takes it for
    /// [`ThreadSchedPolicy`] (write-only). Under SCHED_FIFO and SCHED_RR it
    /// must be in their range (`sched_get_priority_min/max`: 1 to 99 on
    /// Linux); under the other policies libzmq takes any value above 0 as
    /// "raise to nice -20". Either needs privileges (CAP_SYS_NICE,
    /// RLIMIT_RTPRIO or RLIMIT_NICE): without them libzmq aborts starting
    /// its threads, so the first socket fails instead, naming the setting.
    /// Linux only: elsewhere it is refused.
    ThreadPriority = ZMQ_THREAD_PRIORITY: i32, set
        { unit: "OS priority value", default: "-1 (OS default)", applies: "before the first socket is created" };
    /// The OS scheduling policy of the I/O threads (`SCHED_OTHER`,
    /// `SCHED_FIFO`, ...): one of the platform's (unknown ones are refused).
    /// SCHED_FIFO and SCHED_RR need a [`ThreadPriority`] in their range and
    /// the privilege to use them, checked when the first socket starts the
    /// threads. Linux only: elsewhere it is refused.
    ThreadSchedPolicy = ZMQ_THREAD_SCHED_POLICY: i32, get set
        { unit: "OS policy number", default: "-1 (OS default)", applies: "before the first socket is created" };
    /// Adds a CPU to the set the I/O threads may run on; with none added
    /// they run on any (write-only). It must be one this process may run on
    /// (`sched_getaffinity`), or libzmq aborts starting its threads. Linux
    /// only: elsewhere it is refused.
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
    /// Whether new sockets keep unsent messages forever (`true`) or drop
    /// them on close (`false`): libzmq reads it as the default of
    /// [`sockopt::Linger`](crate::sockopt::Linger). This crate sets each
    /// socket's linger itself, from [`Linger`], which setting `Blocky`
    /// sets accordingly.
    Blocky = ZMQ_BLOCKY: bool, get set
        { unit: "flag", default: "true", applies: "for sockets created afterwards" };
}

/// The linger this crate gives every socket it creates from the context
/// afterwards (`ZMQ_LINGER`, set on each socket): how long, once the
/// socket is closed, messages still queued for a peer are kept for
/// delivery, which the context's termination waits for. `None` is
/// libzmq's "forever". Default: [`DEFAULT_LINGER`](crate::DEFAULT_LINGER),
/// one second, so that a peer that never comes cannot hold a program
/// forever at exit. Sockets already made keep theirs; each can change it
/// with [`sockopt::Linger`](crate::sockopt::Linger).
///
/// Not a libzmq context option: the crate keeps it and applies it. Setting
/// [`Blocky`] sets it too, the way libzmq reads that option: `false` is a
/// linger of 0, `true` is forever.
///
/// ```
/// use std::time::Duration;
/// use zmq::{SocketType, ctxopt, sockopt};
///
/// let ctx = zmq::Context::new()?;
/// assert_eq!(ctx.get(ctxopt::Linger)?, Some(zmq::DEFAULT_LINGER));
/// ctx.set(ctxopt::Linger, Some(Duration::ZERO))?;
/// let push = ctx.socket(SocketType::Push)?;
/// assert_eq!(push.get(sockopt::Linger)?, Some(Duration::ZERO));
/// # Ok::<(), zmq::Error>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Linger;

impl crate::sockopt::sealed::Sealed for Linger {}

impl ContextOption for Linger {
    /// The socket option the crate sets on each new socket.
    const ID: c_int = zmq_sys::ZMQ_LINGER;
    const NAME: &'static str = "ZMQ_LINGER";
}

impl GetContextOption for Linger {
    type Value = Option<Duration>;
    fn decode(raw: c_int) -> Result<Option<Duration>> {
        crate::sockopt::from_optional_millis(Self::NAME, raw)
    }
}

impl SetContextOption for Linger {
    type Value = Option<Duration>;
    fn encode(value: Option<Duration>) -> Result<c_int> {
        match value {
            None => Ok(-1),
            Some(value) => crate::sockopt::millis(Self::NAME, value),
        }
    }
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
