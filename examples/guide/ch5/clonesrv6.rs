//! Clone server, model six
//!
//! Port of the zguide's `examples/Python/clonesrv6.py`: model five's server
//! (snapshots, published updates, collected client updates, ephemeral
//! values) as a Binary Star pair (`zmq_guide::bstar`), so clients fail over to the
//! backup when the primary dies. Run `clonesrv6 -p` (primary: snapshots on
//! tcp://*:5556, updates on 5557, collector on 5558, Binary Star state on
//! 5003) and `clonesrv6 -b` (backup: 5566, 5567, 5568, state on 5004).
//!
//! The master numbers and publishes the clients' updates and sends `HUGZ`
//! every second; the slave takes the master's updates through a subscriber
//! of its own (after a snapshot from the master) and holds the updates it
//! collects from clients on a pending list until the master's copy of each
//! arrives (matched by UUID), so when it takes over it applies what the
//! master never published. It logs to stderr, each line after the local
//! time; the Binary Star state machine prints to stdout.
//!
//! Difference: a backup that becomes master before it ever heard from the
//! primary starts from an empty map where the original would fail on its
//! missing one.

#[path = "kvmsg.rs"]
mod kvmsg;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use kvmsg::{KvMap, KvMsg};
use zmq::reactor::{Ctx, Token};
use zmq::{PollEvents, SendFlags, Socket, SocketType, sockopt};
use zmq_guide::bstar::{BinaryStar, Star};
use zmq_guide::zhelpers::dump_frames;
use zmq_guide::{endpoint, logging, pyfmt};

/// The handlers' context: the Binary Star node around our server.
type ServerCtx<'a> = Ctx<'a, Star<CloneServer>>;

/// Where a snapshot goes: the ROUTER, the identity of the client that
/// asked, and the subtree it asked for.
struct Route<'a> {
    socket: &'a Socket,
    identity: &'a [u8],
    subtree: &'a [u8],
}

/// Sends one entry of the map to the client of `route`, if its key is in
/// the client's subtree.
fn send_single(kvmsg: &KvMsg, route: &Route<'_>) -> zmq::Result<()> {
    let key = kvmsg.key.as_deref().unwrap_or_default();
    if key.starts_with(route.subtree) {
        // The client's identity first, for the ROUTER.
        route.socket.send_with(route.identity, SendFlags::SNDMORE)?;
        kvmsg.send(route.socket)?;
    }
    Ok(())
}

/// Seconds since the epoch, as Python's `time.time()`.
fn now() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |since| since.as_secs_f64())
}

/// Properties as Python prints a dict of bytes: `{b'ttl': b'3'}`.
fn properties_repr(kvmsg: &KvMsg) -> String {
    let pairs: Vec<String> = kvmsg
        .properties
        .iter()
        .map(|(name, value)| format!("{}: {}", pyfmt::bytes(name), pyfmt::bytes(value)))
        .collect();
    format!("{{{}}}", pairs.join(", "))
}

/// Frames as Python prints a list of bytes: `[b'a', b'b']`.
fn frames_repr(msg: &[Vec<u8>]) -> String {
    let frames: Vec<String> = msg.iter().map(|frame| pyfmt::bytes(frame)).collect();
    format!("[{}]", frames.join(", "))
}

/// The server's state, beside the Binary Star state machine.
struct CloneServer {
    /// Our own context, for the snapshot we may ask the peer for.
    ctx: zmq::Context,
    /// The key-value store; `None` while a slave has not yet had its
    /// snapshot from the master.
    kvmap: Option<KvMap>,
    /// How many updates so far.
    sequence: i64,
    /// Our peer's main port.
    peer: u16,
    /// Publishes updates and hugz.
    publisher: Socket,
    /// The master's updates, read only while we are slave.
    subscriber: Option<Token>,
    /// Client updates the master has not published yet.
    pending: Vec<KvMsg>,
    /// True while we are master.
    master: bool,
}

impl CloneServer {
    /// A primary (`primary` true) or backup server on `ports` (the
    /// primary's main port, the backup's).
    fn new(primary: bool, ports: (u16, u16)) -> Result<BinaryStar<CloneServer>, kvmsg::Error> {
        let (port, peer, frontend, backend, kvmap) = if primary {
            let (port, peer) = ports;
            let map = Some(KvMap::new());
            (port, peer, "tcp://*:5003", "tcp://localhost:5004", map)
        } else {
            let (peer, port) = ports;
            (port, peer, "tcp://*:5004", "tcp://localhost:5003", None)
        };

        let ctx = zmq::Context::new()?;

        // Our clone server sockets.
        let publisher = ctx.socket(SocketType::Pub)?;
        let collector = ctx.socket(SocketType::Sub)?;
        collector.subscribe(b"")?;
        publisher.bind(&endpoint(&format!("tcp://*:{}", port + 1)))?;
        collector.bind(&endpoint(&format!("tcp://*:{}", port + 2)))?;

        // A clone client of our own, to hear the peer's updates.
        let subscriber = ctx.socket(SocketType::Sub)?;
        subscriber.subscribe(b"")?;
        subscriber.connect(&endpoint(&format!("tcp://localhost:{}", peer + 1)))?;

        let server = CloneServer {
            ctx,
            kvmap,
            sequence: 0,
            peer,
            publisher,
            subscriber: None,
            pending: Vec::new(),
            master: false,
        };
        let mut bstar = BinaryStar::new(primary, &endpoint(frontend), &endpoint(backend), server)?;
        bstar.register_voter(
            &endpoint(&format!("tcp://*:{port}")),
            SocketType::Router,
            Self::handle_snapshot,
        )?;

        // What to do when we become master or slave.
        bstar.set_master_callback(Self::become_master);
        bstar.set_slave_callback(Self::become_slave);

        // The subscriber is read only while we are slave.
        let reactor = bstar.reactor();
        let subscriber =
            reactor.on_recv(subscriber, |ctx, _, msg| Self::handle_subscriber(ctx, msg));
        reactor.set_events(subscriber, PollEvents::empty());
        reactor.on_recv(collector, |ctx, _, msg| Self::handle_collect(ctx, msg));
        reactor.add_interval(Duration::from_secs(1), Self::flush_ttl);
        reactor.add_interval(Duration::from_secs(1), Self::send_hugz);
        bstar.reactor().state_mut().app().subscriber = Some(subscriber);
        Ok(bstar)
    }

    /// A snapshot request, which the Binary Star let through: the entries
    /// of the subtree, then `KTHXBAI`.
    fn handle_snapshot(
        ctx: &mut ServerCtx<'_>,
        socket: &Socket,
        msg: Vec<Vec<u8>>,
    ) -> zmq::Result<()> {
        let [identity, request, subtree] = &msg[..] else {
            return Self::bad_request(ctx, &msg);
        };
        if request != b"ICANHAZ?" {
            return Self::bad_request(ctx, &msg);
        }
        let server = &mut ctx.state().app();
        let route = Route {
            socket,
            identity,
            subtree,
        };
        for kvmsg in server.kvmap.iter().flat_map(KvMap::values) {
            send_single(kvmsg, &route)?;
        }

        // Then the end marker with the map's version.
        logging::info(format_args!(
            "I: Sending state shapshot={}",
            server.sequence
        ));
        socket.send_with(&identity[..], SendFlags::SNDMORE)?;
        let mut kvmsg = KvMsg::new(server.sequence);
        kvmsg.key = Some(b"KTHXBAI".to_vec());
        kvmsg.body = Some(subtree.clone());
        kvmsg.send(socket)
    }

    fn bad_request(ctx: &mut ServerCtx<'_>, msg: &[Vec<u8>]) -> zmq::Result<()> {
        logging::info("E: bad request, aborting");
        dump_frames(msg);
        ctx.stop();
        Ok(())
    }

    /// An update from a client. The master applies and publishes it; a
    /// slave (or a server not yet sure) holds it until the master's copy
    /// arrives, unless that came first.
    fn handle_collect(ctx: &mut ServerCtx<'_>, msg: Vec<Vec<u8>>) -> zmq::Result<()> {
        let mut kvmsg = match KvMsg::from_frames(msg) {
            Ok(kvmsg) => kvmsg,
            Err(e) => {
                logging::info(format_args!("E: {e}"));
                return Ok(());
            }
        };
        let server = &mut ctx.state().app();
        if server.master {
            server.sequence += 1;
            kvmsg.sequence = server.sequence;
            kvmsg.send(&server.publisher)?;
            let ttl = kvmsg.ttl();
            if ttl != 0.0 {
                kvmsg.set(b"ttl", format!("{:.6}", now() + ttl).as_bytes());
            }
            kvmsg.store(server.kvmap.get_or_insert_default());
            logging::info(format_args!("I: publishing update={}", server.sequence));
        } else if !server.was_pending(&kvmsg) {
            server.pending.push(kvmsg);
        }
        Ok(())
    }

    /// If an update with the UUID of `kvmsg` is on the pending list, takes
    /// it off and says so.
    fn was_pending(&mut self, kvmsg: &KvMsg) -> bool {
        match self.pending.iter().position(|held| held.uuid == kvmsg.uuid) {
            Some(index) => {
                self.pending.remove(index);
                true
            }
            None => false,
        }
    }

    /// Every second: delete the ephemeral values whose time has come.
    fn flush_ttl(ctx: &mut ServerCtx<'_>) -> zmq::Result<()> {
        let server = &mut ctx.state().app();
        let keys: Vec<Vec<u8>> = server.kvmap.iter().flat_map(KvMap::keys).cloned().collect();
        for key in keys {
            server.flush_single(&key)?;
        }
        Ok(())
    }

    /// If the value under `key` has expired, deletes it and publishes the
    /// deletion.
    fn flush_single(&mut self, key: &[u8]) -> zmq::Result<()> {
        let Some(kvmap) = self.kvmap.as_mut() else {
            return Ok(());
        };
        let Some(kvmsg) = kvmap.get_mut(key) else {
            return Ok(());
        };
        let ttl = kvmsg.ttl();
        if ttl != 0.0 && ttl <= now() {
            kvmsg.body = Some(Vec::new());
            self.sequence += 1;
            kvmsg.sequence = self.sequence;
            logging::info(format_args!(
                "I: preparing to publish delete={}",
                properties_repr(kvmsg)
            ));
            kvmsg.send(&self.publisher)?;
            kvmap.remove(key);
            logging::info(format_args!("I: publishing delete={}", self.sequence));
        }
        Ok(())
    }

    /// Every second: hugz to whoever listens, carrying our sequence.
    fn send_hugz(ctx: &mut ServerCtx<'_>) -> zmq::Result<()> {
        let server = &ctx.state().app();
        let mut kvmsg = KvMsg::new(server.sequence);
        kvmsg.key = Some(b"HUGZ".to_vec());
        kvmsg.body = Some(Vec::new());
        kvmsg.send(&server.publisher)
    }

    /// Becoming master: apply the pending list to our map, then serve.
    fn become_master(ctx: &mut ServerCtx<'_>) -> zmq::Result<()> {
        let server = &mut ctx.state().app();
        server.master = true;
        // The peer's updates no longer concern us.
        let subscriber = server.subscriber;
        let kvmap = server.kvmap.get_or_insert_default();
        for mut kvmsg in server.pending.drain(..) {
            server.sequence += 1;
            kvmsg.sequence = server.sequence;
            kvmsg.store(kvmap);
            logging::info(format_args!("I: publishing pending={}", server.sequence));
        }
        if let Some(subscriber) = subscriber {
            ctx.set_events(subscriber, PollEvents::empty());
        }
        Ok(())
    }

    /// Becoming slave: forget our map (a fresh snapshot comes with the
    /// master's first update) and read the master's updates.
    fn become_slave(ctx: &mut ServerCtx<'_>) -> zmq::Result<()> {
        let server = &mut ctx.state().app();
        server.kvmap = None;
        server.master = false;
        if let Some(subscriber) = server.subscriber {
            ctx.set_events(subscriber, PollEvents::POLLIN);
        }
        Ok(())
    }

    /// An update (or hugz) from the master; we are slave.
    fn handle_subscriber(ctx: &mut ServerCtx<'_>, msg: Vec<Vec<u8>>) -> zmq::Result<()> {
        let server = &mut ctx.state().app();
        if server.master {
            logging::info(format_args!(
                "received subscriber message, but we are master {}",
                frames_repr(&msg)
            ));
            return Ok(());
        }

        // A snapshot from the master first, if we have no map.
        if server.kvmap.is_none() {
            let kvmap = server.kvmap.insert(KvMap::new());
            let snapshot = server.ctx.socket(SocketType::Dealer)?;
            snapshot.set(sockopt::Linger, Some(Duration::ZERO))?;
            snapshot.connect(&endpoint(&format!("tcp://localhost:{}", server.peer)))?;

            logging::info(format_args!(
                "I: asking for snapshot from: tcp://localhost:{}",
                server.peer
            ));
            snapshot.send_multipart(zmq::frames!["ICANHAZ?", ""])?;
            loop {
                let kvmsg = match KvMsg::recv(&snapshot) {
                    Ok(kvmsg) => kvmsg,
                    Err(e) => {
                        // Interrupted: end the loop as Ctrl-C would.
                        logging::info(format_args!("E: {e}"));
                        ctx.stop();
                        return Ok(());
                    }
                };
                if kvmsg.key.as_deref() == Some(b"KTHXBAI") {
                    server.sequence = kvmsg.sequence;
                    break;
                }
                kvmsg.store(kvmap);
            }
            logging::info(format_args!("I: received snapshot={}", server.sequence));
        }

        // The master's copy of an update: clear the client's from the
        // pending list, or keep this one there until the client's comes.
        let mut kvmsg = match KvMsg::from_frames(msg) {
            Ok(kvmsg) => kvmsg,
            Err(e) => {
                logging::info(format_args!("E: {e}"));
                return Ok(());
            }
        };
        let ttl = kvmsg.ttl();
        if ttl != 0.0 {
            kvmsg.set(b"ttl", format!("{:.6}", now() + ttl).as_bytes());
        }

        if kvmsg.key.as_deref() != Some(b"HUGZ") {
            if !server.was_pending(&kvmsg) {
                server.pending.push(kvmsg.clone());
            }

            // Newer than our map: apply it.
            if kvmsg.sequence > server.sequence {
                server.sequence = kvmsg.sequence;
                kvmsg.store(server.kvmap.get_or_insert_default());
                logging::info(format_args!("I: received update={}", server.sequence));
            }
        }
        Ok(())
    }
}

fn main() -> Result<(), kvmsg::Error> {
    // Ctrl-C ends the loop.
    zmq::interrupt::catch_signals()?;
    let primary = match std::env::args().nth(1).as_deref() {
        Some("-p") => true,
        Some("-b") => false,
        _ => {
            println!("Usage: clonesrv6 {{ -p | -b }}");
            std::process::exit(1);
        }
    };
    let mut clone = CloneServer::new(primary, (5556, 5566))?;
    Ok(clone.start()?)
}
