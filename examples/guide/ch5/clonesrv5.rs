//! Clone server, model five
//!
//! Port of the zguide's `examples/Python/clonesrv5.py`: model four's server
//! (snapshots of a subtree on tcp://*:5556, updates published on
//! tcp://*:5557, clients' updates collected on tcp://*:5558) on an event
//! loop, with ephemeral values: an update with a `ttl` property (seconds)
//! is deleted when that time has passed, and the deletion (the key with an
//! empty body) is published like an update. It logs to stderr, each line
//! after the local time, and runs until Ctrl-C.
//!
//! Messages are kvmsg's five frames (`kvmsg.rs`); the loop is
//! `zmq::reactor`, where the original uses pyzmq's IOLoop.
//!
//! Fixed: the snapshot ROUTER has no send limit. At the default limit of
//! 1000 messages a ROUTER drops the rest of a larger snapshot, `KTHXBAI`
//! included, and the client waits for it forever, as it can with the
//! original.

#[path = "kvmsg.rs"]
mod kvmsg;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use kvmsg::{KvMap, KvMsg};
use zmq::reactor::{Ctx, Reactor};
use zmq::{ErrorKind, SendFlags, Socket, SocketType, interrupt, sockopt};
use zmq_guide::zhelpers::dump_frames;
use zmq_guide::{endpoint, logging};

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

/// The server's state, shared by the loop's handlers.
struct CloneServer {
    /// The key-value store.
    kvmap: KvMap,
    /// How many updates so far.
    sequence: i64,
    /// Publishes updates to clients (only written to, so not polled).
    publisher: Socket,
}

impl CloneServer {
    /// Sets up the sockets on `port` (snapshots), `port + 1` (publisher) and
    /// `port + 2` (collector) and their handlers.
    fn new(ctx: &zmq::Context, port: u16) -> Result<Reactor<CloneServer>, kvmsg::Error> {
        let snapshot = ctx.socket(SocketType::Router)?;
        // A whole snapshot must get through, however large (see above).
        snapshot.set(sockopt::SndHwm, 0)?;
        let publisher = ctx.socket(SocketType::Pub)?;
        let collector = ctx.socket(SocketType::Pull)?;
        snapshot.bind(&endpoint(&format!("tcp://*:{port}")))?;
        publisher.bind(&endpoint(&format!("tcp://*:{}", port + 1)))?;
        collector.bind(&endpoint(&format!("tcp://*:{}", port + 2)))?;

        let mut reactor = Reactor::new(CloneServer {
            kvmap: KvMap::new(),
            sequence: 0,
            publisher,
        })?;
        reactor.on_recv(snapshot, |ctx, socket, msg| {
            Self::handle_snapshot(ctx, socket, msg)
        });
        reactor.on_recv(collector, |ctx, _, msg| Self::handle_collect(ctx, msg));
        reactor.add_interval(Duration::from_secs(1), Self::flush_ttl);
        Ok(reactor)
    }

    /// A snapshot request: the entries of the subtree, then `KTHXBAI`.
    fn handle_snapshot(
        ctx: &mut Ctx<'_, CloneServer>,
        socket: &Socket,
        msg: Vec<Vec<u8>>,
    ) -> zmq::Result<()> {
        let [identity, request, subtree] = &msg[..] else {
            return Self::bad_request(ctx, &msg);
        };
        if request != b"ICANHAZ?" {
            return Self::bad_request(ctx, &msg);
        }
        // An empty subtree gets no answer, as in the original.
        if !subtree.is_empty() {
            let route = Route {
                socket,
                identity,
                subtree,
            };
            let server = ctx.state();
            for kvmsg in server.kvmap.values() {
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
            kvmsg.send(socket)?;
        }
        Ok(())
    }

    fn bad_request(ctx: &mut Ctx<'_, CloneServer>, msg: &[Vec<u8>]) -> zmq::Result<()> {
        println!("E: bad request, aborting");
        dump_frames(msg);
        ctx.stop();
        Ok(())
    }

    /// An update from a client: number it, publish it, and keep it, with
    /// its time to live turned into the time it expires.
    fn handle_collect(ctx: &mut Ctx<'_, CloneServer>, msg: Vec<Vec<u8>>) -> zmq::Result<()> {
        let mut kvmsg = match KvMsg::from_frames(msg) {
            Ok(kvmsg) => kvmsg,
            Err(e) => {
                logging::info(format_args!("E: {e}"));
                return Ok(());
            }
        };
        let server = ctx.state();
        server.sequence += 1;
        kvmsg.sequence = server.sequence;
        kvmsg.send(&server.publisher)?;
        let ttl = kvmsg.ttl();
        if ttl != 0.0 {
            kvmsg.set(b"ttl", format!("{:.6}", now() + ttl).as_bytes());
        }
        kvmsg.store(&mut server.kvmap);
        logging::info(format_args!("I: publishing update={}", server.sequence));
        Ok(())
    }

    /// Every second: delete the ephemeral values whose time has come.
    fn flush_ttl(ctx: &mut Ctx<'_, CloneServer>) -> zmq::Result<()> {
        let server = ctx.state();
        let keys: Vec<Vec<u8>> = server.kvmap.keys().cloned().collect();
        for key in keys {
            server.flush_single(&key)?;
        }
        Ok(())
    }

    /// If the value under `key` has expired, deletes it and publishes the
    /// deletion.
    fn flush_single(&mut self, key: &[u8]) -> zmq::Result<()> {
        let Some(kvmsg) = self.kvmap.get_mut(key) else {
            return Ok(());
        };
        let ttl = kvmsg.ttl();
        if ttl != 0.0 && ttl <= now() {
            kvmsg.body = Some(Vec::new());
            self.sequence += 1;
            kvmsg.sequence = self.sequence;
            kvmsg.send(&self.publisher)?;
            self.kvmap.remove(key);
            logging::info(format_args!("I: publishing delete={}", self.sequence));
        }
        Ok(())
    }
}

fn main() -> Result<(), kvmsg::Error> {
    // Ctrl-C ends the loop with an Interrupted error.
    interrupt::catch_signals()?;
    let ctx = zmq::Context::new()?;
    let mut clone = CloneServer::new(&ctx, 5556)?;
    match clone.run() {
        Err(e) if e.kind() == ErrorKind::Interrupted => Ok(()),
        other => Ok(other?),
    }
}
