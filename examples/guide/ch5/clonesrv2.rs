//! Clone server, model two
//!
//! Port of the zguide's `examples/Python/clonesrv2.py`: the main thread
//! publishes random key-value updates on tcp://*:5557 and hands each to a
//! state-manager thread through a pipe; the state manager keeps the map
//! and answers snapshot requests on tcp://*:5556 (ROUTER): `ICANHAZ?` gets
//! every entry, then `KTHXBAI` carrying the sequence number of the last
//! update in the snapshot. Ctrl-C prints how many updates went out.
//! `ZGUIDE_UPDATES` stops the stream after that many updates (the server
//! keeps answering snapshots until Ctrl-C), for tests.
//!
//! Difference: the original is Python 2 only; this is its intent.
//!
//! Fixed: the snapshot ROUTER has no send limit. At the default limit of
//! 1000 messages a ROUTER drops the rest of a larger snapshot, `KTHXBAI`
//! included, and the client waits for it forever, as it can with the
//! original.

#[path = "kvsimple.rs"]
mod kvsimple;

use std::thread;
use std::time::Duration;

use kvsimple::{KvMap, KvMsg};
use rand::Rng;
use zmq::{ErrorKind, PollEvents, PollItem, Socket, SocketType, interrupt, sockopt};
use zmq_guide::zhelpers::zpipe;
use zmq_guide::{endpoint, setting};

fn main() -> Result<(), kvsimple::Error> {
    // Ctrl-C only raises a flag (and interrupts a blocked send).
    interrupt::catch_signals()?;
    let limit: i32 = setting("ZGUIDE_UPDATES", i32::MAX);

    // The context and the publisher.
    let ctx = zmq::Context::new()?;
    let publisher = ctx.socket(SocketType::Pub)?;
    publisher.bind(&endpoint("tcp://*:5557"))?;

    // The state manager runs beside us, fed through a pipe. Like the
    // original's daemon thread, it ends with the process.
    let (updates, peer) = zpipe(&ctx)?;
    let manager_ctx = ctx.clone();
    thread::spawn(move || {
        if let Err(e) = state_manager(&manager_ctx, &peer) {
            eprintln!("state manager: {e}");
        }
    });

    let mut sequence = 0;
    let mut rng = rand::rng();

    while !interrupt::interrupted() {
        if sequence == limit {
            thread::sleep(Duration::from_millis(50));
            continue;
        }
        // One random update, to subscribers and to the state manager.
        sequence += 1;
        let mut kvmsg = KvMsg::new(sequence);
        kvmsg.key = Some(rng.random_range(1..=10_000).to_string().into_bytes());
        kvmsg.body = Some(rng.random_range(1..=1_000_000).to_string().into_bytes());
        kvmsg.send(&publisher)?;
        match kvmsg.send(&updates) {
            Err(e) if e.kind() == ErrorKind::Interrupted => break,
            other => other?,
        }
    }
    println!(" Interrupted\n{sequence} messages out");
    Ok(())
}

/// Where a snapshot goes: the ROUTER and the identity of the client that
/// asked.
struct Route<'a> {
    socket: &'a Socket,
    identity: &'a [u8],
}

/// Sends one entry of the map to the client of `route`.
fn send_single(kvmsg: &KvMsg, route: &Route<'_>) -> zmq::Result<()> {
    // The client's identity first, for the ROUTER.
    route
        .socket
        .send_with(route.identity, zmq::SendFlags::SNDMORE)?;
    kvmsg.send(route.socket)
}

/// Keeps the map up to date from the pipe and serves snapshots of it.
fn state_manager(ctx: &zmq::Context, pipe: &Socket) -> Result<(), kvsimple::Error> {
    let mut kvmap = KvMap::new();
    pipe.send("READY")?;
    let snapshot = ctx.socket(SocketType::Router)?;
    // A whole snapshot must get through, however large (see above).
    snapshot.set(sockopt::SndHwm, 0)?;
    snapshot.bind(&endpoint("tcp://*:5556"))?;

    // The version of the map: the sequence of the last update applied.
    let mut sequence = 0;
    loop {
        let mut items = [
            PollItem::from_socket(pipe, PollEvents::POLLIN),
            PollItem::from_socket(&snapshot, PollEvents::POLLIN),
        ];
        if zmq::poll(&mut items, None).is_err() {
            break; // interrupted, or the context is gone
        }

        // An update from the main thread.
        if items[0].is_readable() {
            let kvmsg = KvMsg::recv(pipe)?;
            sequence = kvmsg.sequence;
            kvmsg.store(&mut kvmap);
        }
        // A client wants the state.
        if items[1].is_readable() {
            let msg = snapshot.recv_multipart()?;
            let (identity, request) = (&msg[0], msg.get(1).map(Vec::as_slice));
            if request != Some(b"ICANHAZ?") {
                println!("E: bad request, aborting");
                break;
            }

            // Every entry of the map to that client...
            let route = Route {
                socket: &snapshot,
                identity,
            };
            for kvmsg in kvmap.values() {
                send_single(kvmsg, &route)?;
            }

            // ...then the end marker with the map's version.
            println!("Sending state shapshot={sequence}");
            snapshot.send_with(&identity[..], zmq::SendFlags::SNDMORE)?;
            let mut kvmsg = KvMsg::new(sequence);
            kvmsg.key = Some(b"KTHXBAI".to_vec());
            kvmsg.body = Some(Vec::new());
            kvmsg.send(&snapshot)?;
        }
    }
    Ok(())
}
