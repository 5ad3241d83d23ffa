//! An event loop over `zmq_poll`, in the spirit of czmq's `zloop` and
//! pyzmq's `IOLoop`/`ZMQStream`.
//!
//! A [`Reactor<S>`] owns the user's state `S`, the sockets registered with
//! it, and timers. Handlers are closures that receive a [`Ctx`], which gives
//! `&mut S`, access to the loop's other sockets by [`Token`], and the means
//! to add or remove handlers and timers and to stop the loop — so handlers
//! share state through the reactor rather than through `Rc<RefCell<_>>`.
//! Changes made from inside a handler take effect as soon as it returns.
//!
//! The loop sleeps in `zmq_poll` until a socket is ready or the next timer
//! is due (forever when there is neither): an idle loop uses no CPU. A
//! [`StopHandle`] stops it from any thread.
//!
//! ```
//! use std::time::Duration;
//! use zmq::reactor::Reactor;
//! use zmq::{PollEvents, SocketType};
//!
//! let ctx = zmq::Context::new()?;
//! let server = ctx.socket(SocketType::Pair)?;
//! server.bind("inproc://doc-reactor")?;
//! let client = ctx.socket(SocketType::Pair)?;
//! client.connect("inproc://doc-reactor")?;
//!
//! /// The state the handlers share.
//! #[derive(Default)]
//! struct Counts { ticks: u32, received: Vec<String> }
//!
//! let mut reactor = Reactor::new(Counts::default())?;
//! let client = reactor.add_socket(client, PollEvents::empty(), |_, _| Ok(()));
//! // Every 10 ms the client sends a tick; after three ticks the loop stops.
//! reactor.add_interval(Duration::from_millis(10), move |ctx| {
//!     ctx.state().ticks += 1;
//!     let n = ctx.state().ticks;
//!     if let Some(socket) = ctx.socket(client) {
//!         socket.send(format!("tick {n}"))?;
//!     }
//!     Ok(())
//! });
//! reactor.on_recv(server, |ctx, _socket, frames| {
//!     let text = String::from_utf8_lossy(&frames[0]).into_owned();
//!     ctx.state().received.push(text);
//!     if ctx.state().received.len() == 3 {
//!         ctx.stop();
//!     }
//!     Ok(())
//! });
//! reactor.run()?;
//! assert_eq!(reactor.state().received, ["tick 1", "tick 2", "tick 3"]);
//! # Ok::<(), zmq::Error>(())
//! ```

mod ctx;
mod waker;

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::error::{ErrorKind, Result};
use crate::flags::{PollEvents, RecvFlags};
use crate::poll::{PollItem, RawFd, poll};
use crate::socket::Socket;

pub use ctx::Ctx;
use ctx::{fd_source, once, socket_source, timer};
pub use waker::StopHandle;
use waker::Waker;

/// Names a socket, descriptor or timer registered with a [`Reactor`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Token(u64);

type SocketHandler<S> = Box<dyn FnMut(&mut Ctx<'_, S>, &Socket) -> Result<()>>;
type FdHandler<S> = Box<dyn FnMut(&mut Ctx<'_, S>, RawFd) -> Result<()>>;
type TimerHandler<S> = Box<dyn FnMut(&mut Ctx<'_, S>) -> Result<()>>;

/// What a source polls.
enum Target {
    Socket(Socket),
    Fd(RawFd),
}

/// A handler, taken out of its entry while it runs.
enum Handler<S> {
    Socket(SocketHandler<S>),
    Fd(FdHandler<S>),
}

/// A registered socket or descriptor.
struct Source<S> {
    token: Token,
    target: Target,
    events: PollEvents,
    handler: Option<Handler<S>>,
}

/// A registered timer.
struct Timer<S> {
    token: Token,
    deadline: Instant,
    /// `None` for a one-shot timer.
    period: Option<Duration>,
    handler: Option<TimerHandler<S>>,
}

/// A change requested from inside a handler.
enum Command<S> {
    AddSource(Source<S>),
    AddTimer(Timer<S>),
    Remove(Token),
    SetEvents(Token, PollEvents),
}

/// An event loop owning state `S`, sockets, descriptors and timers; see the
/// [module documentation](self).
pub struct Reactor<S> {
    state: S,
    sources: Vec<Source<S>>,
    timers: Vec<Timer<S>>,
    commands: Vec<Command<S>>,
    next_token: u64,
    waker: Arc<Waker>,
}

impl<S> std::fmt::Debug for Reactor<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reactor")
            .field("sources", &self.sources.len())
            .field("timers", &self.timers.len())
            .finish_non_exhaustive()
    }
}

impl<S> Reactor<S> {
    /// An empty loop around `state`.
    pub fn new(state: S) -> Result<Self> {
        Ok(Self {
            state,
            sources: Vec::new(),
            timers: Vec::new(),
            commands: Vec::new(),
            next_token: 0,
            waker: Arc::new(Waker::new()?),
        })
    }

    /// The state.
    pub fn state(&self) -> &S {
        &self.state
    }

    /// The state, mutably.
    pub fn state_mut(&mut self) -> &mut S {
        &mut self.state
    }

    /// Gives the state back.
    pub fn into_state(self) -> S {
        self.state
    }

    /// A handle that stops the loop from any thread.
    pub fn stop_handle(&self) -> StopHandle {
        StopHandle {
            waker: Arc::clone(&self.waker),
        }
    }

    /// A socket owned by the loop.
    pub fn socket(&self, token: Token) -> Option<&Socket> {
        self.sources.iter().find_map(|source| match &source.target {
            Target::Socket(socket) if source.token == token => Some(socket),
            _ => None,
        })
    }

    fn token(&mut self) -> Token {
        self.next_token += 1;
        Token(self.next_token)
    }

    /// Takes ownership of `socket` and calls `handler` whenever one of
    /// `events` is ready on it (with empty `events` the socket is only kept,
    /// for handlers to reach through [`Ctx::socket`]).
    pub fn add_socket(
        &mut self,
        socket: Socket,
        events: PollEvents,
        handler: impl FnMut(&mut Ctx<'_, S>, &Socket) -> Result<()> + 'static,
    ) -> Token {
        let token = self.token();
        self.sources
            .push(socket_source(token, socket, events, handler));
        token
    }

    /// Takes ownership of `socket` and calls `handler` with each message it
    /// receives, all frames at once — pyzmq's `ZMQStream.on_recv`.
    pub fn on_recv(
        &mut self,
        socket: Socket,
        mut handler: impl FnMut(&mut Ctx<'_, S>, &Socket, Vec<Vec<u8>>) -> Result<()> + 'static,
    ) -> Token {
        self.add_socket(socket, PollEvents::POLLIN, move |ctx, socket| match socket
            .recv_multipart_with(RecvFlags::DONTWAIT)
        {
            Ok(frames) => handler(ctx, socket, frames),
            Err(e) if e.kind() == ErrorKind::Again => Ok(()),
            Err(e) => Err(e),
        })
    }

    /// Calls `handler` whenever one of `events` is ready on the descriptor
    /// `fd` (a pipe, a TCP socket, ...), which the caller keeps open.
    pub fn add_fd(
        &mut self,
        fd: RawFd,
        events: PollEvents,
        handler: impl FnMut(&mut Ctx<'_, S>, RawFd) -> Result<()> + 'static,
    ) -> Token {
        let token = self.token();
        self.sources.push(fd_source(token, fd, events, handler));
        token
    }

    /// Calls `handler` once, `delay` from now.
    pub fn add_timeout(
        &mut self,
        delay: Duration,
        handler: impl FnOnce(&mut Ctx<'_, S>) -> Result<()> + 'static,
    ) -> Token {
        let token = self.token();
        self.timers.push(timer(token, delay, None, once(handler)));
        token
    }

    /// Calls `handler` every `period`, first `period` from now, until
    /// removed. Deadlines follow a fixed schedule; a loop that falls behind
    /// skips ticks rather than bursting.
    pub fn add_interval(
        &mut self,
        period: Duration,
        handler: impl FnMut(&mut Ctx<'_, S>) -> Result<()> + 'static,
    ) -> Token {
        let token = self.token();
        self.timers
            .push(timer(token, period, Some(period), Box::new(handler)));
        token
    }

    /// Removes a socket, descriptor or timer; returns the socket if the
    /// token named one. Unknown tokens are ignored.
    pub fn remove(&mut self, token: Token) -> Option<Socket> {
        self.timers.retain(|timer| timer.token != token);
        let index = self.sources.iter().position(|s| s.token == token)?;
        match self.sources.remove(index).target {
            Target::Socket(socket) => Some(socket),
            Target::Fd(_) => None,
        }
    }

    /// Changes the events a registered socket or descriptor is polled for;
    /// empty events pause its handler without closing the socket, as
    /// pyzmq's `ZMQStream.stop_on_recv` does. Unknown tokens are ignored.
    pub fn set_events(&mut self, token: Token, events: PollEvents) {
        if let Some(source) = self.sources.iter_mut().find(|s| s.token == token) {
            source.events = events;
        }
    }

    fn apply_commands(&mut self) {
        for command in std::mem::take(&mut self.commands) {
            match command {
                Command::AddSource(source) => self.sources.push(source),
                Command::AddTimer(timer) => self.timers.push(timer),
                Command::Remove(token) => {
                    self.remove(token);
                }
                Command::SetEvents(token, events) => self.set_events(token, events),
            }
        }
    }

    /// Runs the loop until a handler calls [`Ctx::stop`], a [`StopHandle`]
    /// is used (both give `Ok(())`), or a handler or `zmq_poll` fails (that
    /// error). A signal caught with [`interrupt`](crate::interrupt) ends it
    /// with [`ErrorKind::Interrupted`]. It can be run again afterwards.
    pub fn run(&mut self) -> Result<()> {
        loop {
            if self.waker.drain() {
                return Ok(());
            }
            let timeout = self
                .timers
                .iter()
                .map(|timer| timer.deadline)
                .min()
                .map(|deadline| deadline.saturating_duration_since(Instant::now()));
            let fired = self.poll_sources(timeout)?;
            let mut stop = false;
            for (token, events) in fired {
                self.dispatch_source(token, events, &mut stop)?;
                if stop {
                    return Ok(());
                }
            }
            self.run_due_timers(&mut stop)?;
            if stop {
                return Ok(());
            }
        }
    }

    /// Polls every source and the wake-up pipe; returns the sources ready.
    fn poll_sources(&self, timeout: Option<Duration>) -> Result<Vec<(Token, PollEvents)>> {
        let mut items: Vec<PollItem<'_>> = self
            .sources
            .iter()
            .map(|source| match &source.target {
                Target::Socket(socket) => PollItem::from_socket(socket, source.events),
                Target::Fd(fd) => PollItem::from_fd(*fd, source.events),
            })
            .collect();
        items.push(PollItem::from_fd(self.waker.read, PollEvents::POLLIN));
        poll(&mut items, timeout)?;
        Ok(self
            .sources
            .iter()
            .zip(&items)
            .filter(|(_, item)| !item.revents().is_empty())
            .map(|(source, item)| (source.token, item.revents()))
            .collect())
    }

    /// Runs the handler of a ready source, if it is still registered.
    fn dispatch_source(&mut self, token: Token, events: PollEvents, stop: &mut bool) -> Result<()> {
        let Some(index) = self.sources.iter().position(|s| s.token == token) else {
            return Ok(()); // removed by an earlier handler this round
        };
        let Some(mut handler) = self.sources[index].handler.take() else {
            return Ok(());
        };
        let Self {
            state,
            sources,
            commands,
            next_token,
            ..
        } = self;
        let sources: &[Source<S>] = sources;
        let mut ctx = Ctx {
            state,
            sources,
            commands,
            next_token,
            stop: &mut *stop,
            events,
            current: token,
        };
        let result = match (&mut handler, &sources[index].target) {
            (Handler::Socket(handler), Target::Socket(socket)) => handler(&mut ctx, socket),
            (Handler::Fd(handler), Target::Fd(fd)) => handler(&mut ctx, *fd),
            // Sources are built with a matching handler; nothing to run.
            _ => Ok(()),
        };
        self.sources[index].handler = Some(handler);
        self.apply_commands();
        result
    }

    /// Runs the timers that are due, in deadline order.
    fn run_due_timers(&mut self, stop: &mut bool) -> Result<()> {
        let now = Instant::now();
        let mut due: Vec<(Instant, Token)> = self
            .timers
            .iter()
            .filter(|timer| timer.deadline <= now)
            .map(|timer| (timer.deadline, timer.token))
            .collect();
        due.sort();
        for (_, token) in due {
            let Some(index) = self.timers.iter().position(|t| t.token == token) else {
                continue; // removed by an earlier handler
            };
            let Some(mut handler) = self.timers[index].handler.take() else {
                continue;
            };
            let Self {
                state,
                sources,
                commands,
                next_token,
                ..
            } = self;
            let mut ctx = Ctx {
                state,
                sources,
                commands,
                next_token,
                stop: &mut *stop,
                events: PollEvents::empty(),
                current: token,
            };
            let result = handler(&mut ctx);
            let timer = &mut self.timers[index];
            match timer.period {
                Some(period) => {
                    timer.handler = Some(handler);
                    timer.deadline += period;
                    if timer.deadline <= now {
                        timer.deadline = now + period;
                    }
                }
                None => {
                    self.timers.remove(index);
                }
            }
            self.apply_commands();
            result?;
            if *stop {
                return Ok(());
            }
        }
        Ok(())
    }
}
