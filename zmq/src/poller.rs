//! `Poller<T>`: libzmq's `zmq_poller` with typed user data per registration
//! (feature `draft`).

use std::cell::RefCell;
use std::collections::HashMap;
use std::ffi::{c_long, c_void};
use std::marker::PhantomData;
use std::ptr::NonNull;
use std::time::Duration;

use crate::draft::ThreadSafeSocket;
use crate::error::{Error, ErrorKind, Result, check, check_ptr};
use crate::flags::PollEvents;
use crate::poll::RawFd;
use crate::socket::{Socket, timeout_millis};

mod sealed {
    pub trait Sealed {}
    impl Sealed for crate::Socket {}
    impl Sealed for crate::ThreadSafeSocket {}
}

/// A socket a [`Poller`] can wait on: a classic [`Socket`] or a
/// [`ThreadSafeSocket`].
pub trait Pollable: sealed::Sealed {
    /// The live libzmq socket.
    fn raw_socket(&self) -> *mut c_void;
}

impl Pollable for Socket {
    fn raw_socket(&self) -> *mut c_void {
        self.as_raw()
    }
}

impl Pollable for ThreadSafeSocket {
    fn raw_socket(&self) -> *mut c_void {
        self.as_raw()
    }
}

/// What a registration waits on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Target {
    Socket(*mut c_void),
    Fd(RawFd),
}

/// Waits on sockets (classic and thread-safe) and file descriptors, each
/// registered with a value of type `T` that comes back with its events.
///
/// The poller borrows every socket registered in it for `'s`, so none can
/// be closed while the poller may still wait on it. A poller stays on the
/// thread that made it (it is neither `Send` nor `Sync`), like the classic
/// sockets it polls.
///
/// ```
/// use std::time::Duration;
/// use zmq::{PollEvents, Poller, SocketType, ThreadSafeType};
///
/// let ctx = zmq::Context::new()?;
/// let server = ctx.thread_safe_socket(ThreadSafeType::Server)?;
/// server.bind("inproc://doc-poller")?;
/// let client = ctx.thread_safe_socket(ThreadSafeType::Client)?;
/// client.connect("inproc://doc-poller")?;
///
/// let mut poller = Poller::new()?;
/// poller.add(&server, PollEvents::POLLIN, "server")?;
/// client.send("hi")?;
/// let event = poller.wait(Some(Duration::from_secs(5)))?.expect("a message arrived");
/// assert_eq!(*event.data(), "server");
/// assert!(event.is_readable());
/// # Ok::<(), zmq::Error>(())
/// ```
pub struct Poller<'s, T> {
    raw: NonNull<c_void>,
    /// The user data of each registration, boxed so its address (handed to
    /// libzmq) stays put while the map grows.
    entries: HashMap<Target, Box<T>>,
    /// Reused by `wait_all` for libzmq's event array.
    scratch: RefCell<Vec<zmq_sys::zmq_poller_event_t>>,
    _sockets: PhantomData<&'s Socket>,
}

impl<T: std::fmt::Debug> std::fmt::Debug for Poller<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Poller")
            .field("raw", &self.raw)
            .field("registrations", &self.entries.len())
            .finish()
    }
}

/// One event found by [`Poller::wait`] or [`Poller::wait_all`]: which
/// registration (through its user data) and which events it has.
pub struct PollerEvent<'p, T> {
    data: &'p T,
    events: PollEvents,
    target: Target,
}

impl<T: std::fmt::Debug> std::fmt::Debug for PollerEvent<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PollerEvent")
            .field("data", self.data)
            .field("events", &self.events)
            .finish()
    }
}

impl<'p, T> PollerEvent<'p, T> {
    /// The user data given when the socket or descriptor was registered.
    pub fn data(&self) -> &'p T {
        self.data
    }

    /// The events found.
    pub fn events(&self) -> PollEvents {
        self.events
    }

    /// True if a message (or data, for a descriptor) can be received.
    pub fn is_readable(&self) -> bool {
        self.events.contains(PollEvents::POLLIN)
    }

    /// True if a message can be sent.
    pub fn is_writable(&self) -> bool {
        self.events.contains(PollEvents::POLLOUT)
    }

    /// True if a descriptor has an error condition.
    pub fn is_error(&self) -> bool {
        self.events.contains(PollEvents::POLLERR)
    }

    /// True if this event is for `socket`.
    pub fn is_socket(&self, socket: &impl Pollable) -> bool {
        self.target == Target::Socket(socket.raw_socket())
    }

    /// The file descriptor, if the event is for one.
    pub fn fd(&self) -> Option<RawFd> {
        match self.target {
            Target::Fd(fd) => Some(fd),
            Target::Socket(_) => None,
        }
    }
}

impl<'s, T> Poller<'s, T> {
    /// Creates an empty poller.
    #[doc(alias = "zmq_poller_new")]
    pub fn new() -> Result<Self> {
        // SAFETY: zmq_poller_new has no preconditions.
        let raw = check_ptr(unsafe { zmq_sys::zmq_poller_new() })?;
        Ok(Self {
            raw,
            entries: HashMap::new(),
            scratch: RefCell::new(Vec::new()),
            _sockets: PhantomData,
        })
    }

    /// How many sockets and descriptors are registered.
    #[doc(alias = "zmq_poller_size")]
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True if nothing is registered.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Registers `socket` for `events`, with `data` to identify it; `Err` if
    /// it is registered already.
    #[doc(alias = "zmq_poller_add")]
    pub fn add<S: Pollable>(&mut self, socket: &'s S, events: PollEvents, data: T) -> Result<()> {
        let (poller, raw) = (self.raw.as_ptr(), socket.raw_socket());
        self.register(Target::Socket(raw), data, |user_data| {
            // SAFETY: the poller is live and the socket borrowed for 's,
            // longer than the poller; user_data stays valid until removal.
            unsafe { zmq_sys::zmq_poller_add(poller, raw, user_data, events.bits()) }
        })
    }

    /// Registers the file descriptor `fd` (a TCP socket, a pipe, ...) for
    /// `events`, with `data` to identify it.
    #[doc(alias = "zmq_poller_add_fd")]
    pub fn add_fd(&mut self, fd: RawFd, events: PollEvents, data: T) -> Result<()> {
        let poller = self.raw.as_ptr();
        self.register(Target::Fd(fd), data, |user_data| {
            // SAFETY: the poller is live; user_data stays valid until removal.
            unsafe { zmq_sys::zmq_poller_add_fd(poller, fd, user_data, events.bits()) }
        })
    }

    fn register(
        &mut self,
        target: Target,
        data: T,
        add: impl FnOnce(*mut c_void) -> std::ffi::c_int,
    ) -> Result<()> {
        if self.entries.contains_key(&target) {
            return Err(Error::invalid_input("already registered in this poller"));
        }
        let data = Box::new(data);
        // The pointer is only ever read through (as &T), while the box lives
        // in `entries`.
        let user_data = std::ptr::from_ref::<T>(&data).cast_mut().cast();
        check(add(user_data))?;
        self.entries.insert(target, data);
        Ok(())
    }

    /// Changes the events `socket` is polled for.
    #[doc(alias = "zmq_poller_modify")]
    pub fn modify<S: Pollable>(&self, socket: &S, events: PollEvents) -> Result<()> {
        let raw = socket.raw_socket();
        self.registered(Target::Socket(raw))?;
        // SAFETY: the poller is live and the socket registered and alive.
        check(unsafe { zmq_sys::zmq_poller_modify(self.raw.as_ptr(), raw, events.bits()) })
            .map(drop)
    }

    /// Changes the events the descriptor `fd` is polled for.
    #[doc(alias = "zmq_poller_modify_fd")]
    pub fn modify_fd(&self, fd: RawFd, events: PollEvents) -> Result<()> {
        self.registered(Target::Fd(fd))?;
        // SAFETY: the poller is live.
        check(unsafe { zmq_sys::zmq_poller_modify_fd(self.raw.as_ptr(), fd, events.bits()) })
            .map(drop)
    }

    /// `Err` (NotFound) unless `target` is registered.
    fn registered(&self, target: Target) -> Result<()> {
        if self.entries.contains_key(&target) {
            return Ok(());
        }
        let what = match target {
            Target::Socket(_) => "the socket".to_owned(),
            Target::Fd(fd) => format!("fd {fd}"),
        };
        Err(
            Error::invalid_input(format!("{what} is not registered in this poller"))
                .with_kind(ErrorKind::NotFound),
        )
    }

    /// Stops polling `socket` and returns its user data.
    #[doc(alias = "zmq_poller_remove")]
    pub fn remove<S: Pollable>(&mut self, socket: &S) -> Result<T> {
        let (poller, raw) = (self.raw.as_ptr(), socket.raw_socket());
        self.unregister(Target::Socket(raw), || {
            // SAFETY: the poller is live and the socket registered (checked
            // by unregister) and alive (borrowed by the caller).
            unsafe { zmq_sys::zmq_poller_remove(poller, raw) }
        })
    }

    /// Stops polling the descriptor `fd` and returns its user data.
    #[doc(alias = "zmq_poller_remove_fd")]
    pub fn remove_fd(&mut self, fd: RawFd) -> Result<T> {
        let poller = self.raw.as_ptr();
        self.unregister(Target::Fd(fd), || {
            // SAFETY: the poller is live.
            unsafe { zmq_sys::zmq_poller_remove_fd(poller, fd) }
        })
    }

    fn unregister(
        &mut self,
        target: Target,
        remove: impl FnOnce() -> std::ffi::c_int,
    ) -> Result<T> {
        self.registered(target)?;
        check(remove())?;
        // `&mut self` means no event borrows the data any more.
        self.entries
            .remove(&target)
            .map(|data| *data)
            .ok_or_else(|| Error::invalid_input("registration vanished"))
    }

    /// Waits up to `timeout` (`None`: forever) for one event; `None` when
    /// the time passes without one.
    #[doc(alias = "zmq_poller_wait")]
    pub fn wait(&self, timeout: Option<Duration>) -> Result<Option<PollerEvent<'_, T>>> {
        let timeout = self.checked_timeout(timeout)?;
        let mut event = zmq_sys::zmq_poller_event_t::default();
        // SAFETY: the poller is live and every registered socket alive
        // (borrowed for 's); event is one writable zmq_poller_event_t.
        let rc = unsafe { zmq_sys::zmq_poller_wait(self.raw.as_ptr(), &mut event, timeout) };
        match check(rc) {
            Ok(_) => Ok(Some(self.event(&event))),
            Err(e) if e.kind() == ErrorKind::Again => Ok(None),
            Err(e) => Err(e.context("zmq_poller_wait")),
        }
    }

    /// Waits up to `timeout` (`None`: forever) for events and puts every
    /// one found into `events` (cleared first); returns how many (0 when the
    /// time passes without one).
    #[doc(alias = "zmq_poller_wait_all")]
    pub fn wait_all<'p>(
        &'p self,
        events: &mut Vec<PollerEvent<'p, T>>,
        timeout: Option<Duration>,
    ) -> Result<usize> {
        events.clear();
        let timeout = self.checked_timeout(timeout)?;
        let mut scratch = self.scratch.borrow_mut();
        scratch.clear();
        scratch.resize(self.entries.len().max(1), Default::default());
        let capacity = std::ffi::c_int::try_from(scratch.len())
            .map_err(|_| Error::invalid_input("too many poller registrations"))?;
        // SAFETY: the poller is live and every registered socket alive;
        // scratch holds `capacity` writable events.
        let rc = unsafe {
            zmq_sys::zmq_poller_wait_all(self.raw.as_ptr(), scratch.as_mut_ptr(), capacity, timeout)
        };
        let found = match check(rc) {
            Ok(found) => usize::try_from(found).unwrap_or(0),
            Err(e) if e.kind() == ErrorKind::Again => 0,
            Err(e) => return Err(e.context("zmq_poller_wait_all")),
        };
        events.extend(
            scratch[..found.min(scratch.len())]
                .iter()
                .map(|raw| self.event(raw)),
        );
        Ok(events.len())
    }

    /// libzmq fails (EFAULT) rather than wait forever with nothing to wait
    /// on; say so clearly.
    fn checked_timeout(&self, timeout: Option<Duration>) -> Result<c_long> {
        if timeout.is_none() && self.entries.is_empty() {
            return Err(Error::invalid_input(
                "waiting forever on an empty poller would never return",
            ));
        }
        let millis = timeout_millis(timeout)?;
        c_long::try_from(millis).map_err(|_| Error::invalid_input("timeout is too long"))
    }

    /// Turns libzmq's event into ours, finding the registration's data.
    fn event(&self, raw: &zmq_sys::zmq_poller_event_t) -> PollerEvent<'_, T> {
        let target = if raw.socket.is_null() {
            Target::Fd(raw.fd)
        } else {
            Target::Socket(raw.socket)
        };
        // SAFETY: user_data is the pointer register() took from a Box<T>
        // that stays in `entries` until unregister(), which needs `&mut
        // self` and so cannot run while the returned borrow of `self` lives.
        let data = unsafe { &*raw.user_data.cast_const().cast::<T>() };
        PollerEvent {
            data,
            events: PollEvents::from_bits_retain(raw.events),
            target,
        }
    }

    /// A file descriptor that becomes readable when a registered
    /// thread-safe socket may have new events, for waking an event loop
    /// (for instance tokio's `AsyncFd`) that then calls [`wait`](Self::wait)
    /// with a zero timeout. Like `ZMQ_FD` it is edge-triggered: it signals
    /// activity that happens after a wait found the sockets idle, so call
    /// `wait` until it returns `None` before waiting on the descriptor.
    /// `Err` while no thread-safe socket is registered: classic sockets do
    /// not signal through it.
    #[doc(alias = "zmq_poller_fd")]
    pub fn fd(&self) -> Result<RawFd> {
        let mut fd: zmq_sys::zmq_fd_t = 0;
        // SAFETY: the poller is live; fd is a writable zmq_fd_t.
        check(unsafe { zmq_sys::zmq_poller_fd(self.raw.as_ptr(), &mut fd) })
            .map_err(|e| e.context("zmq_poller_fd (register a thread-safe socket first)"))?;
        Ok(fd)
    }
}

impl<T> Drop for Poller<'_, T> {
    fn drop(&mut self) {
        let mut raw = self.raw.as_ptr();
        // SAFETY: the poller is live and destroyed exactly once, here, while
        // its sockets are still borrowed (alive); it unhooks itself from the
        // thread-safe ones. The user data boxes are dropped afterwards.
        unsafe { zmq_sys::zmq_poller_destroy(&mut raw) };
    }
}
