//! What a handler sees: [`Ctx`], and the constructors of registrations.

use std::time::{Duration, Instant};

use super::{Command, Handler, Source, Target, Timer, TimerHandler, Token};
use crate::error::Result;
use crate::flags::PollEvents;
use std::os::fd::{AsFd, BorrowedFd};

use crate::socket::Socket;

/// What a handler can reach: the state, the loop's sockets, and the loop.
pub struct Ctx<'a, S> {
    pub(super) state: &'a mut S,
    pub(super) sources: &'a [Source<S>],
    pub(super) commands: &'a mut Vec<Command<S>>,
    pub(super) next_token: &'a mut u64,
    pub(super) stop: &'a mut bool,
    pub(super) events: PollEvents,
    pub(super) current: Token,
}

impl<S> std::fmt::Debug for Ctx<'_, S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ctx")
            .field("events", &self.events)
            .field("stop", &self.stop)
            .finish_non_exhaustive()
    }
}

impl<'a, S> Ctx<'a, S> {
    /// The user state.
    pub fn state(&mut self) -> &mut S {
        self.state
    }

    /// A socket owned by the loop. The reference does not borrow the
    /// context, so it can be used while the state is changed. Sockets added
    /// by the running handler are not visible until it returns.
    pub fn socket(&self, token: Token) -> Option<&'a Socket> {
        let sources: &'a [Source<S>] = self.sources;
        sources.iter().find_map(|source| match &source.target {
            Target::Socket(socket) if source.token == token => Some(socket),
            _ => None,
        })
    }

    /// The events that woke the running socket or descriptor handler
    /// (empty in timer handlers).
    pub fn events(&self) -> PollEvents {
        self.events
    }

    /// Stops the loop once this handler returns: [`Reactor::run`](super::Reactor::run) returns
    /// `Ok(())`.
    pub fn stop(&mut self) {
        *self.stop = true;
    }

    /// The token of the running handler, e.g. for it to remove itself.
    pub fn current(&self) -> Token {
        self.current
    }

    fn token(&mut self) -> Token {
        *self.next_token += 1;
        Token(*self.next_token)
    }

    /// Registers a socket, as [`Reactor::add_socket`](super::Reactor::add_socket) does.
    pub fn add_socket(
        &mut self,
        socket: Socket,
        events: PollEvents,
        handler: impl FnMut(&mut Ctx<'_, S>, &Socket) -> Result<()> + 'static,
    ) -> Token {
        let token = self.token();
        self.commands.push(Command::AddSource(socket_source(
            token, socket, events, handler,
        )));
        token
    }

    /// Registers a descriptor, as [`Reactor::add_fd`](super::Reactor::add_fd) does.
    pub fn add_fd(
        &mut self,
        fd: impl AsFd + 'static,
        events: PollEvents,
        handler: impl FnMut(&mut Ctx<'_, S>, BorrowedFd<'_>) -> Result<()> + 'static,
    ) -> Token {
        let token = self.token();
        self.commands
            .push(Command::AddSource(fd_source(token, fd, events, handler)));
        token
    }

    /// Runs `handler` once after `delay`, as [`Reactor::add_timeout`](super::Reactor::add_timeout) does.
    pub fn add_timeout(
        &mut self,
        delay: Duration,
        handler: impl FnOnce(&mut Ctx<'_, S>) -> Result<()> + 'static,
    ) -> Token {
        let token = self.token();
        self.commands
            .push(Command::AddTimer(timer(token, delay, None, once(handler))));
        token
    }

    /// Runs `handler` every `period`, as [`Reactor::add_interval`](super::Reactor::add_interval) does.
    pub fn add_interval(
        &mut self,
        period: Duration,
        handler: impl FnMut(&mut Ctx<'_, S>) -> Result<()> + 'static,
    ) -> Token {
        let token = self.token();
        self.commands.push(Command::AddTimer(timer(
            token,
            period,
            Some(period),
            Box::new(handler),
        )));
        token
    }

    /// Removes a socket (closing it), descriptor or timer once this handler
    /// returns; a handler may remove itself (`ctx.remove(ctx.current())`).
    /// Unknown tokens are ignored.
    pub fn remove(&mut self, token: Token) {
        self.commands.push(Command::Remove(token));
    }

    /// Changes the events a socket or descriptor is polled for once this
    /// handler returns, as [`Reactor::set_events`](super::Reactor::set_events)
    /// does: empty events pause its handler, the socket stays open.
    pub fn set_events(&mut self, token: Token, events: PollEvents) {
        self.commands.push(Command::SetEvents(token, events));
    }
}

pub(super) fn socket_source<S>(
    token: Token,
    socket: Socket,
    events: PollEvents,
    handler: impl FnMut(&mut Ctx<'_, S>, &Socket) -> Result<()> + 'static,
) -> Source<S> {
    Source {
        token,
        target: Target::Socket(socket),
        events,
        handler: Some(Handler::Socket(Box::new(handler))),
    }
}

pub(super) fn fd_source<S>(
    token: Token,
    fd: impl AsFd + 'static,
    events: PollEvents,
    handler: impl FnMut(&mut Ctx<'_, S>, BorrowedFd<'_>) -> Result<()> + 'static,
) -> Source<S> {
    Source {
        token,
        target: Target::Fd(Box::new(fd)),
        events,
        handler: Some(Handler::Fd(Box::new(handler))),
    }
}

pub(super) fn timer<S>(
    token: Token,
    delay: Duration,
    period: Option<Duration>,
    handler: TimerHandler<S>,
) -> Timer<S> {
    Timer {
        token,
        // A delay too long for `Instant` is never due.
        deadline: Instant::now().checked_add(delay),
        period,
        handler: Some(handler),
    }
}

/// A one-shot handler as a `FnMut` (the timer is removed after one call).
pub(super) fn once<S>(
    handler: impl FnOnce(&mut Ctx<'_, S>) -> Result<()> + 'static,
) -> TimerHandler<S> {
    let mut handler = Some(handler);
    Box::new(move |ctx| handler.take().map_or(Ok(()), |handler| handler(ctx)))
}
