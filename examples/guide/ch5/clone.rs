//! clone: the Clone pattern's client API
//!
//! Port of the zguide's `examples/Python/clone.py`, the module `clonecli6`
//! is built on (included with `#[path]`). A [`Clone`] keeps a copy of a
//! shared key-value map in step with up to [`SERVER_MAX`] Clone servers
//! (`clonesrv6`, a Binary Star pair): [`Clone::connect`] names a server,
//! [`Clone::set`] sends an update (with an optional time to live) and
//! [`Clone::get`] reads the local copy.
//!
//! The work happens in an agent thread, which the application talks to
//! over an inproc PAIR pipe, one multipart command per call:
//!
//! | command | frames |
//! |---|---|
//! | `SUBTREE` | the key prefix to replicate |
//! | `CONNECT` | the server's address (`tcp://host`), its port as text |
//! | `SET` | the key, the value, the ttl in seconds as text (`0`: forever) |
//! | `GET` | the key; the agent answers with the value (empty if absent) |
//!
//! The agent asks the current server for a snapshot of the subtree
//! (`ICANHAZ?`), then applies its published updates (kvmsg frames,
//! `kvmsg.rs`) newer than the snapshot. A server that is silent for
//! [`SERVER_TTL`] (the servers send `HUGZ` every second) is taken for dead,
//! and the agent asks the next one. Updates go out on a PUB socket
//! connected to every server's collector (port + 2), so the backup holds
//! them too. The agent logs to stderr, each line after the local time.
//!
//! Differences: `get` of a missing key answers an empty value where the
//! original's agent fails (it sends a text `''`, which pyzmq refuses); the
//! agent makes no unused ROUTER socket.

use std::thread;
use std::time::{Duration, Instant};

use crate::kvmsg::{KvMap, KvMsg};
use zmq::{PollEvents, PollItem, Socket, SocketType, sockopt};
use zmq_guide::zhelpers::zpipe;
use zmq_guide::{endpoint, logging, pyfmt};

/// A server silent this long is taken for dead.
pub(crate) const SERVER_TTL: Duration = Duration::from_secs(5);
/// How many servers the agent talks to at most.
pub(crate) const SERVER_MAX: usize = 2;

/// The application's side of the Clone API; see the
/// [module documentation](self). Named after the original's class.
#[derive(Debug)]
pub(crate) struct Clone {
    ctx: zmq::Context,
    pipe: Socket,
}

impl Clone {
    /// A clone with its agent running in the background, not yet
    /// connected to any server.
    pub(crate) fn new() -> zmq::Result<Self> {
        let ctx = zmq::Context::new()?;
        let (pipe, peer) = zpipe(&ctx)?;
        let agent_ctx = ctx.clone();
        // Like the original's daemon thread it ends with the process, or
        // when the clone is dropped (which shuts the context down).
        thread::spawn(move || {
            if let Err(e) = clone_agent(&agent_ctx, peer)
                && e.kind() != zmq::ErrorKind::Terminated
            {
                logging::info(format_args!("E: clone agent: {e}"));
            }
        });
        Ok(Clone { ctx, pipe })
    }

    /// Replicates only the keys starting with `subtree` (set it before
    /// connecting). Sends `SUBTREE` to the agent.
    pub(crate) fn set_subtree(&mut self, subtree: &[u8]) -> zmq::Result<()> {
        self.pipe.send_multipart(zmq::frames!["SUBTREE", subtree])
    }

    /// Adds the server at `address` (`tcp://host`) and `port` (its
    /// snapshot port; updates come from `port + 1`, and go to `port + 2`).
    /// Sends `CONNECT` to the agent.
    pub(crate) fn connect(&self, address: &str, port: u16) -> zmq::Result<()> {
        self.pipe
            .send_multipart(zmq::frames!["CONNECT", address, port.to_string()])
    }

    /// Sets `key` to `value` in the shared map, for `ttl` seconds (0:
    /// forever). Sends `SET` to the agent.
    pub(crate) fn set(&self, key: &[u8], value: &[u8], ttl: u32) -> zmq::Result<()> {
        self.pipe
            .send_multipart(zmq::frames!["SET", key, value, ttl.to_string()])
    }

    /// The value of `key` in our copy of the map, empty if it has none.
    /// Sends `GET` to the agent and waits for its answer. A signal while it
    /// waits (another Ctrl-C, as the client dumps its map after the first)
    /// does not lose the answer: the wait goes on.
    pub(crate) fn get(&self, key: &[u8]) -> zmq::Result<Vec<u8>> {
        self.pipe.send_multipart(zmq::frames!["GET", key])?;
        let mut reply = loop {
            match self.pipe.recv_multipart() {
                Err(e) if e.kind() == zmq::ErrorKind::Interrupted => continue,
                reply => break reply?,
            }
        };
        Ok(reply.swap_remove(0))
    }
}

impl Drop for Clone {
    fn drop(&mut self) {
        // Ends the agent: its poll fails with Terminated.
        let _ = self.ctx.shutdown();
    }
}

/// One server the agent talks to.
struct CloneServer {
    /// The server's address, `tcp://host`.
    address: Vec<u8>,
    /// Its snapshot port.
    port: u16,
    /// Where we ask for snapshots.
    snapshot: Socket,
    /// Where its updates come in.
    subscriber: Socket,
    /// When we give up on it, unless it speaks.
    expiry: Instant,
    /// Snapshot requests sent since it last answered.
    requests: u32,
}

impl CloneServer {
    fn new(ctx: &zmq::Context, address: &[u8], port: u16, subtree: &[u8]) -> zmq::Result<Self> {
        let host = String::from_utf8_lossy(address);
        let snapshot = ctx.socket(SocketType::Dealer)?;
        snapshot.set(sockopt::Linger, Some(Duration::ZERO))?;
        snapshot.connect(&endpoint(&format!("{host}:{port}")))?;
        let subscriber = ctx.socket(SocketType::Sub)?;
        subscriber.subscribe(subtree)?;
        subscriber.subscribe(b"HUGZ")?;
        subscriber.connect(&endpoint(&format!("{host}:{}", port + 1)))?;
        subscriber.set(sockopt::Linger, Some(Duration::ZERO))?;
        Ok(CloneServer {
            address: address.to_vec(),
            port,
            snapshot,
            subscriber,
            expiry: Instant::now(),
            requests: 0,
        })
    }

    /// `b'tcp://host':port`, as the original logs a server.
    fn name(&self) -> String {
        format!("{}:{}", pyfmt::bytes(&self.address), self.port)
    }
}

/// Where the agent stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Before asking a server for its state.
    Initial,
    /// Reading a snapshot.
    Syncing,
    /// Applying published updates.
    Active,
}

/// The agent's state.
struct CloneAgent {
    ctx: zmq::Context,
    /// The pipe to the application.
    pipe: Socket,
    /// Our copy of the map.
    kvmap: KvMap,
    /// The subtree we replicate.
    subtree: Vec<u8>,
    /// The servers we know.
    servers: Vec<CloneServer>,
    state: State,
    /// The server we use, an index into `servers`.
    cur_server: usize,
    /// The sequence of the last update applied.
    sequence: i64,
    /// Our updates go out here.
    publisher: Socket,
}

impl CloneAgent {
    fn new(ctx: &zmq::Context, pipe: Socket) -> zmq::Result<Self> {
        let publisher = ctx.socket(SocketType::Pub)?;
        // Updates queued for a server that died are lost anyway; they must
        // not hold the context's termination when the clone goes.
        publisher.set(sockopt::Linger, Some(Duration::ZERO))?;
        Ok(CloneAgent {
            ctx: ctx.clone(),
            pipe,
            kvmap: KvMap::new(),
            subtree: Vec::new(),
            servers: Vec::new(),
            state: State::Initial,
            cur_server: 0,
            sequence: 0,
            publisher,
        })
    }

    /// One command from the application.
    fn control_message(&mut self) -> zmq::Result<()> {
        let msg = self.pipe.recv_multipart()?;
        let Some((command, args)) = msg.split_first() else {
            return Ok(());
        };
        match (command.as_slice(), args) {
            (b"CONNECT", [address, port, ..]) => {
                let Some(port) = std::str::from_utf8(port)
                    .ok()
                    .and_then(|port| port.parse::<u16>().ok())
                else {
                    logging::info(format_args!("E: bad port {}", pyfmt::bytes(port)));
                    return Ok(());
                };
                if self.servers.len() < SERVER_MAX {
                    self.servers
                        .push(CloneServer::new(&self.ctx, address, port, &self.subtree)?);
                    let host = String::from_utf8_lossy(address);
                    self.publisher
                        .connect(&endpoint(&format!("{host}:{}", port + 2)))?;
                } else {
                    logging::info(format_args!("E: too many servers (max. {SERVER_MAX})"));
                }
            }
            (b"SET", [key, value, ttl]) => {
                // Into our map, and on to the servers.
                let mut kvmsg = KvMsg::with(0, key, value);
                let seconds = std::str::from_utf8(ttl)
                    .ok()
                    .and_then(|t| t.parse::<u64>().ok());
                if seconds.is_some_and(|seconds| seconds != 0) {
                    kvmsg.set(b"ttl", ttl);
                }
                kvmsg.send(&self.publisher)?;
                kvmsg.store(&mut self.kvmap);
            }
            (b"GET", [key, ..]) => {
                let value = self
                    .kvmap
                    .get(key)
                    .and_then(|kvmsg| kvmsg.body.clone())
                    .unwrap_or_default();
                self.pipe.send(value)?;
            }
            (b"SUBTREE", [subtree, ..]) => self.subtree = subtree.clone(),
            _ => logging::info(format_args!("E: bad command {}", pyfmt::bytes(command))),
        }
        Ok(())
    }
}

/// The agent: keeps the map in step with a server, failing over to the
/// next when it goes silent, and serves the application's commands.
fn clone_agent(ctx: &zmq::Context, pipe: Socket) -> zmq::Result<()> {
    let mut agent = CloneAgent::new(ctx, pipe)?;
    // The server in use, once there is one.
    let mut server: Option<usize> = None;

    loop {
        // Which server socket to read, if any, depends on the state.
        let mut server_socket: Option<&Socket> = None;
        match agent.state {
            State::Initial => {
                // Ask a server for a snapshot, if we know one.
                if !agent.servers.is_empty() {
                    server = Some(agent.cur_server);
                    let current = &mut agent.servers[agent.cur_server];
                    logging::info(format_args!(
                        "I: waiting for server at {}...",
                        current.name()
                    ));
                    if current.requests < 2 {
                        current
                            .snapshot
                            .send_multipart(zmq::frames!["ICANHAZ?", &agent.subtree])?;
                        current.requests += 1;
                    }
                    current.expiry = Instant::now() + SERVER_TTL;
                    agent.state = State::Syncing;
                    server_socket = Some(&agent.servers[agent.cur_server].snapshot);
                }
            }
            // The server should be sending its snapshot...
            State::Syncing => server_socket = server.map(|i| &agent.servers[i].snapshot),
            // ...or updates and hugz.
            State::Active => server_socket = server.map(|i| &agent.servers[i].subscriber),
        }

        let poll_timer = server.map(|i| {
            agent.servers[i]
                .expiry
                .saturating_duration_since(Instant::now())
        });
        let mut items = vec![PollItem::from_socket(&agent.pipe, PollEvents::POLLIN)];
        if let Some(socket) = server_socket {
            items.push(PollItem::from_socket(socket, PollEvents::POLLIN));
        }
        match zmq::poll(&mut items, poll_timer) {
            // A signal meant for the application's thread: carry on.
            Err(e) if e.kind() == zmq::ErrorKind::Interrupted => continue,
            other => other?,
        };
        let pipe_ready = items[0].is_readable();
        let server_ready = items.get(1).is_some_and(PollItem::is_readable);
        drop(items);

        if pipe_ready {
            agent.control_message()?;
        } else if let (true, Some(index), Some(socket)) = (server_ready, server, server_socket) {
            let kvmsg = match KvMsg::recv(socket) {
                Ok(kvmsg) => kvmsg,
                Err(e) => {
                    logging::info(format_args!("E: {e}"));
                    continue;
                }
            };
            let current = &mut agent.servers[index];
            // Anything from the server means it lives.
            current.expiry = Instant::now() + SERVER_TTL;
            if agent.state == State::Syncing {
                // Snapshot entries until the end marker.
                current.requests = 0;
                if kvmsg.key.as_deref() == Some(b"KTHXBAI") {
                    agent.sequence = kvmsg.sequence;
                    agent.state = State::Active;
                    logging::info(format_args!(
                        "I: received from {} snapshot={}",
                        current.name(),
                        agent.sequence
                    ));
                } else {
                    kvmsg.store(&mut agent.kvmap);
                }
            } else if agent.state == State::Active {
                // Updates newer than our map; older ones and hugz are
                // dropped.
                if kvmsg.sequence > agent.sequence {
                    agent.sequence = kvmsg.sequence;
                    let action = if kvmsg.body.is_some() {
                        "update"
                    } else {
                        "delete"
                    };
                    kvmsg.store(&mut agent.kvmap);
                    logging::info(format_args!(
                        "I: received from {} {action}={}",
                        current.name(),
                        agent.sequence
                    ));
                }
            }
        } else if let Some(index) = server {
            // Silence: the server has died; try the next.
            logging::info(format_args!(
                "I: server at {} didn't give hugz",
                agent.servers[index].name()
            ));
            agent.cur_server = (agent.cur_server + 1) % agent.servers.len();
            agent.state = State::Initial;
        }
    }
}
