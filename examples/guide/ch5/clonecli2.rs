//! Clone client, model two
//!
//! Port of the zguide's `examples/Python/clonecli2.py`: subscribes to the
//! updates on tcp://localhost:5557, asks the server on
//! tcp://localhost:5556 for a snapshot of its map (`ICANHAZ?` until
//! `KTHXBAI`), then applies the updates newer than the snapshot, until
//! Ctrl-C. With `ZGUIDE_DUMP_KVMAP=true` it then dumps its map to stderr,
//! one `[seq:..][key:..][size:..] '..'` line per entry, for tests.
//!
//! Difference: the original is Python 2 only; this is its intent.

#[path = "kvsimple.rs"]
mod kvsimple;

use std::time::Duration;

use kvsimple::{KvMap, KvMsg};
use zmq::{SocketType, interrupt, sockopt};
use zmq_guide::{endpoint, setting};

fn main() -> Result<(), kvsimple::Error> {
    // Ctrl-C makes the blocking receives fail, which ends the loops.
    interrupt::catch_signals()?;

    // The context, the snapshot socket and the subscriber.
    let ctx = zmq::Context::new()?;
    let snapshot = ctx.socket(SocketType::Dealer)?;
    snapshot.set(sockopt::Linger, Some(Duration::ZERO))?;
    snapshot.connect(&endpoint("tcp://localhost:5556"))?;
    let subscriber = ctx.socket(SocketType::Sub)?;
    subscriber.set(sockopt::Linger, Some(Duration::ZERO))?;
    subscriber.subscribe(b"")?;
    subscriber.connect(&endpoint("tcp://localhost:5557"))?;

    let mut kvmap = KvMap::new();

    // The snapshot first.
    let mut sequence = 0;
    snapshot.send("ICANHAZ?")?;
    loop {
        let Ok(kvmsg) = KvMsg::recv(&snapshot) else {
            break; // interrupted
        };
        if kvmsg.key.as_deref() == Some(b"KTHXBAI") {
            sequence = kvmsg.sequence;
            println!("Received snapshot={sequence}");
            break;
        }
        kvmsg.store(&mut kvmap);
    }

    // Then the updates that came after it; older ones are dropped.
    while !interrupt::interrupted() {
        let Ok(kvmsg) = KvMsg::recv(&subscriber) else {
            break; // interrupted
        };
        if kvmsg.sequence > sequence {
            sequence = kvmsg.sequence;
            kvmsg.store(&mut kvmap);
        }
    }
    if setting("ZGUIDE_DUMP_KVMAP", false) {
        kvmap.values().for_each(KvMsg::dump);
    }
    Ok(())
}
