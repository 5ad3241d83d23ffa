//! interface: presence on the network, for the distributed-computing
//! chapter
//!
//! Port of the zguide's `examples/Python/interface.py`, the module
//! `udpping3` includes with `#[path]`. An [`Interface`] starts an agent
//! thread that broadcasts a beacon carrying its UUID (32 lowercase hex
//! digits) on UDP port 9999 every [`PING_INTERVAL`] (`udplib.rs`), keeps
//! the peers it hears (its own beacon included), and reports each to the
//! application as `JOINED`, uuid when first heard and `LEFT`, uuid once it
//! has been silent for [`PEER_EXPIRY`]. The application reads those
//! two-frame messages with [`Interface::recv`].
//!
//! The agent runs on `zmq::reactor`, where the original uses pyzmq's
//! IOLoop: the UDP socket is polled by its descriptor beside the pipe to
//! the application.

use std::collections::HashMap;
use std::sync::{Arc, mpsc};
use std::thread::{self, JoinHandle};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rand::RngCore;
use zmq::reactor::{Reactor, StopHandle, Token};
use zmq::{ErrorKind, PollEvents, Socket, SocketType};
use zmq_guide::{endpoint, pyfmt};

use crate::udplib::Udp;

/// The UDP port of the beacons.
pub(crate) const PING_PORT_NUMBER: u16 = 9999;
/// How often the agent broadcasts its beacon (and looks for silent peers).
pub(crate) const PING_INTERVAL: Duration = Duration::from_secs(1);
/// How long a silent peer is still counted present.
pub(crate) const PEER_EXPIRY: Duration = Duration::from_secs(5);
/// The size of a beacon: a UUID in hex.
const UUID_BYTES: usize = 32;

/// Two PAIR sockets connected over a fresh inproc endpoint.
fn pipe(ctx: &zmq::Context) -> zmq::Result<(Socket, Socket)> {
    let a = ctx.socket(SocketType::Pair)?;
    let b = ctx.socket(SocketType::Pair)?;
    let url = format!("inproc://{}", uuid_hex());
    a.bind(&url)?;
    b.connect(&url)?;
    Ok((a, b))
}

/// A random (version 4) UUID as 32 lowercase hex digits.
fn uuid_hex() -> String {
    let mut uuid = [0u8; 16];
    rand::rng().fill_bytes(&mut uuid);
    uuid[6] = (uuid[6] & 0x0f) | 0x40;
    uuid[8] = (uuid[8] & 0x3f) | 0x80;
    uuid.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// Seconds since the epoch, as Python's `time.time()`.
fn now() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |since| since.as_secs_f64())
}

/// The application's side: the pipe to the agent; see the
/// [module documentation](self).
#[derive(Debug)]
pub(crate) struct Interface {
    ctx: zmq::Context,
    pipe: Socket,
    agent: StopHandle,
    agent_thread: Option<JoinHandle<()>>,
}

impl Interface {
    /// Starts the agent in a thread of its own.
    pub(crate) fn new() -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        let ctx = zmq::Context::new()?;
        let (p0, p1) = pipe(&ctx)?;
        // The agent's loop lives on its thread; it hands back the means to
        // stop it, or why it could not start.
        let (started, handle) = mpsc::channel();
        let agent_thread = thread::spawn(move || {
            let mut agent = match InterfaceAgent::new(p1) {
                Ok(agent) => agent,
                Err(e) => {
                    let _ = started.send(Err(e));
                    return;
                }
            };
            let _ = started.send(Ok(agent.stop_handle()));
            if let Err(e) = agent.start() {
                eprintln!("interface agent: {e}");
            }
        });
        let stop = handle.recv()??;
        Ok(Interface {
            ctx,
            pipe: p0,
            agent: stop,
            agent_thread: Some(agent_thread),
        })
    }

    /// Stops the agent and waits for it.
    pub(crate) fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        self.agent.stop();
        if let Some(thread) = self.agent_thread.take() {
            let _ = thread.join();
        }
        let _ = self.ctx.shutdown();
    }

    /// The next message from the agent: `JOINED` or `LEFT`, then a peer's
    /// UUID.
    pub(crate) fn recv(&self) -> zmq::Result<Vec<Vec<u8>>> {
        self.pipe.recv_multipart()
    }
}

impl Drop for Interface {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// A peer we have heard.
#[derive(Debug)]
struct Peer {
    uuid: Vec<u8>,
    /// When it counts as gone unless heard again (seconds since the
    /// epoch).
    expires_at: f64,
}

impl Peer {
    fn new(uuid: Vec<u8>) -> Self {
        let mut peer = Peer {
            uuid,
            expires_at: 0.0,
        };
        peer.is_alive();
        peer
    }

    /// Heard from it: it stays for another [`PEER_EXPIRY`].
    fn is_alive(&mut self) {
        self.expires_at = now() + PEER_EXPIRY.as_secs_f64();
    }
}

/// The agent's state, shared by its loop's handlers.
struct AgentState {
    /// The pipe back to the application, registered with the loop.
    pipe: Option<Token>,
    udp: Udp,
    /// Our UUID, in hex.
    uuid: Vec<u8>,
    /// The peers we know, by UUID.
    peers: HashMap<Vec<u8>, Peer>,
}

/// The agent: the loop and its state.
struct InterfaceAgent {
    reactor: Reactor<AgentState>,
    pipe: Option<Socket>,
}

impl InterfaceAgent {
    fn new(pipe: Socket) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        let udp = Udp::new(endpoint::port(PING_PORT_NUMBER), None, None)?;
        let reactor = Reactor::new(AgentState {
            pipe: None,
            udp,
            uuid: uuid_hex().into_bytes(),
            peers: HashMap::new(),
        })?;
        Ok(InterfaceAgent {
            reactor,
            pipe: Some(pipe),
        })
    }

    fn stop_handle(&self) -> StopHandle {
        self.reactor.stop_handle()
    }

    /// Registers the beacon socket, the pipe and the two timers, and runs
    /// the loop until stopped.
    fn start(&mut self) -> zmq::Result<()> {
        let reactor = &mut self.reactor;
        // The reactor keeps a share of the socket while it polls it.
        let beacons = Arc::clone(&reactor.state().udp.handle);
        reactor.add_fd(beacons, PollEvents::POLLIN, |ctx, _| {
            let pipe = ctx.state().pipe.and_then(|token| ctx.socket(token));
            handle_beacon(ctx.state(), pipe)
        });
        if let Some(pipe) = self.pipe.take() {
            let token = reactor.on_recv(pipe, |_, _, event| {
                control_message(&event);
                Ok(())
            });
            reactor.state_mut().pipe = Some(token);
        }
        reactor.add_interval(PING_INTERVAL, |ctx| {
            let agent = ctx.state();
            if agent.udp.send(&agent.uuid).is_err() {
                ctx.stop();
            }
            Ok(())
        });
        reactor.add_interval(PING_INTERVAL, |ctx| {
            let pipe = ctx.state().pipe.and_then(|token| ctx.socket(token));
            reap_peers(ctx.state(), pipe)
        });
        loop {
            match reactor.run() {
                // A signal meant for the application's thread: carry on.
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                other => return other,
            }
        }
    }
}

/// A message from the application (none are defined): printed.
fn control_message(event: &[Vec<u8>]) {
    let frames: Vec<String> = event.iter().map(|frame| pyfmt::bytes(frame)).collect();
    println!("control message: [{}]", frames.join(", "));
}

/// A beacon: a peer heard again, or a new one to announce.
fn handle_beacon(agent: &mut AgentState, pipe: Option<&Socket>) -> zmq::Result<()> {
    let uuid = match agent.udp.recv(UUID_BYTES) {
        Ok(uuid) => uuid,
        Err(e) => {
            eprintln!("E: {e}");
            return Ok(());
        }
    };
    if let Some(peer) = agent.peers.get_mut(&uuid) {
        peer.is_alive();
    } else {
        agent.peers.insert(uuid.clone(), Peer::new(uuid.clone()));
        if let Some(pipe) = pipe {
            pipe.send_multipart(zmq::frames!["JOINED", uuid])?;
        }
    }
    Ok(())
}

/// Every interval: the peers silent for too long are gone.
fn reap_peers(agent: &mut AgentState, pipe: Option<&Socket>) -> zmq::Result<()> {
    let now = now();
    let expired: Vec<Vec<u8>> = agent
        .peers
        .values()
        .filter(|peer| peer.expires_at < now)
        .map(|peer| peer.uuid.clone())
        .collect();
    for uuid in expired {
        if let Some(peer) = agent.peers.remove(&uuid) {
            println!(
                "reaping {} {} {}",
                pyfmt::bytes(&peer.uuid),
                pyfmt::float(peer.expires_at),
                pyfmt::float(now)
            );
            if let Some(pipe) = pipe {
                pipe.send_multipart(zmq::frames!["LEFT", peer.uuid])?;
            }
        }
    }
    Ok(())
}
