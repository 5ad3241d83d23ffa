//! Errors: libzmq's errno, classified, with its `zmq_strerror` text.

use std::borrow::Cow;
use std::ffi::CStr;
use std::fmt;

// libzmq's own error numbers (ZMQ_HAUSNUMERO + n, above every system errno
// range), from zmq.h through zmq-sys:
/// The operation is not valid in the socket's current state (REQ/REP order).
pub(crate) const EFSM: i32 = zmq_sys::EFSM;
/// The peer speaks an incompatible protocol.
pub(crate) const ENOCOMPATPROTO: i32 = zmq_sys::ENOCOMPATPROTO;
/// The context was terminated.
pub(crate) const ETERM: i32 = zmq_sys::ETERM;
/// No I/O thread is available for the operation.
pub(crate) const EMTHREAD: i32 = zmq_sys::EMTHREAD;

/// The `Result` of every fallible call in this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What went wrong, as far as a caller may want to branch on it.
///
/// The list grows with libzmq; match with a wildcard arm. The errno itself is
/// always available from [`Error::errno`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// `EAGAIN`: a non-blocking call would block, or a timeout expired.
    Again,
    /// `EINTR`: a signal interrupted a blocking call.
    Interrupted,
    /// `ETERM`: the context was shut down or terminated.
    Terminated,
    /// `EFSM`: the call is out of order for the socket's pattern (REQ/REP).
    InvalidState,
    /// The endpoint string is malformed or names an unknown transport.
    InvalidEndpoint,
    /// `EINVAL` and our own argument checks: a value libzmq does not accept.
    InvalidInput,
    /// `EPROTONOSUPPORT`: the transport is not supported by this libzmq.
    ProtocolNotSupported,
    /// `ENOCOMPATPROTO`: the transport does not fit the socket type.
    IncompatibleProtocol,
    /// `EADDRINUSE`: the address is already bound.
    AddrInUse,
    /// `EADDRNOTAVAIL`: the address is not local.
    AddrNotAvailable,
    /// `ENODEV`: the network interface does not exist.
    NoDevice,
    /// `ENOENT`: no such endpoint (unbind/disconnect) or property.
    NotFound,
    /// `EHOSTUNREACH`: the message cannot be routed (ROUTER_MANDATORY, SERVER).
    HostUnreachable,
    /// `ENOTSUP`: the operation is not supported by the socket type.
    NotSupported,
    /// `ENOTSOCK`: the socket is invalid (closed).
    NotSocket,
    /// `EMTHREAD`: no I/O thread is available.
    NoIoThread,
    /// `EMFILE`: the process or context ran out of sockets or file descriptors.
    TooManyOpenFiles,
    /// `ENOMEM` / `ENOBUFS`: out of memory or buffer space.
    OutOfMemory,
    /// `EMSGSIZE`: the message is too large.
    MessageTooLarge,
    /// `EFAULT`: libzmq was handed an invalid object.
    Fault,
    /// Bytes this crate decoded as text (a received frame, say) were not
    /// valid UTF-8. Only this crate's own checks give this kind: an
    /// `EILSEQ` from libzmq is [`Other`](Self::Other), with libzmq's text.
    InvalidUtf8,
    /// A value could not be serialized for sending, or a received frame
    /// could not be deserialized (feature `serde`, or a format of your own
    /// through [`Error::serialization`]). The message keeps the format's
    /// own text; the errno is `EPROTO`.
    Serialization,
    /// Any other errno; [`Error::errno`] tells which.
    Other,
}

impl ErrorKind {
    fn from_errno(errno: i32) -> Self {
        match errno {
            libc::EAGAIN => Self::Again,
            libc::EINTR => Self::Interrupted,
            ETERM => Self::Terminated,
            EFSM => Self::InvalidState,
            libc::EINVAL => Self::InvalidInput,
            libc::EPROTONOSUPPORT => Self::ProtocolNotSupported,
            ENOCOMPATPROTO => Self::IncompatibleProtocol,
            libc::EADDRINUSE => Self::AddrInUse,
            libc::EADDRNOTAVAIL => Self::AddrNotAvailable,
            libc::ENODEV => Self::NoDevice,
            libc::ENOENT => Self::NotFound,
            libc::EHOSTUNREACH => Self::HostUnreachable,
            libc::ENOTSUP => Self::NotSupported,
            libc::ENOTSOCK => Self::NotSocket,
            EMTHREAD => Self::NoIoThread,
            libc::EMFILE => Self::TooManyOpenFiles,
            libc::ENOMEM | libc::ENOBUFS => Self::OutOfMemory,
            libc::EMSGSIZE => Self::MessageTooLarge,
            libc::EFAULT => Self::Fault,
            _ => Self::Other,
        }
    }
}

/// An error from libzmq or from this crate's checks of its arguments.
///
/// It keeps the errno (libzmq's, or the closest one for our own checks), its
/// kind, and optionally what was being attempted. Creating one allocates
/// nothing unless it carries a context, so `Again` on a hot non-blocking
/// path costs no more than the errno read.
#[derive(Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.describe())]
pub struct Error {
    errno: i32,
    kind: ErrorKind,
    context: Option<Cow<'static, str>>,
}

impl Error {
    /// The error for an errno value; unknown values are kept as
    /// [`ErrorKind::Other`].
    pub fn from_errno(errno: i32) -> Self {
        Self {
            errno,
            kind: ErrorKind::from_errno(errno),
            context: None,
        }
    }

    /// The error libzmq reported for the last failed call on this thread.
    #[doc(alias = "zmq_errno")]
    #[cold]
    pub fn last() -> Self {
        // SAFETY: zmq_errno only reads this thread's errno.
        Self::from_errno(unsafe { zmq_sys::zmq_errno() })
    }

    /// An argument this crate rejected before calling libzmq.
    #[cold]
    pub(crate) fn invalid_input(what: impl Into<Cow<'static, str>>) -> Self {
        Self {
            errno: libc::EINVAL,
            kind: ErrorKind::InvalidInput,
            context: Some(what.into()),
        }
    }

    /// Bytes this crate decoded as text were not UTF-8: `what` says which.
    #[cold]
    pub(crate) fn invalid_utf8(what: impl Into<Cow<'static, str>>) -> Self {
        Self {
            errno: libc::EILSEQ,
            kind: ErrorKind::InvalidUtf8,
            context: Some(what.into()),
        }
    }

    /// A value that could not be serialized, or bytes that could not be
    /// deserialized: `source` is the format's error, whose text the error
    /// keeps. [`Socket::send_serialized`](crate::Socket::send_serialized)
    /// and its kin use it for the error of the closure they are given; it is
    /// public so a codec of your own can report its failures as
    /// [`ErrorKind::Serialization`] too.
    ///
    /// ```
    /// use zmq::{Error, ErrorKind};
    ///
    /// let error = Error::serialization("not a number");
    /// assert_eq!(error.kind(), ErrorKind::Serialization);
    /// assert_eq!(error.to_string(), "not a number: serialization failed");
    /// ```
    #[cold]
    pub fn serialization(source: impl fmt::Display) -> Self {
        Self {
            errno: libc::EPROTO,
            kind: ErrorKind::Serialization,
            context: Some(Cow::Owned(source.to_string())),
        }
    }

    /// Overrides the kind where the call tells more than the errno does.
    pub(crate) fn with_kind(mut self, kind: ErrorKind) -> Self {
        self.kind = kind;
        self
    }

    /// Attaches what was being attempted, for the message. A context the
    /// error already carries (the detail of a failed check, say) is kept
    /// after it: `"certificate x.key: line 3: ..."`.
    #[cold]
    pub(crate) fn context(mut self, what: impl Into<Cow<'static, str>>) -> Self {
        let what = what.into();
        self.context = Some(match self.context.take() {
            Some(detail) => Cow::Owned(format!("{what}: {detail}")),
            None => what,
        });
        self
    }

    /// The errno value.
    pub fn errno(&self) -> i32 {
        self.errno
    }

    /// The classified kind, to branch on.
    ///
    /// ```
    /// use zmq::{ErrorKind, RecvFlags, SocketType};
    ///
    /// let ctx = zmq::Context::new()?;
    /// let pull = ctx.socket(SocketType::Pull)?;
    /// pull.bind("inproc://doc-error-kind")?;
    /// match pull.recv_with(RecvFlags::DONTWAIT) {
    ///     Ok(msg) => println!("got {msg:?}"),
    ///     Err(e) if e.kind() == ErrorKind::Again => println!("nothing yet"),
    ///     Err(e) => return Err(e),
    /// }
    /// let error = pull.bind("inproc://doc-error-kind").unwrap_err();
    /// assert_eq!(error.kind(), ErrorKind::AddrInUse);
    /// # Ok::<(), zmq::Error>(())
    /// ```
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// libzmq's description of the errno (for this crate's own UTF-8
    /// check and for serialization errors, a description of that).
    #[doc(alias = "zmq_strerror")]
    pub fn message(&self) -> String {
        match self.kind {
            ErrorKind::InvalidUtf8 => return "message is not valid UTF-8".to_owned(),
            ErrorKind::Serialization => return "serialization failed".to_owned(),
            _ => {}
        }
        // SAFETY: zmq_strerror returns a NUL-terminated string for any errno;
        // it is copied out before any other call on this thread.
        unsafe { CStr::from_ptr(zmq_sys::zmq_strerror(self.errno)) }
            .to_string_lossy()
            .into_owned()
    }

    fn describe(&self) -> String {
        match &self.context {
            Some(context) => format!("{context}: {}", self.message()),
            None => self.message(),
        }
    }

    /// True for [`ErrorKind::Again`]: nothing was ready, try later.
    pub fn is_again(&self) -> bool {
        self.kind == ErrorKind::Again
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("kind", &self.kind)
            .field("errno", &self.errno)
            .field("message", &self.to_string())
            .finish()
    }
}

impl From<Error> for std::io::Error {
    fn from(error: Error) -> Self {
        use std::io::ErrorKind as Io;
        let kind = match error.kind {
            ErrorKind::Again => Io::WouldBlock,
            ErrorKind::Interrupted => Io::Interrupted,
            ErrorKind::InvalidInput | ErrorKind::InvalidEndpoint => Io::InvalidInput,
            ErrorKind::InvalidUtf8 | ErrorKind::Serialization => Io::InvalidData,
            ErrorKind::AddrInUse => Io::AddrInUse,
            ErrorKind::AddrNotAvailable => Io::AddrNotAvailable,
            ErrorKind::NotFound => Io::NotFound,
            ErrorKind::NotSupported | ErrorKind::ProtocolNotSupported => Io::Unsupported,
            ErrorKind::OutOfMemory => Io::OutOfMemory,
            ErrorKind::HostUnreachable => Io::HostUnreachable,
            _ => Io::Other,
        };
        std::io::Error::new(kind, error)
    }
}

/// The most characters of a caller's text that an error message quotes.
pub(crate) const QUOTE_MAX: usize = 256;

/// `text` quoted for an error message, escaped as `{:?}` does. Text longer
/// than [`QUOTE_MAX`] characters is cut there, followed by an ellipsis and
/// its full length in bytes, so a huge input (a 1 MB endpoint) never makes
/// a huge message.
pub(crate) fn quote(text: &str) -> String {
    match text.char_indices().nth(QUOTE_MAX) {
        None => format!("{text:?}"),
        Some((cut, _)) => format!("{:?}... ({} bytes)", &text[..cut], text.len()),
    }
}

/// Turns libzmq's `-1` + errno convention into a `Result`, reading errno at
/// once on the calling thread.
#[inline]
pub(crate) fn check(rc: std::ffi::c_int) -> Result<std::ffi::c_int> {
    if rc == -1 { Err(Error::last()) } else { Ok(rc) }
}

/// Like [`check`] for calls that return a pointer and NULL on failure.
#[inline]
pub(crate) fn check_ptr<T>(ptr: *mut T) -> Result<std::ptr::NonNull<T>> {
    std::ptr::NonNull::new(ptr).ok_or_else(Error::last)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_errno_is_kept_not_a_panic() {
        let error = Error::from_errno(987_654);
        assert_eq!(error.kind(), ErrorKind::Other);
        assert_eq!(error.errno(), 987_654);
        assert!(!error.to_string().is_empty());
    }

    #[test]
    fn zmq_specific_errnos_are_classified() {
        assert_eq!(Error::from_errno(ETERM).kind(), ErrorKind::Terminated);
        assert_eq!(Error::from_errno(EFSM).kind(), ErrorKind::InvalidState);
        assert_eq!(Error::from_errno(libc::EAGAIN).kind(), ErrorKind::Again);
        assert!(Error::from_errno(ETERM).message().contains("terminated"));
    }

    #[test]
    fn context_prefixes_the_libzmq_text() {
        let error = Error::invalid_input("endpoint contains a NUL byte");
        assert_eq!(
            error.to_string(),
            "endpoint contains a NUL byte: Invalid argument"
        );
    }

    #[test]
    fn a_second_context_keeps_the_first_as_detail() {
        let error = Error::invalid_input("line 3: bad key").context("certificate a.key");
        assert_eq!(
            error.to_string(),
            "certificate a.key: line 3: bad key: Invalid argument"
        );
    }

    #[test]
    fn quoted_text_is_cut_after_quote_max_characters() {
        assert_eq!(quote("tcp://x"), "\"tcp://x\"");
        let exact = "é".repeat(QUOTE_MAX);
        assert_eq!(quote(&exact), format!("{exact:?}"));
        let huge = "a".repeat(1 << 20);
        let quoted = quote(&huge);
        assert!(quoted.len() < QUOTE_MAX + 40, "{}", quoted.len());
        assert!(quoted.ends_with("... (1048576 bytes)"), "{quoted}");
        assert!(quoted.starts_with(&format!("\"{}", "a".repeat(QUOTE_MAX))));
    }

    #[test]
    fn converts_to_io_error_with_a_matching_kind() {
        let io: std::io::Error = Error::from_errno(libc::EAGAIN).into();
        assert_eq!(io.kind(), std::io::ErrorKind::WouldBlock);
        let io: std::io::Error = Error::from_errno(libc::EADDRINUSE).into();
        assert_eq!(io.kind(), std::io::ErrorKind::AddrInUse);
    }
}
