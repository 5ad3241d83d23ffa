//! Clone client, model four
//!
//! Port of the zguide's `examples/Python/clonecli4.py`: model three's
//! client (a snapshot from tcp://localhost:5556, then the newer updates
//! from tcp://localhost:5557, and a random update of its own to
//! tcp://localhost:5558 every second, until Ctrl-C) working on the subtree
//! `/client/` alone: it subscribes to that prefix, asks for a snapshot of
//! it, and its own keys are `/client/<n>`. `ZGUIDE_UPDATES` stops its own
//! updates after that many; with `ZGUIDE_DUMP_KVMAP=true` it dumps its map
//! to stderr on the way out, one `[seq:..][key:..][size:..] '..'` line per
//! entry; both for tests.
//!
//! Difference: the original is Python 2 only; this is its intent.

#[path = "kvsimple.rs"]
mod kvsimple;

use std::time::{Duration, Instant};

use kvsimple::{KvMap, KvMsg};
use rand::Rng;
use zmq::{PollEvents, PollItem, SocketType, interrupt, sockopt};
use zmq_guide::{endpoint, setting};

/// The part of the map this client works on.
const SUBTREE: &[u8] = b"/client/";

fn main() -> Result<(), kvsimple::Error> {
    // Ctrl-C makes the blocking calls fail, which ends the loops.
    interrupt::catch_signals()?;
    let mut updates_left: u64 = setting("ZGUIDE_UPDATES", u64::MAX);

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
                kvmsg.store(&mut kvmap);
                println!("I: received update={sequence}");
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
