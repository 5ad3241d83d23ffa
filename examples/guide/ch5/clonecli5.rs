//! Clone client, model five
//!
//! Port of the zguide's `examples/Python/clonecli5.py`: model four's
//! client (a snapshot of the subtree `/client/` from tcp://localhost:5556,
//! then the newer updates under it from tcp://localhost:5557, and a random
//! update `/client/<n>` of its own to tcp://localhost:5558 every second,
//! until Ctrl-C) with kvmsg's five frames and ephemeral values: each of its
//! updates carries a random `ttl` of 0 to 30 seconds (0: it never expires),
//! and it reports the server's deletions as well as its updates.
//! `ZGUIDE_UPDATES` stops its own updates after that many and
//! `ZGUIDE_MAX_TTL` lowers the 30; with `ZGUIDE_DUMP_KVMAP=true` it dumps
//! its map to stderr on the way out, one `<< [seq:..][key:..].. >>` line per
//! entry; all three for tests.
//!
//! Difference: the original fails as written (under Python 3 it adds bytes
//! to the text `SUBTREE` and sends text frames; under Python 2 it cannot
//! import kvmsg.py); this is its intent: the subtree as bytes, the `ttl`
//! as decimal text.

#[path = "kvmsg.rs"]
mod kvmsg;

use std::time::{Duration, Instant};

use kvmsg::{KvMap, KvMsg};
use rand::Rng;
use zmq::{PollEvents, PollItem, SocketType, interrupt, sockopt};
use zmq_guide::{endpoint, setting};

/// The part of the map this client works on.
const SUBTREE: &[u8] = b"/client/";

fn main() -> Result<(), kvmsg::Error> {
    // Ctrl-C makes the blocking calls fail, which ends the loops.
    interrupt::catch_signals()?;
    let mut updates_left: u64 = setting("ZGUIDE_UPDATES", u64::MAX);
    let max_ttl: u32 = setting("ZGUIDE_MAX_TTL", 30);

    // The context and the three sockets.
    let ctx = zmq::Context::new()?;
    let snapshot = ctx.socket(SocketType::Dealer)?;
    snapshot.set(sockopt::Linger, Some(Duration::ZERO))?;
    snapshot.connect(&endpoint("tcp://localhost:5556"))?;
    let subscriber = ctx.socket(SocketType::Sub)?;
    subscriber.set(sockopt::Linger, Some(Duration::ZERO))?;
    subscriber.subscribe(SUBTREE)?;
    subscriber.connect(&endpoint("tcp://localhost:5557"))?;
    let publisher = ctx.socket(SocketType::Push)?;
    publisher.set(sockopt::Linger, Some(Duration::ZERO))?;
    publisher.connect(&endpoint("tcp://localhost:5558"))?;

    let mut rng = rand::rng();
    let mut kvmap = KvMap::new();

    // The snapshot first.
    let mut sequence;
    snapshot.send_multipart(zmq::frames!["ICANHAZ?", SUBTREE])?;
    loop {
        let Ok(kvmsg) = KvMsg::recv(&snapshot) else {
            return Ok(()); // interrupted
        };
        if kvmsg.key.as_deref() == Some(b"KTHXBAI") {
            sequence = kvmsg.sequence;
            println!("I: Received snapshot={sequence}");
            break;
        }
        kvmsg.store(&mut kvmap);
    }

    let mut alarm = Instant::now() + Duration::from_secs(1);
    loop {
        let tickless = alarm.saturating_duration_since(Instant::now());
        let mut items = [PollItem::from_socket(&subscriber, PollEvents::POLLIN)];
        if zmq::poll(&mut items, Some(tickless)).is_err() {
            break; // interrupted
        }

        if items[0].is_readable() {
            let kvmsg = KvMsg::recv(&subscriber)?;
            // Older updates than ours, heartbeats included, are dropped.
            if kvmsg.sequence > sequence {
                sequence = kvmsg.sequence;
                let action = if kvmsg.body.is_some() {
                    "update"
                } else {
                    "delete"
                };
                kvmsg.store(&mut kvmap);
                println!("I: received {action}={sequence}");
            }
        }

        // Time for a random update of our own.
        if Instant::now() >= alarm {
            if updates_left > 0 {
                updates_left -= 1;
                let mut kvmsg = KvMsg::new(0);
                let mut key = SUBTREE.to_vec();
                key.extend_from_slice(rng.random_range(1..=10_000).to_string().as_bytes());
                kvmsg.key = Some(key);
                kvmsg.body = Some(rng.random_range(1..=1_000_000).to_string().into_bytes());
                kvmsg.set(b"ttl", rng.random_range(0..=max_ttl).to_string().as_bytes());
                kvmsg.send(&publisher)?;
                kvmsg.store(&mut kvmap);
            }
            alarm = Instant::now() + Duration::from_secs(1);
        }
    }
    println!(" Interrupted\n{sequence} messages in");
    if setting("ZGUIDE_DUMP_KVMAP", false) {
        kvmap.values().for_each(KvMsg::dump);
    }
    Ok(())
}
