//! Clone server, model four
//!
//! Port of the zguide's `examples/Python/clonesrv4.py`: model three
//! (clients' updates in on tcp://*:5558, numbered, republished on
//! tcp://*:5557 and stored) with subtrees: a snapshot request on
//! tcp://*:5556 names a key prefix (`ICANHAZ?`, prefix) and gets only the
//! entries under it, then `KTHXBAI` with the prefix as its body. Ctrl-C
//! prints how many updates it handled.
//!
//! Difference: the original is Python 2 only; this is its intent.
//!
//! Fixed: the snapshot ROUTER has no send limit. At the default limit of
//! 1000 messages a ROUTER drops the rest of a larger snapshot, `KTHXBAI`
//! included, and the client waits for it forever, as it can with the
//! original.

#[path = "kvsimple.rs"]
mod kvsimple;

use std::time::Duration;

use kvsimple::{KvMap, KvMsg};
use zmq::{PollEvents, PollItem, SendFlags, Socket, SocketType, interrupt, sockopt};
use zmq_guide::endpoint;

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

fn main() -> Result<(), kvsimple::Error> {
    // Ctrl-C makes the poll fail, which ends the loop.
    interrupt::catch_signals()?;

    // The context and the three sockets.
    let ctx = zmq::Context::new()?;
    let snapshot = ctx.socket(SocketType::Router)?;
    // A whole snapshot must get through, however large (see above).
    snapshot.set(sockopt::SndHwm, 0)?;
    snapshot.bind(&endpoint("tcp://*:5556"))?;
    let publisher = ctx.socket(SocketType::Pub)?;
    publisher.bind(&endpoint("tcp://*:5557"))?;
    let collector = ctx.socket(SocketType::Pull)?;
    collector.bind(&endpoint("tcp://*:5558"))?;

    let mut sequence = 0;
    let mut kvmap = KvMap::new();

    loop {
        let mut items = [
            PollItem::from_socket(&collector, PollEvents::POLLIN),
            PollItem::from_socket(&snapshot, PollEvents::POLLIN),
        ];
        if zmq::poll(&mut items, Some(Duration::from_secs(1))).is_err() {
            break; // interrupted
        }

        // An update from a client: number it, publish it, keep it.
        if items[0].is_readable() {
            let mut kvmsg = KvMsg::recv(&collector)?;
            sequence += 1;
            kvmsg.sequence = sequence;
            kvmsg.send(&publisher)?;
            kvmsg.store(&mut kvmap);
            println!("I: publishing update {sequence:5}");
        }

        // A client wants the state.
        if items[1].is_readable() {
            let msg = snapshot.recv_multipart()?;
            let [identity, request, subtree] = &msg[..] else {
                return Err(format!("expected 3 frames, got {}", msg.len()).into());
            };
            if request != b"ICANHAZ?" {
                println!("E: bad request, aborting");
                break;
            }

            // Every entry of the subtree to that client...
            let route = Route {
                socket: &snapshot,
                identity,
                subtree,
            };
            for kvmsg in kvmap.values() {
                send_single(kvmsg, &route)?;
            }

            // ...then the end marker with the map's version.
            println!("Sending state shapshot={sequence}");
            snapshot.send_with(&identity[..], SendFlags::SNDMORE)?;
            let mut kvmsg = KvMsg::new(sequence);
            kvmsg.key = Some(b"KTHXBAI".to_vec());
            kvmsg.body = Some(subtree.clone());
            kvmsg.send(&snapshot)?;
        }
    }
    println!(" Interrupted\n{sequence} messages handled");
    Ok(())
}
