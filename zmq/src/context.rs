//! The context: libzmq's container for I/O threads and sockets.

use std::ffi::c_void;
use std::ptr::NonNull;
use std::sync::{Arc, OnceLock};

use crate::ctxopt::{GetContextOption, SetContextOption};
use crate::error::{Result, check, check_ptr};
use crate::socket::{Socket, SocketType};

/// Owns the `void *` from `zmq_ctx_new`; terminates it when dropped.
///
/// Every [`Context`] handle and every [`Socket`] holds an `Arc` of this, so
/// `zmq_ctx_term` runs exactly once, after the last socket is closed: it can
/// neither block on a socket still open nor free memory a socket still uses.
#[derive(Debug)]
struct RawContext(NonNull<c_void>);

// SAFETY: a libzmq context is thread-safe: every zmq_ctx_* call and socket
// creation may happen from any thread at once (zmq_ctx(3)).
unsafe impl Send for RawContext {}
// SAFETY: as above; shared references only make thread-safe libzmq calls.
unsafe impl Sync for RawContext {}

impl Drop for RawContext {
    fn drop(&mut self) {
        loop {
            // SAFETY: the pointer came from zmq_ctx_new and this is the only
            // place that terminates it; no socket is left (each holds an Arc).
            let rc = unsafe { zmq_sys::zmq_ctx_term(self.0.as_ptr()) };
            // zmq_ctx_term may be interrupted by a signal: call it again.
            if rc == 0 || crate::Error::last().kind() != crate::ErrorKind::Interrupted {
                break;
            }
        }
    }
}

// `clear_errno` sets this thread's errno to 0, so that a -1 returned by
// zmq_ctx_get can be told apart from a failure (which sets errno). It
// returns false where this crate knows no way to do it; a -1 is then taken
// as a failure.

#[cfg(any(target_os = "linux", target_os = "emscripten", target_os = "fuchsia"))]
fn clear_errno() -> bool {
    // SAFETY: __errno_location returns this thread's errno, always valid.
    unsafe { *libc::__errno_location() = 0 };
    true
}

#[cfg(any(
    target_os = "macos",
    target_os = "ios",
    target_os = "freebsd",
    target_os = "dragonfly"
))]
fn clear_errno() -> bool {
    // SAFETY: __error returns this thread's errno, always valid.
    unsafe { *libc::__error() = 0 };
    true
}

#[cfg(any(target_os = "android", target_os = "netbsd", target_os = "openbsd"))]
fn clear_errno() -> bool {
    // SAFETY: __errno returns this thread's errno, always valid.
    unsafe { *libc::__errno() = 0 };
    true
}

#[cfg(not(any(
    target_os = "linux",
    target_os = "emscripten",
    target_os = "fuchsia",
    target_os = "macos",
    target_os = "ios",
    target_os = "freebsd",
    target_os = "dragonfly",
    target_os = "android",
    target_os = "netbsd",
    target_os = "openbsd"
)))]
fn clear_errno() -> bool {
    false
}

/// A ZeroMQ context: a cheap, thread-safe handle.
///
/// Clone it freely and send it between threads; sockets made from it keep it
/// alive. libzmq tears the context down (`zmq_ctx_term`) when the last handle
/// and the last socket are gone. To make blocking calls in other threads
/// return [`ErrorKind::Terminated`](crate::ErrorKind::Terminated), call
/// [`shutdown`](Self::shutdown).
///
/// ```
/// let ctx = zmq::Context::new()?;
/// let rep = ctx.socket(zmq::SocketType::Rep)?;
/// rep.bind("inproc://doc-context")?;
/// # Ok::<(), zmq::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Context {
    raw: Arc<RawContext>,
}

impl Context {
    /// Creates a context with libzmq's defaults (one I/O thread).
    #[doc(alias = "zmq_ctx_new")]
    pub fn new() -> Result<Self> {
        // SAFETY: zmq_ctx_new has no preconditions.
        let raw = check_ptr(unsafe { zmq_sys::zmq_ctx_new() })?;
        Ok(Self {
            raw: Arc::new(RawContext(raw)),
        })
    }

    /// Creates a context with `threads` I/O threads (rule of thumb: one per
    /// gigabit per second of traffic; 0 for inproc-only programs). It sets
    /// `ZMQ_IO_THREADS` before the first socket starts them.
    ///
    /// ```
    /// use zmq::{SocketType, ctxopt};
    ///
    /// // inproc:// needs no I/O thread at all.
    /// let ctx = zmq::Context::with_io_threads(0)?;
    /// assert_eq!(ctx.get(ctxopt::IoThreads)?, 0);
    /// let pull = ctx.socket(SocketType::Pull)?;
    /// pull.bind("inproc://doc-io-threads")?;
    /// let push = ctx.socket(SocketType::Push)?;
    /// push.connect("inproc://doc-io-threads")?;
    /// push.send("no I/O thread needed")?;
    /// assert_eq!(pull.recv_string()?, "no I/O thread needed");
    /// # Ok::<(), zmq::Error>(())
    /// ```
    #[doc(alias = "ZMQ_IO_THREADS")]
    pub fn with_io_threads(threads: i32) -> Result<Self> {
        let ctx = Self::new()?;
        ctx.set(crate::ctxopt::IoThreads, threads)?;
        Ok(ctx)
    }

    /// A process-wide shared context, created on first use, like pyzmq's
    /// `Context.instance()`. It is never terminated.
    pub fn instance() -> Result<Self> {
        static INSTANCE: OnceLock<Context> = OnceLock::new();
        if let Some(ctx) = INSTANCE.get() {
            return Ok(ctx.clone());
        }
        let ctx = Self::new()?;
        Ok(INSTANCE.get_or_init(|| ctx).clone())
    }

    /// Creates a socket of the given type.
    #[doc(alias = "zmq_socket")]
    pub fn socket(&self, kind: SocketType) -> Result<Socket> {
        Socket::new(self.clone(), kind)
    }

    /// Shuts the context down: blocking calls on its sockets, in any thread,
    /// return [`ErrorKind::Terminated`](crate::ErrorKind::Terminated), and so
    /// does every later call but `close`. Memory is released when the last
    /// handle and socket are dropped.
    ///
    /// ```
    /// use std::thread;
    /// use zmq::{ErrorKind, SocketType};
    ///
    /// let ctx = zmq::Context::new()?;
    /// let pull = ctx.socket(SocketType::Pull)?;
    /// pull.bind("inproc://doc-shutdown")?;
    /// // A receive that would wait forever, in another thread...
    /// let waiting = thread::spawn(move || pull.recv().map(drop));
    /// // ...returns Terminated once the context is shut down.
    /// ctx.shutdown()?;
    /// let error = waiting.join().expect("no panic").unwrap_err();
    /// assert_eq!(error.kind(), ErrorKind::Terminated);
    /// assert!(ctx.socket(SocketType::Push).is_err());
    /// # Ok::<(), zmq::Error>(())
    /// ```
    #[doc(alias = "zmq_ctx_shutdown")]
    pub fn shutdown(&self) -> Result<()> {
        // SAFETY: the context is live (we hold the Arc); shutdown is
        // thread-safe and idempotent.
        check(unsafe { zmq_sys::zmq_ctx_shutdown(self.as_raw()) }).map(drop)
    }

    /// Reads a context option.
    ///
    /// ```
    /// use zmq::ctxopt;
    /// let ctx = zmq::Context::new()?;
    /// assert_eq!(ctx.get(ctxopt::IoThreads)?, 1);
    /// # Ok::<(), zmq::Error>(())
    /// ```
    #[doc(alias = "zmq_ctx_get")]
    pub fn get<O: GetContextOption>(&self, _option: O) -> Result<O::Value> {
        // zmq_ctx_get returns the value itself, and -1 both for failure and
        // for options that hold -1 (THREAD_SCHED_POLICY's default). On
        // failure it sets errno, so a cleared errno tells them apart.
        let cleared = clear_errno();
        // SAFETY: the context is live; zmq_ctx_get only reads it.
        let value = unsafe { zmq_sys::zmq_ctx_get(self.as_raw(), O::ID) };
        if value == -1 {
            let error = crate::Error::last();
            if !cleared || error.errno() != 0 {
                return Err(error.context(format!("getting context option {}", O::NAME)));
            }
        }
        O::decode(value)
    }

    /// Sets a context option.
    ///
    /// ```
    /// use zmq::ctxopt;
    /// let ctx = zmq::Context::new()?;
    /// ctx.set(ctxopt::MaxSockets, 64)?;
    /// assert_eq!(ctx.get(ctxopt::MaxSockets)?, 64);
    /// # Ok::<(), zmq::Error>(())
    /// ```
    #[doc(alias = "zmq_ctx_set")]
    pub fn set<O: SetContextOption>(&self, _option: O, value: O::Value) -> Result<()> {
        let value = O::encode(value)?;
        // SAFETY: the context is live; zmq_ctx_set is thread-safe.
        check(unsafe { zmq_sys::zmq_ctx_set(self.as_raw(), O::ID, value) })
            .map(drop)
            .map_err(|e| e.context(format!("setting context option {}", O::NAME)))
    }

    /// The raw `void *` for calls into libzmq this crate does not wrap. It
    /// stays valid while this handle (or any clone or socket) lives.
    pub fn as_raw(&self) -> *mut c_void {
        self.raw.0.as_ptr()
    }

    /// True when both handles refer to the same libzmq context.
    pub fn same_as(&self, other: &Context) -> bool {
        Arc::ptr_eq(&self.raw, &other.raw)
    }
}
