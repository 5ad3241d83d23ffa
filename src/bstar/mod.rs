//! Binary Star (`bstar.py`): a primary and a backup server that keep each
//! other informed of their state, so exactly one of them serves clients and
//! the other takes over when the first dies.
//!
//! The pair is built on [`zmq::reactor`]: each server publishes its state
//! to its peer once a [`HEARTBEAT`] on a PUB socket and hears the peer's on
//! a SUB socket; the application registers one *voter* socket, whose
//! messages are client requests. Every state message and every request is
//! an [`Event`] for the finite state machine ([`Fsm`]), which decides
//! whether the request is served and whether this server becomes master
//! (active) or slave (passive):
//!
//! * a primary starts as [`State::Primary`], a backup as [`State::Backup`];
//!   once they hear each other the primary becomes active and the backup
//!   passive;
//! * a primary that hears no backup serves clients itself once it has
//!   waited two heartbeats; a backup never does until it has met the
//!   primary;
//! * a passive server whose peer has been silent for two heartbeats takes
//!   over on the next client request (failover); it is the client asking
//!   that triggers it, so a network split between the servers alone does
//!   not make two masters;
//! * two active or two passive servers are a fatal error that stops both
//!   loops.
//!
//! ```no_run
//! use zmq::SocketType;
//! use zmq_guide::bstar::BinaryStar;
//!
//! // The primary of the pair: state to tcp://*:5003, the backup's from 5004.
//! let mut star = BinaryStar::new(true, "tcp://*:5003", "tcp://localhost:5004", ())?;
//! // Clients reach it at 5001; an echo service.
//! star.register_voter("tcp://*:5001", SocketType::Router, |_ctx, socket, msg| {
//!     socket.send_multipart(msg)
//! })?;
//! star.set_master_callback(|_ctx| {
//!     println!("now serving");
//!     Ok(())
//! });
//! star.start()?;
//! # Ok::<(), zmq_guide::bstar::Error>(())
//! ```
//!
//! Handlers run inside the loop: a [`Ctx`] gives them the application's
//! state ([`Star::app`]), the loop's other sockets and timers;
//! [`BinaryStar::reactor`] adds more sockets and timers before the start.

mod fsm;

use std::fmt;
use std::time::{Duration, Instant};

use zmq::reactor::{Ctx, Reactor};
use zmq::{Context, Socket, SocketType, sockopt};

pub use self::fsm::{Decision, Event, Fatal, Fsm, Role, State};
use crate::settings::scaled_ms;

/// The interval between two state messages, in milliseconds; a peer silent
/// for two of them counts as dead.
pub const HEARTBEAT: u64 = 1000;

/// What can stop a Binary Star server.
#[derive(Debug)]
pub enum Error {
    /// A socket call failed.
    Zmq(zmq::Error),
    /// The peer's state made the pair unusable.
    Fatal(Fatal),
    /// [`BinaryStar::register_voter`] was called a second time; a server
    /// has exactly one voter.
    SecondVoter,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Zmq(e) => write!(f, "{e}"),
            Error::Fatal(fatal) => write!(f, "Binary Star fatal error: {fatal}"),
            Error::SecondVoter => f.write_str("a Binary Star server has one voter socket only"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Zmq(e) => Some(e),
            Error::Fatal(_) | Error::SecondVoter => None,
        }
    }
}

impl From<zmq::Error> for Error {
    fn from(e: zmq::Error) -> Self {
        Error::Zmq(e)
    }
}

/// A callback run when the server becomes master or slave.
type RoleCallback<S> = Box<dyn FnMut(&mut Ctx<'_, Star<S>>) -> zmq::Result<()>>;

/// The loop's state: the machine, the state publisher and the
/// application's own state `S`.
pub struct Star<S> {
    fsm: Fsm,
    statepub: Socket,
    voter_registered: bool,
    master_callback: Option<RoleCallback<S>>,
    slave_callback: Option<RoleCallback<S>>,
    /// The fatal error that stopped the loop, if one did.
    fatal: Option<Fatal>,
    app: S,
}

impl<S> fmt::Debug for Star<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Star")
            .field("fsm", &self.fsm)
            .finish_non_exhaustive()
    }
}

impl<S> Star<S> {
    /// The application's state.
    pub fn app(&mut self) -> &mut S {
        &mut self.app
    }

    /// The server's state now.
    pub fn state(&self) -> State {
        self.fsm.state()
    }

    /// The slot of the callback for `role`.
    fn callback(&mut self, role: Role) -> &mut Option<RoleCallback<S>> {
        match role {
            Role::Master => &mut self.master_callback,
            Role::Slave => &mut self.slave_callback,
        }
    }
}

/// One server of a Binary Star pair; see the [module documentation](self).
pub struct BinaryStar<S: 'static> {
    /// Kept alive for the loop's sockets.
    ctx: Context,
    reactor: Reactor<Star<S>>,
}

impl<S> fmt::Debug for BinaryStar<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BinaryStar")
            .field("reactor", &self.reactor)
            .finish_non_exhaustive()
    }
}

impl<S: 'static> BinaryStar<S> {
    /// A primary (`primary`) or backup server that publishes its state on
    /// `local` (bound) and hears its peer's on `remote` (connected), with
    /// the application's state `app`.
    pub fn new(primary: bool, local: &str, remote: &str, app: S) -> zmq::Result<Self> {
        let ctx = Context::new()?;

        // Our state goes to the peer...
        let statepub = ctx.socket(SocketType::Pub)?;
        statepub.bind(local)?;

        // ... and the peer's comes in here.
        let statesub = ctx.socket(SocketType::Sub)?;
        statesub.subscribe("")?;
        statesub.connect(remote)?;

        let star = Star {
            fsm: Fsm::new(primary, Instant::now(), 2 * scaled_ms(HEARTBEAT)),
            statepub,
            voter_registered: false,
            master_callback: None,
            slave_callback: None,
            fatal: None,
            app,
        };
        let mut reactor = Reactor::new(star)?;
        reactor.on_recv(statesub, |ctx, _socket, msg| recv_state(ctx, &msg));
        Ok(BinaryStar { ctx, reactor })
    }

    /// The event loop, to add the application's own sockets and timers.
    pub fn reactor(&mut self) -> &mut Reactor<Star<S>> {
        &mut self.reactor
    }

    /// Runs `callback` each time this server becomes active.
    pub fn set_master_callback(
        &mut self,
        callback: impl FnMut(&mut Ctx<'_, Star<S>>) -> zmq::Result<()> + 'static,
    ) {
        self.reactor.state_mut().master_callback = Some(Box::new(callback));
    }

    /// Runs `callback` each time this server becomes passive.
    pub fn set_slave_callback(
        &mut self,
        callback: impl FnMut(&mut Ctx<'_, Star<S>>) -> zmq::Result<()> + 'static,
    ) {
        self.reactor.state_mut().slave_callback = Some(Box::new(callback));
    }

    /// Binds a socket of type `socket_type` at `endpoint` for clients: each
    /// message on it is a client request, passed to `handler` (with the
    /// socket, to reply on) only when the state machine accepts it.
    ///
    /// # Errors
    ///
    /// [`Error::SecondVoter`] if a voter is already registered;
    /// [`Error::Zmq`] if the socket cannot be made or bound.
    pub fn register_voter(
        &mut self,
        endpoint: &str,
        socket_type: SocketType,
        mut handler: impl FnMut(&mut Ctx<'_, Star<S>>, &Socket, Vec<Vec<u8>>) -> zmq::Result<()>
        + 'static,
    ) -> Result<(), Error> {
        if self.reactor.state().voter_registered {
            return Err(Error::SecondVoter);
        }
        let socket = self.ctx.socket(socket_type)?;
        // No send limit: a ROUTER drops what goes past it, and an answer as
        // long as a whole Clone snapshot must get through.
        socket.set(sockopt::SndHwm, 0)?;
        socket.bind(endpoint)?;
        self.reactor.state_mut().voter_registered = true;
        self.reactor.on_recv(socket, move |ctx, socket, msg| {
            // A request may be served only if the machine says so.
            if execute_fsm(ctx, Event::ClientRequest)? {
                println!("CLIENT REQUEST");
                handler(ctx, socket, msg)
            } else {
                // Refused: the request is dropped and the client will
                // time out.
                Ok(())
            }
        });
        Ok(())
    }

    /// Runs the server until the loop is stopped, a handler fails or the
    /// pair breaks.
    ///
    /// # Errors
    ///
    /// [`Error::Fatal`] for dual masters or dual slaves, [`Error::Zmq`] if
    /// a socket call or a handler fails.
    pub fn start(&mut self) -> Result<(), Error> {
        self.reactor
            .state_mut()
            .fsm
            .update_peer_expiry(Instant::now());
        self.reactor
            .add_interval(scaled_ms(HEARTBEAT), |ctx| send_state(ctx.state()));
        match self.reactor.run() {
            // Ctrl-C, when the program catches it with `zmq::interrupt`, is
            // the way to stop a server: not an error.
            Err(e) if e.kind() == zmq::ErrorKind::Interrupted => {}
            other => other?,
        }
        match self.reactor.state_mut().fatal.take() {
            Some(fatal) => Err(Error::Fatal(fatal)),
            None => Ok(()),
        }
    }
}

/// Publishes our state to the peer.
fn send_state<S>(star: &mut Star<S>) -> zmq::Result<()> {
    let state = star.fsm.state() as u8;
    star.statepub.send(state.to_string())
}

/// The peer's state arrived: it is alive, and its state is an event.
fn recv_state<S: 'static>(ctx: &mut Ctx<'_, Star<S>>, msg: &[Vec<u8>]) -> zmq::Result<()> {
    // Anything but a state number is not from a Binary Star peer.
    let Some(event) = msg.first().and_then(|text| Event::from_peer_message(text)) else {
        return Ok(());
    };
    ctx.state().fsm.update_peer_expiry(Instant::now());
    execute_fsm(ctx, event).map(drop)
}

/// Applies `event`, prints what the machine says, schedules the role
/// callback for the next turn of the loop (pyzmq's `add_callback`), and
/// returns whether a client request is accepted. A fatal transition stops
/// the loop: [`BinaryStar::start`] then returns it.
fn execute_fsm<S: 'static>(ctx: &mut Ctx<'_, Star<S>>, event: Event) -> zmq::Result<bool> {
    match ctx.state().fsm.execute(event, Instant::now()) {
        Ok(decision) => {
            if let Some(message) = decision.message {
                println!("{message}");
            }
            match decision.role {
                Some(Role::Master) if ctx.state().master_callback.is_some() => {
                    ctx.add_timeout(Duration::ZERO, |ctx| run_callback(ctx, Role::Master));
                }
                Some(Role::Slave) if ctx.state().slave_callback.is_some() => {
                    ctx.add_timeout(Duration::ZERO, |ctx| run_callback(ctx, Role::Slave));
                }
                _ => {}
            }
            Ok(decision.accept)
        }
        Err(fatal) => {
            println!("{}", fatal.message());
            // Fix: the original raises inside its IOLoop, which logs the
            // exception and carries on with two masters (or slaves); the
            // C original ends its loop, and so does this.
            ctx.state().fatal = Some(fatal);
            ctx.stop();
            Ok(false)
        }
    }
}

/// Runs the master or slave callback, which is lent out of the state
/// while it runs.
fn run_callback<S>(ctx: &mut Ctx<'_, Star<S>>, role: Role) -> zmq::Result<()> {
    let Some(mut callback) = ctx.state().callback(role).take() else {
        return Ok(());
    };
    let result = callback(ctx);
    *ctx.state().callback(role) = Some(callback);
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_servers_over_tcp_meet_and_call_back_as_master_and_slave() {
        use std::sync::mpsc;
        use std::thread;

        // Two loops in two threads; each reports its role callbacks and
        // stops when told.
        let (tx, rx) = mpsc::channel::<(bool, Role)>();
        let ports = free_ports(4);
        let endpoint = |port: u16| format!("tcp://127.0.0.1:{port}");
        let mut handles = Vec::new();
        let mut stoppers = Vec::new();
        for primary in [true, false] {
            let (local, remote) = if primary {
                (endpoint(ports[0]), endpoint(ports[1]))
            } else {
                (endpoint(ports[1]), endpoint(ports[0]))
            };
            let voter = endpoint(if primary { ports[2] } else { ports[3] });
            let (stop_tx, stop_rx) = mpsc::channel();
            stoppers.push(stop_rx);
            let tx = tx.clone();
            handles.push(thread::spawn(move || {
                let mut star = BinaryStar::new(primary, &local, &remote, ()).unwrap();
                star.register_voter(&voter, SocketType::Router, |_, socket, msg| {
                    socket.send_multipart(msg)
                })
                .unwrap();
                let master = tx.clone();
                star.set_master_callback(move |_| {
                    let _ = master.send((primary, Role::Master));
                    Ok(())
                });
                let slave = tx;
                star.set_slave_callback(move |_| {
                    let _ = slave.send((primary, Role::Slave));
                    Ok(())
                });
                stop_tx.send(star.reactor().stop_handle()).unwrap();
                star.start()
            }));
        }
        let stops: Vec<_> = stoppers
            .into_iter()
            .map(|rx| rx.recv_timeout(Duration::from_secs(10)).unwrap())
            .collect();
        let mut seen = vec![
            rx.recv_timeout(Duration::from_secs(10)).unwrap(),
            rx.recv_timeout(Duration::from_secs(10)).unwrap(),
        ];
        seen.sort_by_key(|(primary, _)| !primary);
        assert_eq!(seen, [(true, Role::Master), (false, Role::Slave)]);
        for stop in &stops {
            stop.stop();
        }
        for handle in handles {
            assert!(handle.join().unwrap().is_ok());
        }
    }

    /// `n` TCP ports free on loopback right now.
    fn free_ports(n: usize) -> Vec<u16> {
        let listeners: Vec<_> = (0..n)
            .map(|_| std::net::TcpListener::bind("127.0.0.1:0").unwrap())
            .collect();
        listeners
            .iter()
            .map(|l| l.local_addr().unwrap().port())
            .collect()
    }
}
