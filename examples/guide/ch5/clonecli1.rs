//! Clone client, model one
//!
//! Port of the zguide's `examples/Python/clonecli1.py`: applies every
//! update the model-one server publishes on tcp://localhost:5556 to its own
//! key-value map until Ctrl-C, then prints how many it received. With
//! `ZGUIDE_DUMP_KVMAP=true` it then dumps its map to stderr, one
//! `[seq:..][key:..][size:..] '..'` line per entry, for tests.
//!
//! Difference: the original is Python 2 only; this is its intent.

#[path = "kvsimple.rs"]
mod kvsimple;

use kvsimple::{KvMap, KvMsg};
use zmq::{SocketType, interrupt, sockopt};
use zmq_guide::{endpoint, setting};

fn main() -> Result<(), kvsimple::Error> {
    // Ctrl-C makes the blocking receive fail, which ends the loop.
    interrupt::catch_signals()?;

    // The context and the subscriber to every update.
    let ctx = zmq::Context::new()?;
    let updates = ctx.socket(SocketType::Sub)?;
    updates.set(sockopt::Linger, Some(std::time::Duration::ZERO))?;
    updates.subscribe(b"")?;
    updates.connect(&endpoint("tcp://localhost:5556"))?;

    let mut kvmap = KvMap::new();
    let mut sequence = 0;

    loop {
        let Ok(kvmsg) = KvMsg::recv(&updates) else {
            break; // interrupted
        };
        kvmsg.store(&mut kvmap);
        sequence += 1;
    }
    println!("Interrupted\n{sequence} messages in");
    if setting("ZGUIDE_DUMP_KVMAP", false) {
        kvmap.values().for_each(KvMsg::dump);
    }
    Ok(())
}
