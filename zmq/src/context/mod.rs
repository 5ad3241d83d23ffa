//! The context: libzmq's container for I/O threads and sockets.

mod background;
mod errno;
mod threads;

use std::ffi::{c_int, c_void};
use std::ptr::NonNull;
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::{Arc, Condvar, Mutex, OnceLock, PoisonError};
use std::time::Duration;

pub(crate) use background::InternalSocket;

use crate::ctxopt::{self, ContextOption, GetContextOption, SetContextOption};
use crate::error::{Error, Result, check, check_ptr};
use crate::socket::{Socket, SocketType};

/// The linger this crate gives every socket it creates, unless the
/// context says otherwise ([`ctxopt::Linger`]): how long messages still
/// queued for a peer are kept, in the background, once the socket is
/// closed. Terminating the context waits for them.
///
/// libzmq's own default is to keep them forever: a message queued for a
/// peer that never comes blocks the program when its last [`Context`] is
/// dropped, even after [`Context::shutdown`]. czmq gives every socket a
/// linger of 0 (closing discards what was not sent); pyzmq keeps libzmq's
/// default and offers `Context.destroy(linger)` as the way out. This
/// crate takes a bounded middle: one second is ample for the I/O thread
/// to flush what a connected peer can take (milliseconds), and caps what
/// an absent peer costs a program at exit. Set [`ctxopt::Linger`] (or
/// [`sockopt::Linger`](crate::sockopt::Linger) per socket) to `None` for
/// libzmq's behaviour, to `Some(Duration::ZERO)` for czmq's; and
/// [`Context::destroy`] bounds the wait whatever the sockets' settings.
pub const DEFAULT_LINGER: Duration = Duration::from_secs(1);

/// Set once `zmq_ctx_term` has returned, for [`Context::destroy`].
#[derive(Debug, Default)]
struct Terminated {
    done: Mutex<bool>,
    signal: Condvar,
}

impl Terminated {
    fn set(&self) {
        *self.done.lock().unwrap_or_else(PoisonError::into_inner) = true;
        self.signal.notify_all();
    }

    /// Waits up to `wait` for [`set`](Self::set); true if it happened.
    fn wait(&self, wait: Duration) -> bool {
        let done = self.done.lock().unwrap_or_else(PoisonError::into_inner);
        let (done, _) = self
            .signal
            .wait_timeout_while(done, wait, |done| !*done)
            .unwrap_or_else(PoisonError::into_inner);
        *done
    }
}

/// Owns the `void *` from `zmq_ctx_new`; terminates it when dropped.
///
/// Every [`Context`] handle and every [`Socket`] holds an `Arc` of this, so
/// `zmq_ctx_term` runs exactly once, after the last socket is closed: it can
/// neither block on a socket still open nor free memory a socket still uses.
#[derive(Debug)]
struct RawContext {
    ptr: NonNull<c_void>,
    /// `ZMQ_LINGER` in milliseconds for new sockets, -1 for forever.
    linger: AtomicI32,
    /// libzmq's thread options, checked before its threads start.
    threads: threads::Threads,
    /// The crate's own threads on this context.
    background: background::Background,
    /// The ZAP service (see [`crate::auth`]), once started.
    zap: Mutex<Option<Arc<crate::auth::ZapSlot>>>,
    terminated: Arc<Terminated>,
}

// SAFETY: a libzmq context is thread-safe: every zmq_ctx_* call and socket
// creation may happen from any thread at once (zmq_ctx(3)). The other
// fields are thread-safe Rust types.
unsafe impl Send for RawContext {}
// SAFETY: as above; shared references only make thread-safe libzmq calls.
unsafe impl Sync for RawContext {}

impl Drop for RawContext {
    fn drop(&mut self) {
        if !self.background.is_empty() {
            // The crate's threads block in libzmq on sockets of this
            // context: shutting it down wakes them with ETERM, and they
            // close their sockets as they end. zmq_ctx_term would stop the
            // same way; it just could not finish before those sockets are
            // closed.
            // SAFETY: the pointer came from zmq_ctx_new and is live.
            unsafe { zmq_sys::zmq_ctx_shutdown(self.ptr.as_ptr()) };
            self.background.join_all();
        }
        loop {
            // SAFETY: the pointer came from zmq_ctx_new and this is the only
            // place that terminates it; no socket is left (each holds an
            // Arc, the background threads have closed theirs).
            let rc = unsafe { zmq_sys::zmq_ctx_term(self.ptr.as_ptr()) };
            // zmq_ctx_term may be interrupted by a signal: call it again.
            if rc == 0 || crate::Error::last().kind() != crate::ErrorKind::Interrupted {
                break;
            }
        }
        self.terminated.set();
    }
}

/// A ZeroMQ context: a cheap, thread-safe handle.
///
/// Clone it freely and send it between threads; sockets made from it keep it
/// alive. libzmq tears the context down (`zmq_ctx_term`) when the last handle
/// and the last socket are gone. To make blocking calls in other threads
/// return [`ErrorKind::Terminated`](crate::ErrorKind::Terminated), call
/// [`shutdown`](Self::shutdown).
///
/// Every socket it creates gets a linger of [`DEFAULT_LINGER`] (one
/// second) rather than libzmq's "forever", so that dropping the last
/// handle never waits forever for a peer that is gone; see there, and
/// [`destroy`](Self::destroy) for a bounded way out whatever the settings.
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
        let ptr = check_ptr(unsafe { zmq_sys::zmq_ctx_new() })?;
        let linger = c_int::try_from(DEFAULT_LINGER.as_millis()).unwrap_or(c_int::MAX);
        Ok(Self {
            raw: Arc::new(RawContext {
                ptr,
                linger: AtomicI32::new(linger),
                threads: threads::Threads::default(),
                background: background::Background::default(),
                zap: Mutex::new(None),
                terminated: Arc::default(),
            }),
        })
    }

    /// Creates a context with `threads` I/O threads (rule of thumb: one per
    /// gigabit per second of traffic; 0 for inproc-only programs). It sets
    /// `ZMQ_IO_THREADS` before the first socket starts them; see
    /// [`ctxopt::IoThreads`] for the bounds.
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
        if O::ID == ctxopt::Linger::ID {
            return O::decode(self.raw.linger.load(Ordering::Relaxed));
        }
        // zmq_ctx_get returns the value itself, and -1 both for failure and
        // for options that hold -1 (THREAD_SCHED_POLICY's default). On
        // failure it sets errno, so a cleared errno tells them apart.
        let cleared = errno::clear_errno();
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
    /// Values libzmq would accept here and abort on later are refused
    /// with an [`InvalidInput`](crate::ErrorKind::InvalidInput) error naming the
    /// value and the limit: thread counts, socket counts, scheduling
    /// policies and priorities, CPUs (see [`ctxopt`]). Some are checked
    /// again, together, when the first socket starts libzmq's threads:
    /// [`socket`](Self::socket) then fails instead of the process.
    ///
    /// ```
    /// use zmq::ctxopt;
    /// let ctx = zmq::Context::new()?;
    /// ctx.set(ctxopt::MaxSockets, 64)?;
    /// assert_eq!(ctx.get(ctxopt::MaxSockets)?, 64);
    /// assert!(ctx.set(ctxopt::MaxSockets, i32::MAX).is_err());
    /// # Ok::<(), zmq::Error>(())
    /// ```
    #[doc(alias = "zmq_ctx_set")]
    pub fn set<O: SetContextOption>(&self, _option: O, value: O::Value) -> Result<()> {
        let value = O::encode(value)?;
        if O::ID == ctxopt::Linger::ID {
            self.raw.linger.store(value, Ordering::Relaxed);
            return Ok(());
        }
        let apply = || {
            // SAFETY: the context is live; zmq_ctx_set is thread-safe.
            check(unsafe { zmq_sys::zmq_ctx_set(self.as_raw(), O::ID, value) }).map(drop)
        };
        self.raw
            .threads
            .set(self.as_raw(), O::ID, value, apply)
            .map_err(|e| e.context(format!("setting context option {}", O::NAME)))?;
        if O::ID == zmq_sys::ZMQ_BLOCKY {
            // libzmq gives new sockets a linger of 0 (not blocky) or
            // forever (blocky); this crate sets the linger of its sockets
            // itself, so it follows the same rule.
            let linger = if value == 0 { 0 } else { -1 };
            self.raw.linger.store(linger, Ordering::Relaxed);
        }
        Ok(())
    }

    /// Shuts the context down, as [`shutdown`](Self::shutdown) does, and
    /// waits at most `wait` for it to terminate: for every other handle
    /// and socket to be dropped (their blocking calls return
    /// [`Terminated`](crate::ErrorKind::Terminated)) and the messages still
    /// queued to be delivered, as long as the sockets' linger allows.
    ///
    /// `Ok` once terminated. If the wait ends first, an
    /// [`Again`](crate::ErrorKind::Again) error says so and the termination goes
    /// on in the background: this call returns in time even with a socket
    /// whose linger is "forever" and a peer that never comes. This is the
    /// bounded way out pyzmq's `Context.destroy(linger)` offers; unlike it,
    /// this cannot close sockets other threads own, it waits for them.
    ///
    /// ```
    /// use std::time::Duration;
    /// use zmq::{SocketType, sockopt};
    ///
    /// let ctx = zmq::Context::new()?;
    /// let push = ctx.socket(SocketType::Push)?;
    /// push.set(sockopt::Linger, None)?; // libzmq's "forever"
    /// push.connect("tcp://127.0.0.1:9")?; // nobody listens
    /// push.send("never delivered")?;
    /// drop(push);
    /// let error = ctx.destroy(Duration::from_millis(50)).unwrap_err();
    /// assert_eq!(error.kind(), zmq::ErrorKind::Again);
    /// # Ok::<(), zmq::Error>(())
    /// ```
    #[doc(alias = "zmq_ctx_destroy")]
    pub fn destroy(self, wait: Duration) -> Result<()> {
        self.shutdown()?;
        let terminated = Arc::clone(&self.raw.terminated);
        match Arc::try_unwrap(self.raw) {
            // The last handle: terminating waits for the lingering
            // messages, so it happens on a thread of its own.
            Ok(raw) => {
                let raw = Arc::new(Mutex::new(Some(raw)));
                let theirs = Arc::clone(&raw);
                let spawned = std::thread::Builder::new()
                    .name("zmq-ctx-term".to_owned())
                    .spawn(move || {
                        let raw = theirs.lock().unwrap_or_else(PoisonError::into_inner).take();
                        drop(raw);
                    });
                if spawned.is_err() {
                    // No thread to be had: terminate here, as dropping the
                    // last handle would.
                    drop(raw);
                }
            }
            // Others hold it: the last of them terminates it.
            Err(shared) => drop(shared),
        }
        if terminated.wait(wait) {
            Ok(())
        } else {
            Err(Error::from_errno(libc::EAGAIN).context(format!(
                "the context did not terminate within {wait:?}: sockets are still open or \
                 messages are lingering; it terminates in the background"
            )))
        }
    }

    /// The raw `void *` for calls into libzmq this crate does not wrap. It
    /// stays valid while this handle (or any clone or socket) lives.
    pub fn as_raw(&self) -> *mut c_void {
        self.raw.ptr.as_ptr()
    }

    /// `zmq_socket` of `kind` (a `ZMQ_*` number) in this context. The
    /// first one starts libzmq's threads: the thread options are checked
    /// before.
    pub(crate) fn create_raw_socket(&self, kind: c_int) -> Result<NonNull<c_void>> {
        self.raw.threads.create_socket(self.as_raw(), kind)
    }

    /// The `ZMQ_LINGER` for a new socket, in milliseconds (-1: forever).
    pub(crate) fn default_linger(&self) -> c_int {
        self.raw.linger.load(Ordering::Relaxed)
    }

    /// A socket for one of the crate's background threads: no linger, no
    /// hold on the context (see [`InternalSocket`]).
    pub(crate) fn internal_socket(&self, kind: SocketType) -> Result<InternalSocket> {
        let socket = InternalSocket::from_raw(self.create_raw_socket(kind.to_raw())?);
        let linger: c_int = 0;
        // SAFETY: the socket is live; the value is a c_int of that size.
        check(unsafe {
            zmq_sys::zmq_setsockopt(
                socket.as_raw(),
                zmq_sys::ZMQ_LINGER,
                std::ptr::from_ref(&linger).cast(),
                size_of::<c_int>(),
            )
        })?;
        Ok(socket)
    }

    /// Runs `work` on a background thread of this context, joined (after a
    /// shutdown wakes it) before the context terminates.
    pub(crate) fn spawn_background(
        &self,
        name: &str,
        work: impl FnOnce() + Send + 'static,
    ) -> Result<()> {
        self.raw.background.spawn(name, work)
    }

    /// The context's ZAP service slot, started by `start` the first time.
    pub(crate) fn zap_slot(
        &self,
        start: impl FnOnce(&Context) -> Result<Arc<crate::auth::ZapSlot>>,
    ) -> Result<Arc<crate::auth::ZapSlot>> {
        let mut zap = self.raw.zap.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(slot) = &*zap {
            return Ok(Arc::clone(slot));
        }
        let slot = start(self)?;
        *zap = Some(Arc::clone(&slot));
        Ok(slot)
    }

    /// True when both handles refer to the same libzmq context.
    pub fn same_as(&self, other: &Context) -> bool {
        Arc::ptr_eq(&self.raw, &other.raw)
    }
}
