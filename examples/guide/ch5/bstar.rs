//! bstar: the Binary Star reactor, as Clone model six runs on it
//!
//! Port of the zguide's `examples/Python/bstar.py` (chapter 4's Binary
//! Star pattern as a reusable class), which `clonesrv6` imports: two
//! servers, a primary and a backup, publish their state to each other every
//! [`HEARTBEAT`] and decide with a small state machine which of them is
//! master, i.e. accepts clients. A client's request to a passive server
//! whose peer has been silent for two heartbeats makes it fail over.
//!
//! A [`BinaryStar`] owns a `zmq::reactor::Reactor` whose state is a
//! [`Node`]: the state machine plus the application's own state. The
//! application adds its sockets and timers to the same reactor
//! ([`BinaryStar::reactor`]), registers the one "voter" socket whose input
//! counts as a client request ([`BinaryStar::register_voter`]: its messages
//! reach the handler only while this server accepts clients), and the
//! functions to call on becoming master or slave. [`BinaryStar::start`]
//! runs the loop.
//!
//! The state goes to the peer as its number in decimal text (`"1"` to
//! `"4"`) over PUB/SUB, as in the original.

use std::time::{Duration, Instant};

use zmq::reactor::{Ctx, Reactor};
use zmq::{ErrorKind, Socket, SocketType, sockopt};

/// How often each server publishes its state; a peer silent for two of
/// these is taken for dead.
pub(crate) const HEARTBEAT: Duration = Duration::from_millis(1000);

/// Where a server stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum State {
    /// Primary, waiting for its peer to connect.
    Primary = 1,
    /// Backup, waiting for its peer to connect.
    Backup = 2,
    /// Master: accepts clients.
    Active = 3,
    /// Slave: refuses clients while its peer lives.
    Passive = 4,
}

/// What happened: the state the peer published, or a client's request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Event {
    /// The peer is a primary waiting for us.
    PeerPrimary = 1,
    /// The peer is a backup waiting for us.
    PeerBackup = 2,
    /// The peer is master.
    PeerActive = 3,
    /// The peer is slave.
    PeerPassive = 4,
    /// A client asked us for something.
    ClientRequest = 5,
}

impl Event {
    /// The event for a peer's published state, if it is one.
    fn from_peer_state(text: &[u8]) -> Option<Event> {
        match text {
            b"1" => Some(Event::PeerPrimary),
            b"2" => Some(Event::PeerBackup),
            b"3" => Some(Event::PeerActive),
            b"4" => Some(Event::PeerPassive),
            _ => None,
        }
    }
}

/// Called on becoming master or slave, from the loop.
pub(crate) type Callback<A> = fn(&mut Ctx<'_, Node<A>>) -> zmq::Result<()>;

/// Called with each message on the voter socket while this server accepts
/// clients: the socket (to answer on) and the message's frames.
pub(crate) type VoterHandler<A> =
    fn(&mut Ctx<'_, Node<A>>, &Socket, Vec<Vec<u8>>) -> zmq::Result<()>;

/// The reactor's state: the Binary Star state machine and the
/// application's state `A`.
pub(crate) struct Node<A> {
    /// The application's state.
    pub(crate) app: A,
    state: State,
    peer_expiry: Instant,
    statepub: Socket,
    voter_callback: Option<VoterHandler<A>>,
    master_callback: Option<Callback<A>>,
    slave_callback: Option<Callback<A>>,
    /// Why the state machine gave up, if it did.
    fatal: Option<&'static str>,
}

impl<A> std::fmt::Debug for Node<A> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Node")
            .field("state", &self.state)
            .field("fatal", &self.fatal)
            .finish_non_exhaustive()
    }
}

impl<A: 'static> Node<A> {
    /// Resets the time the peer counts as dead to two heartbeats from now.
    fn update_peer_expiry(&mut self) {
        self.peer_expiry = Instant::now() + 2 * HEARTBEAT;
    }

    /// Applies `event` to the state machine; true if a client request may
    /// be served now. A callback for becoming master or slave runs from
    /// the loop right after.
    fn execute_fsm(ctx: &mut Ctx<'_, Node<A>>, event: Event) -> bool {
        let node = ctx.state();
        let mut accept = true;
        let mut call = None;
        match node.state {
            State::Primary => {
                // Waiting for the backup; clients are served once the peer
                // has had its time to show up.
                if event == Event::PeerBackup {
                    println!("I: connected to backup (slave), ready as master");
                    node.state = State::Active;
                    call = node.master_callback;
                } else if event == Event::PeerActive {
                    println!("I: connected to backup (master), ready as slave");
                    node.state = State::Passive;
                    call = node.slave_callback;
                } else if event == Event::ClientRequest {
                    if Instant::now() >= node.peer_expiry {
                        println!("I: request from client, ready as master");
                        node.state = State::Active;
                        call = node.master_callback;
                    } else {
                        // The backup may have taken over while we were
                        // away: no answers until we know.
                        accept = false;
                    }
                }
            }
            State::Backup => {
                // Waiting for the primary; clients are refused.
                if event == Event::PeerActive {
                    println!("I: connected to primary (master), ready as slave");
                    node.state = State::Passive;
                    call = node.slave_callback;
                } else if event == Event::ClientRequest {
                    accept = false;
                }
            }
            State::Active => {
                // Only death ends being master; two masters is fatal.
                if event == Event::PeerActive {
                    println!("E: fatal error - dual masters, aborting");
                    node.fatal = Some("dual masters");
                    ctx.stop();
                }
            }
            State::Passive => {
                // A restarting peer makes us master; a client request does
                // too, once the peer has been silent long enough.
                if event == Event::PeerPrimary {
                    println!("I: primary (slave) is restarting, ready as master");
                    node.state = State::Active;
                } else if event == Event::PeerBackup {
                    println!("I: backup (slave) is restarting, ready as master");
                    node.state = State::Active;
                } else if event == Event::PeerPassive {
                    println!("E: fatal error - dual slaves, aborting");
                    node.fatal = Some("dual slaves");
                    ctx.stop();
                    return accept;
                } else if event == Event::ClientRequest {
                    if Instant::now() >= node.peer_expiry {
                        println!("I: failover successful, ready as master");
                        node.state = State::Active;
                    } else {
                        accept = false;
                    }
                }
                if node.state == State::Active {
                    call = node.master_callback;
                }
            }
        }
        if let Some(callback) = call {
            ctx.add_timeout(Duration::ZERO, callback);
        }
        accept
    }
}

/// A Binary Star server: the reactor with its state machine; see the
/// [module documentation](self).
pub(crate) struct BinaryStar<A> {
    ctx: zmq::Context,
    reactor: Reactor<Node<A>>,
}

impl<A> std::fmt::Debug for BinaryStar<A> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BinaryStar")
            .field("node", self.reactor.state())
            .finish_non_exhaustive()
    }
}

impl<A: 'static> BinaryStar<A> {
    /// A primary (`primary` true) or backup server that publishes its
    /// state on `local` (bound) and hears its peer's on `remote`
    /// (connected), around the application's state `app`.
    pub(crate) fn new(primary: bool, local: &str, remote: &str, app: A) -> zmq::Result<Self> {
        // A context of its own, as the original has.
        let ctx = zmq::Context::new()?;

        // Our state goes to the peer...
        let statepub = ctx.socket(SocketType::Pub)?;
        statepub.bind(local)?;

        // ...and the peer's comes in here.
        let statesub = ctx.socket(SocketType::Sub)?;
        statesub.subscribe(b"")?;
        statesub.connect(remote)?;

        let mut reactor = Reactor::new(Node {
            app,
            state: if primary {
                State::Primary
            } else {
                State::Backup
            },
            peer_expiry: Instant::now(),
            statepub,
            voter_callback: None,
            master_callback: None,
            slave_callback: None,
            fatal: None,
        })?;
        reactor.on_recv(statesub, |ctx, _, msg| {
            Self::recv_state(ctx, &msg);
            Ok(())
        });
        Ok(BinaryStar { ctx, reactor })
    }

    /// The loop, for the application to add its own sockets and timers.
    pub(crate) fn reactor(&mut self) -> &mut Reactor<Node<A>> {
        &mut self.reactor
    }

    /// The application's state.
    pub(crate) fn app(&mut self) -> &mut A {
        &mut self.reactor.state_mut().app
    }

    /// Calls `callback` whenever this server becomes master.
    pub(crate) fn set_master_callback(&mut self, callback: Callback<A>) {
        self.reactor.state_mut().master_callback = Some(callback);
    }

    /// Calls `callback` whenever this server becomes slave.
    pub(crate) fn set_slave_callback(&mut self, callback: Callback<A>) {
        self.reactor.state_mut().slave_callback = Some(callback);
    }

    /// Creates the voter: a socket of `kind` bound to `endpoint` whose
    /// input counts as client requests. Each message is handed to
    /// `handler` if the state machine accepts a client now, and dropped
    /// otherwise. There is one voter per server. Unlike the original's, the
    /// voter has no send limit, so a long answer is never cut short.
    pub(crate) fn register_voter(
        &mut self,
        endpoint: &str,
        kind: SocketType,
        handler: VoterHandler<A>,
    ) -> zmq::Result<()> {
        let node = self.reactor.state_mut();
        if node.voter_callback.is_some() {
            return Err(zmq::Error::from_errno(libc::EEXIST));
        }
        node.voter_callback = Some(handler);
        let socket = self.ctx.socket(kind)?;
        // No send limit: a ROUTER drops what goes past it, and an answer
        // such as a whole snapshot must get through.
        socket.set(sockopt::SndHwm, 0)?;
        socket.bind(endpoint)?;
        self.reactor.on_recv(socket, Self::voter_ready);
        Ok(())
    }

    /// Runs the loop until Ctrl-C (caught with `zmq::interrupt`), a handler
    /// stops it, or the state machine finds a fatal state (an error naming
    /// it).
    pub(crate) fn start(&mut self) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        self.reactor.state_mut().update_peer_expiry();
        self.reactor.add_interval(HEARTBEAT, Self::send_state);
        match self.reactor.run() {
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            other => other?,
        }
        match self.reactor.state().fatal {
            Some(why) => Err(format!("Binary Star: {why}").into()),
            None => Ok(()),
        }
    }

    /// Every heartbeat: our state to the peer.
    fn send_state(ctx: &mut Ctx<'_, Node<A>>) -> zmq::Result<()> {
        let node = ctx.state();
        node.statepub.send((node.state as u8).to_string())
    }

    /// The peer's state: it is alive, and the state machine hears of it.
    fn recv_state(ctx: &mut Ctx<'_, Node<A>>, msg: &[Vec<u8>]) {
        let Some(event) = msg.first().and_then(|state| Event::from_peer_state(state)) else {
            return;
        };
        ctx.state().update_peer_expiry();
        Node::execute_fsm(ctx, event);
    }

    /// A message on the voter: a client request, served if the state
    /// machine lets us.
    fn voter_ready(
        ctx: &mut Ctx<'_, Node<A>>,
        socket: &Socket,
        msg: Vec<Vec<u8>>,
    ) -> zmq::Result<()> {
        if Node::execute_fsm(ctx, Event::ClientRequest) {
            println!("CLIENT REQUEST");
            if let Some(handler) = ctx.state().voter_callback {
                handler(ctx, socket, msg)?;
            }
        }
        Ok(())
    }
}
