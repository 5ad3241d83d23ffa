//! Waiting on several sockets and file descriptors at once (`zmq_poll`).

use std::ffi::{c_int, c_long};
use std::marker::PhantomData;
use std::time::Duration;

use crate::error::{Result, check};
use crate::flags::PollEvents;
use crate::socket::{Socket, timeout_millis};

/// A raw file descriptor, as libzmq polls it.
pub type RawFd = c_int;

/// One entry of a [`poll`] call: a socket (borrowed for the item's life) or
/// a raw file descriptor, the events to wait for, and those found.
///
/// ```
/// use std::time::Duration;
/// use zmq::{PollEvents, PollItem, SocketType};
///
/// let ctx = zmq::Context::new()?;
/// let a = ctx.socket(SocketType::Pair)?;
/// a.bind("inproc://doc-poll")?;
/// let b = ctx.socket(SocketType::Pair)?;
/// b.connect("inproc://doc-poll")?;
/// a.send("ping")?;
///
/// let mut items = [PollItem::from_socket(&a, PollEvents::POLLIN), PollItem::from_socket(&b, PollEvents::POLLIN)];
/// let ready = zmq::poll(&mut items, Some(Duration::from_secs(5)))?;
/// assert_eq!(ready, 1);
/// assert!(!items[0].is_readable());
/// assert!(items[1].is_readable() && items[1].is_socket(&b));
/// # Ok::<(), zmq::Error>(())
/// ```
#[repr(transparent)]
pub struct PollItem<'a> {
    raw: zmq_sys::zmq_pollitem_t,
    _socket: PhantomData<&'a Socket>,
}

impl std::fmt::Debug for PollItem<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PollItem")
            .field("socket", &self.raw.socket)
            .field("fd", &self.raw.fd)
            .field("events", &self.events())
            .field("revents", &self.revents())
            .finish()
    }
}

impl<'a> PollItem<'a> {
    /// Waits for `events` on `socket`.
    pub fn from_socket(socket: &'a Socket, events: PollEvents) -> Self {
        Self {
            raw: zmq_sys::zmq_pollitem_t {
                socket: socket.as_raw(),
                fd: 0,
                events: events.bits(),
                revents: 0,
            },
            _socket: PhantomData,
        }
    }

    /// Waits for `events` on a file descriptor (a TCP socket, a pipe, ...).
    pub fn from_fd(fd: RawFd, events: PollEvents) -> Self {
        Self {
            raw: zmq_sys::zmq_pollitem_t {
                socket: std::ptr::null_mut(),
                fd,
                events: events.bits(),
                revents: 0,
            },
            _socket: PhantomData,
        }
    }

    /// The events waited for.
    pub fn events(&self) -> PollEvents {
        PollEvents::from_bits_retain(self.raw.events)
    }

    /// Changes the events to wait for, between polls.
    pub fn set_events(&mut self, events: PollEvents) {
        self.raw.events = events.bits();
    }

    /// The events found by the last poll.
    pub fn revents(&self) -> PollEvents {
        PollEvents::from_bits_retain(self.raw.revents)
    }

    /// True if the last poll found a message to receive.
    pub fn is_readable(&self) -> bool {
        self.revents().contains(PollEvents::POLLIN)
    }

    /// True if the last poll found room to send.
    pub fn is_writable(&self) -> bool {
        self.revents().contains(PollEvents::POLLOUT)
    }

    /// True if the last poll found an error condition (file descriptors).
    pub fn is_error(&self) -> bool {
        self.revents().contains(PollEvents::POLLERR)
    }

    /// True if this item polls `socket`.
    pub fn is_socket(&self, socket: &Socket) -> bool {
        self.raw.socket == socket.as_raw()
    }

    /// True if this item polls the file descriptor `fd`.
    pub fn is_fd(&self, fd: RawFd) -> bool {
        self.raw.socket.is_null() && self.raw.fd == fd
    }
}

/// Waits until an item has one of its events, or `timeout` passes (`None`:
/// forever). Returns how many items have events; each item's
/// [`revents`](PollItem::revents) tells which. To get the sockets that
/// fired back, poll through a [`PollSet`] instead.
///
/// A timeout whose milliseconds do not fit libzmq's `long` (about 24.8
/// days where `long` is 32 bits) is an [`InvalidInput`] error, never a
/// wrapped, shorter or negative (infinite) wait.
///
/// [`InvalidInput`]: crate::ErrorKind::InvalidInput
#[doc(alias = "zmq_poll")]
pub fn poll(items: &mut [PollItem<'_>], timeout: Option<Duration>) -> Result<usize> {
    let timeout = poll_timeout(timeout)?;
    let count = c_int::try_from(items.len())
        .map_err(|_| crate::Error::invalid_input("too many poll items"))?;
    // SAFETY: PollItem is repr(transparent) over zmq_pollitem_t; every
    // socket pointer is borrowed from a live Socket for the items' lifetime.
    let ready = check(unsafe { zmq_sys::zmq_poll(items.as_mut_ptr().cast(), count, timeout) })?;
    Ok(usize::try_from(ready).unwrap_or(0))
}

/// `zmq_poll`'s timeout: milliseconds as a C `long`, -1 for `None`.
fn poll_timeout(timeout: Option<Duration>) -> Result<c_long> {
    let millis = timeout_millis(timeout)?;
    c_long::try_from(millis).map_err(|_| {
        crate::Error::invalid_input(format!("poll timeout of {millis} ms does not fit a C long"))
    })
}

/// Sockets and file descriptors to [`poll`] together, each found back with
/// its events after a poll.
///
/// A `PollSet` keeps the [`PollItem`]s that `zmq_poll` reads in one vector
/// and the socket each one borrows in another, at the same index. Polling
/// hands the first to `zmq_poll` as it is, exactly like [`poll`] on a slice,
/// and returns an iterator over the ready entries: no allocation per poll,
/// so one set can be polled in a loop. Each ready entry is
/// `(index, socket, events)`: the index [`add`](Self::add) or
/// [`add_fd`](Self::add_fd) returned, the socket (`None` for a file
/// descriptor) borrowed for the set's whole lifetime `'a` (so it can be
/// used, say to receive, while the iterator runs), and the events found.
///
/// ```
/// use std::time::Duration;
/// use zmq::{PollEvents, PollSet, RecvFlags, SocketType};
///
/// let ctx = zmq::Context::new()?;
/// let jobs = ctx.socket(SocketType::Pull)?;
/// jobs.bind("inproc://doc-pollset-jobs")?;
/// let control = ctx.socket(SocketType::Pull)?;
/// control.bind("inproc://doc-pollset-control")?;
/// let sender = ctx.socket(SocketType::Push)?;
/// sender.connect("inproc://doc-pollset-control")?;
/// sender.send("stop")?;
///
/// let mut set = PollSet::new();
/// set.add(&jobs, PollEvents::POLLIN);
/// let control_index = set.add(&control, PollEvents::POLLIN);
/// for (index, socket, events) in set.poll(Some(Duration::from_secs(5)))? {
///     assert_eq!(index, control_index);
///     assert!(events.contains(PollEvents::POLLIN));
///     let socket = socket.expect("a socket item");
///     assert_eq!(socket.recv_string_with(RecvFlags::DONTWAIT)?, "stop");
/// }
/// # Ok::<(), zmq::Error>(())
/// ```
#[derive(Debug, Default)]
pub struct PollSet<'a> {
    /// What `zmq_poll` reads and writes, contiguous.
    items: Vec<PollItem<'a>>,
    /// The socket of `items[i]` at `sockets[i]`; `None` for a descriptor.
    sockets: Vec<Option<&'a Socket>>,
}

impl<'a> PollSet<'a> {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty set with room for `capacity` entries before it allocates.
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            items: Vec::with_capacity(capacity),
            sockets: Vec::with_capacity(capacity),
        }
    }

    /// Adds `socket`, waited on for `events`; returns its index.
    pub fn add(&mut self, socket: &'a Socket, events: PollEvents) -> usize {
        self.push(PollItem::from_socket(socket, events), Some(socket))
    }

    /// Adds the file descriptor `fd` (a TCP socket, a pipe, ...), waited on
    /// for `events`; returns its index.
    pub fn add_fd(&mut self, fd: RawFd, events: PollEvents) -> usize {
        self.push(PollItem::from_fd(fd, events), None)
    }

    fn push(&mut self, item: PollItem<'a>, socket: Option<&'a Socket>) -> usize {
        self.items.push(item);
        self.sockets.push(socket);
        self.items.len() - 1
    }

    /// How many sockets and descriptors the set holds.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// True if the set holds nothing.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Removes every entry, keeping the memory for new ones.
    pub fn clear(&mut self) {
        self.items.clear();
        self.sockets.clear();
    }

    /// The entries, in the order they were added: each one's events
    /// waited for and found by the last poll.
    pub fn items(&self) -> &[PollItem<'a>] {
        &self.items
    }

    /// The socket at `index`; `None` for a file descriptor or an index the
    /// set does not have.
    pub fn socket(&self, index: usize) -> Option<&'a Socket> {
        self.sockets.get(index).copied().flatten()
    }

    /// Changes the events the entry at `index` waits for, between polls;
    /// `Err` ([`InvalidInput`](crate::ErrorKind::InvalidInput)) for an index
    /// the set does not have.
    pub fn set_events(&mut self, index: usize, events: PollEvents) -> Result<()> {
        let len = self.items.len();
        let item = self.items.get_mut(index).ok_or_else(|| {
            crate::Error::invalid_input(format!("no poll entry {index} in a set of {len}"))
        })?;
        item.set_events(events);
        Ok(())
    }

    /// Waits until an entry has one of its events, or `timeout` passes
    /// (`None`: forever), like [`poll`]; returns the ready entries as
    /// `(index, socket, events)`, none on timeout.
    #[doc(alias = "zmq_poll")]
    pub fn poll(
        &mut self,
        timeout: Option<Duration>,
    ) -> Result<impl Iterator<Item = (usize, Option<&'a Socket>, PollEvents)> + '_> {
        poll(&mut self.items, timeout)?;
        Ok(self.ready())
    }

    /// The entries the last poll found ready, as `(index, socket, events)`.
    pub fn ready(&self) -> impl Iterator<Item = (usize, Option<&'a Socket>, PollEvents)> + '_ {
        self.items
            .iter()
            .zip(&self.sockets)
            .enumerate()
            .filter(|(_, (item, _))| !item.revents().is_empty())
            .map(|(index, (item, socket))| (index, *socket, item.revents()))
    }
}
