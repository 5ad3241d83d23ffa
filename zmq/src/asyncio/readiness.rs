//! The readiness core: one libzmq socket driven by tokio's `AsyncFd` on its
//! `ZMQ_FD`, with the waiters of both directions. The module documentation
//! of [`asyncio`](super) explains the rules this file implements.

use std::cell::Cell;
use std::os::fd::{AsRawFd, RawFd};
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll, Wake, Waker, ready};

use tokio::io::Interest;
use tokio::io::unix::AsyncFd;

use crate::error::{Error, Result};
use crate::flags::{PollEvents, SendFlags};
use crate::message::Message;
use crate::socket::Socket;
use crate::sockopt;

/// Which side of the socket a waiter waits for, as a bit mask.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Direction(u8);

impl Direction {
    /// Waiting to receive (`ZMQ_POLLIN`).
    pub(crate) const RECV: Self = Self(1);
    /// Waiting to send (`ZMQ_POLLOUT`).
    pub(crate) const SEND: Self = Self(2);
    const BOTH: Self = Self(3);

    /// The directions a set of poll events stands for.
    pub(crate) fn of(events: PollEvents) -> Self {
        let mut bits = 0;
        if events.contains(PollEvents::POLLIN) {
            bits |= Self::RECV.0;
        }
        if events.contains(PollEvents::POLLOUT) {
            bits |= Self::SEND.0;
        }
        Self(bits)
    }

    /// The directions that `ZMQ_EVENTS` says are ready.
    fn ready_in(events: PollEvents) -> Self {
        Self::of(events)
    }

    fn intersects(self, other: Self) -> bool {
        self.0 & other.0 != 0
    }
}

/// The file descriptor of `ZMQ_FD`, borrowed: libzmq owns and closes it
/// with the socket, so this type never closes it.
#[derive(Debug)]
struct ZmqFd(RawFd);

impl AsRawFd for ZmqFd {
    fn as_raw_fd(&self) -> RawFd {
        self.0
    }
}

/// The tasks waiting for each direction. Woken by the fd (through the
/// fan-out waker, which wakes both lists) and by a task whose own call
/// changed what the socket can do.
#[derive(Debug, Default)]
struct Waiters {
    /// `[recv, send]`.
    lists: Mutex<[Vec<Waker>; 2]>,
    /// The [`Direction`] bits whose list is not empty, readable without the
    /// lock on the hot path.
    waiting: AtomicU8,
}

impl Waiters {
    fn register(&self, directions: Direction, waker: &Waker) {
        let mut lists = self.lists.lock().unwrap_or_else(PoisonError::into_inner);
        for (bit, list) in [Direction::RECV, Direction::SEND]
            .iter()
            .zip(lists.iter_mut())
        {
            if directions.intersects(*bit) && !list.iter().any(|w| w.will_wake(waker)) {
                list.push(waker.clone());
            }
        }
        self.waiting.fetch_or(directions.0, Ordering::AcqRel);
    }

    /// Removes `waker` from the lists of `directions`: its task no longer
    /// waits there.
    fn unregister(&self, directions: Direction, waker: &Waker) {
        let mut lists = self.lists.lock().unwrap_or_else(PoisonError::into_inner);
        for (bit, list) in [Direction::RECV, Direction::SEND]
            .iter()
            .zip(lists.iter_mut())
        {
            if directions.intersects(*bit) {
                list.retain(|w| !w.will_wake(waker));
                if list.is_empty() {
                    self.waiting.fetch_and(!bit.0, Ordering::AcqRel);
                }
            }
        }
    }

    fn waiting(&self) -> Direction {
        Direction(self.waiting.load(Ordering::Acquire))
    }

    /// Whether any task waits, in either direction.
    #[inline(always)]
    fn any(&self) -> bool {
        self.waiting.load(Ordering::Acquire) != 0
    }

    fn wake(&self, directions: Direction) {
        if !self.waiting().intersects(directions) {
            return;
        }
        // Wake outside the lock, taken once: the first waker (a socket
        // seldom has more than one waiter) waits on the stack, any others
        // in a vector; the lists keep their capacity.
        let mut first = None;
        let mut others = Vec::new();
        {
            let mut lists = self.lists.lock().unwrap_or_else(PoisonError::into_inner);
            for (bit, list) in [Direction::RECV, Direction::SEND]
                .iter()
                .zip(lists.iter_mut())
            {
                if directions.intersects(*bit) {
                    for waker in list.drain(..) {
                        if first.is_none() {
                            first = Some(waker);
                        } else {
                            others.push(waker);
                        }
                    }
                    self.waiting.fetch_and(!bit.0, Ordering::AcqRel);
                }
            }
        }
        if let Some(waker) = first {
            waker.wake();
        }
        for waker in others {
            waker.wake();
        }
    }
}

/// The fan-out waker handed to tokio: the fd is shared by both directions,
/// and tokio keeps one waker per `poll_read_ready` caller, so the fd wakes
/// every waiter of both lists, each of which then looks for itself.
impl Wake for Waiters {
    fn wake(self: Arc<Self>) {
        Waiters::wake(&self, Direction::BOTH);
    }

    fn wake_by_ref(self: &Arc<Self>) {
        Waiters::wake(self, Direction::BOTH);
    }
}

/// A socket with its readiness: the `AsyncFd` on `ZMQ_FD` and the waiters.
#[derive(Debug)]
pub(crate) struct Core {
    /// Declared first so that it is dropped (deregistered from tokio's
    /// reactor) before the socket closes the descriptor.
    fd: AsyncFd<ZmqFd>,
    waiters: Arc<Waiters>,
    fanout: Waker,
    /// Counts calls, to take tokio's cooperative budget on every
    /// [`COOP_EVERY`]th.
    calls: Cell<u32>,
    /// The last poll returned `Pending`: the readiness tokio holds now, if
    /// any, is the edge that ended that wait (or a newer one), and the next
    /// call processes the command it stands for.
    waited: Cell<bool>,
    socket: Socket,
}

/// A task spends one unit of tokio's cooperative budget per this many
/// socket calls, so one that always finds a message still yields to the
/// others (after about a thousand calls).
const COOP_EVERY: u32 = 8;

/// EAGAIN, as libzmq reports it.
fn again() -> Error {
    Error::from_errno(libc::EAGAIN)
}

/// A tokio I/O error as this crate's error.
pub(crate) fn io_error(error: &std::io::Error, what: &str) -> Error {
    Error::from_errno(error.raw_os_error().unwrap_or(libc::EIO)).context(format!("{what}: {error}"))
}

/// Sends one frame without blocking; the message keeps its content if the
/// frame is refused.
#[inline]
fn send_frame(socket: &Socket, frame: &mut Message, more: bool) -> Result<()> {
    let flags = if more {
        SendFlags::DONTWAIT | SendFlags::SNDMORE
    } else {
        SendFlags::DONTWAIT
    };
    socket.send_with(frame, flags)
}

/// Receives one frame without blocking.
#[inline]
fn recv_frame(socket: &Socket, msg: &mut Message) -> Result<()> {
    socket.recv_msg_with(msg, crate::flags::RecvFlags::DONTWAIT)
}

impl Core {
    /// Registers the socket's `ZMQ_FD` with the current tokio runtime.
    pub(crate) fn new(socket: Socket) -> Result<Self> {
        if tokio::runtime::Handle::try_current().is_err() {
            return Err(Error::invalid_input(
                "an async socket needs a tokio runtime: create it inside one (block_on, spawn)",
            ));
        }
        let raw = socket.get(sockopt::Fd)?;
        // SAFETY: ZMQ_FD is open for as long as the socket is, and the
        // socket outlives the AsyncFd: `fd` is declared (so dropped) before
        // `socket`, and `into_socket` drops it first.
        let fd = unsafe { AsyncFd::register_with_interest(ZmqFd(raw), Interest::READABLE) }
            .map_err(|e| io_error(&e.into_parts().1, "registering ZMQ_FD with tokio"))?;
        let waiters = Arc::new(Waiters::default());
        let fanout = Waker::from(Arc::clone(&waiters));
        Ok(Self {
            fd,
            waiters,
            fanout,
            calls: Cell::new(0),
            waited: Cell::new(false),
            socket,
        })
    }

    pub(crate) fn socket(&self) -> &Socket {
        &self.socket
    }

    /// Deregisters the descriptor and gives the socket back.
    pub(crate) fn into_socket(self) -> Socket {
        let Self { fd, socket, .. } = self;
        // Deregisters from tokio; ZmqFd does not close the descriptor.
        let ZmqFd(_) = fd.into_inner();
        socket
    }

    /// Reads `ZMQ_EVENTS` (which processes libzmq's pending commands) and
    /// wakes the waiters of `wake` that it says can go on.
    fn events(&self, wake: Direction) -> Result<PollEvents> {
        match self.socket.get(sockopt::Events) {
            Ok(events) => {
                Waiters::wake(
                    &self.waiters,
                    Direction(Direction::ready_in(events).0 & wake.0),
                );
                Ok(events)
            }
            Err(e) => {
                // Let every waiter meet the error itself.
                Waiters::wake(&self.waiters, Direction::BOTH);
                Err(e)
            }
        }
    }

    /// Runs `op` (a non-blocking libzmq call) until it does not report
    /// EAGAIN, waiting for `ZMQ_FD` in between; see the module docs.
    ///
    /// `op` must have no effect when it fails with EAGAIN, so that it can be
    /// run again. `drains` says that its EAGAIN comes only after libzmq
    /// processed every pending command: true of a receive (`zmq_recv` with
    /// `DONTWAIT` processes them all, unthrottled, before it gives up) and of
    /// a `ZMQ_EVENTS` read, not of a send (which may skip them).
    ///
    /// The common call, one that finds its message or room while no task
    /// waits, no wait just ended and no budget unit is due, is inlined into
    /// the caller's future: it costs the libzmq call and a few loads. The
    /// budget unit is in [`poll_io_budgeted`](Self::poll_io_budgeted); all
    /// else (the clear after a wait, waking, waiting) is in
    /// [`poll_io_slow`](Self::poll_io_slow).
    #[inline(always)]
    pub(crate) fn poll_io<T>(
        &self,
        cx: &mut Context<'_>,
        direction: Direction,
        drains: bool,
        mut op: impl FnMut(&Socket) -> Result<T>,
    ) -> Poll<Result<T>> {
        let calls = self.calls.get().wrapping_add(1);
        self.calls.set(calls);
        // No waiter can appear during the call: waiters register only
        // inside poll_io, which the socket runs for one task at a time (a
        // `&mut` borrow, or the lock of a split socket's halves).
        if self.waited.get() || self.waiters.any() {
            return self.poll_io_slow(cx, direction, drains, calls, false, op);
        }
        if calls.is_multiple_of(COOP_EVERY) {
            return self.poll_io_budgeted(cx, direction, drains, calls, op);
        }
        match op(&self.socket) {
            // Nobody waits, so nobody needs to hear what this call did.
            Ok(value) => Poll::Ready(Ok(value)),
            Err(e) if e.is_again() => self.poll_io_slow(cx, direction, drains, calls, true, op),
            Err(e) => Poll::Ready(Err(e)),
        }
    }

    /// The call of [`poll_io`](Self::poll_io) that takes a unit of tokio's
    /// budget, while no task waits and no wait just ended: the unit, the
    /// call, and the unit kept only if the call did something (as tokio's
    /// own resources do); an EAGAIN gives the unit back and goes on to wait
    /// in [`poll_io_slow`](Self::poll_io_slow). Out of line: one call in
    /// [`COOP_EVERY`] comes here, and going through the slow path instead
    /// cost about 20 instructions more per such call.
    #[inline(never)]
    fn poll_io_budgeted<T>(
        &self,
        cx: &mut Context<'_>,
        direction: Direction,
        drains: bool,
        calls: u32,
        mut op: impl FnMut(&Socket) -> Result<T>,
    ) -> Poll<Result<T>> {
        let coop = ready!(tokio::task::coop::poll_proceed(cx));
        match op(&self.socket) {
            Ok(value) => {
                coop.made_progress();
                Poll::Ready(Ok(value))
            }
            Err(e) if e.is_again() => {
                drop(coop);
                self.poll_io_slow(cx, direction, drains, calls, true, op)
            }
            Err(e) => {
                coop.made_progress();
                Poll::Ready(Err(e))
            }
        }
    }

    /// The rest of [`poll_io`](Self::poll_io). `tried`: `op` has just
    /// reported EAGAIN in this poll, with no wait ended and no budget unit
    /// due (or the unit taken given back), so the loop starts at its
    /// registration.
    #[inline(never)]
    fn poll_io_slow<T>(
        &self,
        cx: &mut Context<'_>,
        direction: Direction,
        drains: bool,
        calls: u32,
        mut tried: bool,
        mut op: impl FnMut(&Socket) -> Result<T>,
    ) -> Poll<Result<T>> {
        // tokio's budget is 128 units a turn, meant for calls that cost a
        // system call each; a libzmq call that finds its message costs a
        // tenth of that, so one unit is taken every COOP_EVERY calls.
        let coop = if !tried && calls.is_multiple_of(COOP_EVERY) {
            Some(ready!(tokio::task::coop::poll_proceed(cx)))
        } else {
            None
        };
        let mut fanout = Context::from_waker(&self.fanout);
        // Back from a wait: clear the edge that ended it before the call,
        // which processes its command (or leaves it for the ZMQ_EVENTS read
        // below), so that a receive that finds nothing afterwards sees only
        // newer edges and can wait without reading ZMQ_EVENTS.
        // With the task's tokio budget spent, `poll_read_ready` answers
        // Pending without looking and schedules a wake of `fanout`: the edge
        // is then kept for a later clear, the budget stays spent for the rest
        // of this poll, and every Pending below follows `register`, so that
        // wake finds this task.
        if self.waited.replace(false)
            && let Poll::Ready(Ok(mut guard)) = self.fd.poll_read_ready(&mut fanout)
        {
            guard.clear_ready();
        }
        // One retry when ZMQ_EVENTS says ready but the call still reported
        // EAGAIN (a ROUTER with ROUTER_MANDATORY to a full peer is POLLOUT
        // while another peer has room): after that, wait for the fd.
        let mut spare_retry = true;
        loop {
            // Skipped once when the fast path has just made this call.
            if !std::mem::take(&mut tried) {
                match op(&self.socket) {
                    Ok(value) => {
                        if let Some(coop) = coop {
                            coop.made_progress();
                        }
                        // A task that waited before is done waiting: it needs
                        // no wake (nor a ZMQ_EVENTS read on its behalf) any
                        // more.
                        if self.waiters.waiting().intersects(direction) {
                            self.waiters.unregister(direction, cx.waker());
                        }
                        self.after_progress();
                        return Poll::Ready(Ok(value));
                    }
                    Err(e) if e.is_again() => {}
                    Err(e) => {
                        if let Some(coop) = coop {
                            coop.made_progress();
                        }
                        return Poll::Ready(Err(e));
                    }
                }
            }
            // Register before looking, so a wake between the look and the
            // wait below is not lost.
            self.waiters.register(direction, cx.waker());
            // After this real EAGAIN, clear the readiness tokio holds: it
            // stands for signals that the ZMQ_EVENTS read below consumes,
            // so from here on only an edge newer than that read shows.
            let cleared = match self.fd.poll_read_ready(&mut fanout) {
                Poll::Ready(Ok(mut guard)) => {
                    guard.clear_ready();
                    true
                }
                Poll::Ready(Err(e)) => return Poll::Ready(Err(io_error(&e, "waiting for ZMQ_FD"))),
                Poll::Pending => false,
            };
            let others = Direction(Direction::BOTH.0 & !direction.0);
            // A call that drains gave up only after processing every
            // command, so the next one signals the fd; no edge came since
            // the last clear (which preceded the call); and no waiter of the
            // other direction needs ZMQ_EVENTS to learn what that processing
            // did for it: wait for the fd now.
            if drains && !cleared && !self.waiters.waiting().intersects(others) {
                self.waited.set(true);
                return Poll::Pending;
            }
            // The call above may have skipped libzmq's pending commands
            // (a send throttles them), an edge came meanwhile, or the
            // other direction waits: ZMQ_EVENTS processes all commands, so
            // after it every new command signals the fd again, and it says
            // what the other direction can do.
            let events = self.events(others)?;
            if Direction::ready_in(events).intersects(direction) && spare_retry {
                spare_retry = false;
                continue;
            }
            match self.fd.poll_read_ready(&mut fanout) {
                Poll::Pending => {
                    self.waited.set(true);
                    return Poll::Pending;
                }
                Poll::Ready(Err(e)) => return Poll::Ready(Err(io_error(&e, "waiting for ZMQ_FD"))),
                // An edge newer than the ZMQ_EVENTS read: try again.
                Poll::Ready(Ok(_)) => {}
            }
        }
    }

    /// After a call that succeeded: it may have processed commands that
    /// made the socket ready for a waiter, whose fd edge is then gone.
    #[inline]
    fn after_progress(&self) {
        let waiting = self.waiters.waiting();
        if waiting.0 != 0 {
            let _ = self.events(waiting);
        }
    }

    /// Receives one frame into `msg`.
    #[inline]
    pub(crate) fn poll_recv_msg(
        &self,
        cx: &mut Context<'_>,
        msg: &mut Message,
    ) -> Poll<Result<()>> {
        self.poll_io(cx, Direction::RECV, true, |socket| recv_frame(socket, msg))
    }

    /// Receives every frame of one message, all in one poll: libzmq delivers
    /// a multipart message whole, so once the first frame is in, the rest
    /// are too.
    #[inline]
    pub(crate) fn poll_recv_multipart(&self, cx: &mut Context<'_>) -> Poll<Result<Vec<Message>>> {
        self.poll_io(cx, Direction::RECV, true, |socket| {
            let mut first = Message::new();
            recv_frame(socket, &mut first)?;
            let mut more = first.more();
            let mut parts = vec![first];
            while more {
                let mut part = Message::new();
                recv_frame(socket, &mut part).map_err(|e| {
                    // Never EAGAIN from here: that would make poll_io
                    // receive the rest as a message of its own.
                    Error::from_errno(if e.is_again() {
                        libc::EPROTO
                    } else {
                        e.errno()
                    })
                    .context(format!(
                        "receiving frame {} of a multipart message: {e}",
                        parts.len() + 1
                    ))
                })?;
                more = part.more();
                parts.push(part);
            }
            Ok(parts)
        })
    }

    /// Sends one frame (`SNDMORE` in `flags` allowed); `msg` is left empty
    /// once sent and keeps its content while it is not.
    #[inline]
    pub(crate) fn poll_send_msg(
        &self,
        cx: &mut Context<'_>,
        msg: &mut Message,
        flags: SendFlags,
    ) -> Poll<Result<()>> {
        let more = flags.contains(SendFlags::SNDMORE);
        self.poll_io(cx, Direction::SEND, false, |socket| {
            send_frame(socket, msg, more)
        })
    }

    /// Sends every frame of `parts` in one poll, or none: the first frame
    /// waits for room; once libzmq took it, it takes the others (its high
    /// water mark counts whole messages). `parts` is emptied once sent.
    #[inline]
    pub(crate) fn poll_send_multipart(
        &self,
        cx: &mut Context<'_>,
        parts: &mut Vec<Message>,
    ) -> Poll<Result<()>> {
        if parts.is_empty() {
            return Poll::Ready(Err(Error::invalid_input(
                "a multipart message needs at least one frame",
            )));
        }
        let sent = ready!(self.poll_io(cx, Direction::SEND, false, |socket| {
            let (first, rest) = parts.split_first_mut().ok_or_else(again)?;
            send_frame(socket, first, !rest.is_empty())?;
            let last = rest.len().saturating_sub(1);
            for (i, frame) in rest.iter_mut().enumerate() {
                match send_frame(socket, frame, i < last) {
                    // libzmq refuses a later frame only when the peer's pipe
                    // died in the middle of the message; it has then dropped
                    // the message and drops the remaining frames too, which
                    // must still be handed to it to end that message.
                    Ok(()) => {}
                    Err(e) if e.is_again() => {}
                    Err(e) => return Err(e),
                }
            }
            Ok(())
        }));
        parts.clear();
        Poll::Ready(sent)
    }

    /// Waits until `ZMQ_EVENTS` has one of `interest`; returns those of
    /// `interest` it has.
    pub(crate) fn poll_ready(
        &self,
        cx: &mut Context<'_>,
        interest: PollEvents,
    ) -> Poll<Result<PollEvents>> {
        if Direction::of(interest).0 == 0 {
            return Poll::Ready(Err(Error::invalid_input(
                "wait for POLLIN, POLLOUT or both",
            )));
        }
        self.poll_io(cx, Direction::of(interest), true, |socket| {
            let events = socket.get(sockopt::Events)?;
            let wanted = PollEvents::from_bits_retain(events.bits() & interest.bits());
            if wanted.is_empty() {
                Err(again())
            } else {
                Ok(wanted)
            }
        })
    }
}
