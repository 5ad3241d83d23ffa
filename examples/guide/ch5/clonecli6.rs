//! Clone client, model six
//!
//! Port of the zguide's `examples/Python/clonecli6.py`: a Clone (`clone.rs`)
//! on the subtree `/client/`, connected to the Binary Star pair of
//! `clonesrv6` (tcp://localhost:5556 and tcp://localhost:5566), sets a
//! random key (1 to 10000) to a random value (1 to 1000000) with a random
//! ttl of 0 to 30 seconds every second, until Ctrl-C. The agent logs what
//! it receives, and its failovers, to stderr.
//!
//! For tests: `ZGUIDE_UPDATES` stops the updates after that many,
//! `ZGUIDE_MAX_TTL` lowers the 30, and with `ZGUIDE_DUMP_KVMAP=true` it
//! prints, on the way out, `key=value` for every key it set, as `get`
//! reads it back from the clone.

#[path = "clone.rs"]
mod clone;
#[path = "kvmsg.rs"]
mod kvmsg;

use std::thread;
use std::time::Duration;

use rand::Rng;
use zmq::interrupt;
use zmq_guide::setting;

/// The part of the map this client replicates.
const SUBTREE: &[u8] = b"/client/";

fn main() -> Result<(), kvmsg::Error> {
    // Ctrl-C raises a flag, checked after each pause.
    interrupt::catch_signals()?;
    let updates: u64 = setting("ZGUIDE_UPDATES", u64::MAX);
    let max_ttl: u32 = setting("ZGUIDE_MAX_TTL", 30);

    // The clone and its two servers.
    let mut clone = clone::Clone::new()?;
    clone.set_subtree(SUBTREE)?;
    clone.connect("tcp://localhost", 5556)?;
    clone.connect("tcp://localhost", 5566)?;

    let mut rng = rand::rng();
    let mut keys = Vec::new();
    let mut sent = 0;
    while !interrupt::interrupted() {
        // One random update a second.
        if sent < updates {
            sent += 1;
            let key = rng.random_range(1..=10_000).to_string().into_bytes();
            let value = rng.random_range(1..=1_000_000).to_string().into_bytes();
            clone.set(&key, &value, rng.random_range(0..=max_ttl))?;
            keys.push(key);
        }
        thread::sleep(Duration::from_secs(1));
    }

    if setting("ZGUIDE_DUMP_KVMAP", false) {
        for key in keys {
            let value = clone.get(&key)?;
            println!(
                "{}={}",
                String::from_utf8_lossy(&key),
                String::from_utf8_lossy(&value)
            );
        }
    }
    Ok(())
}
