//! Clone server, model one
//!
//! Port of the zguide's `examples/Python/clonesrv1.py`: publishes a
//! stream of random key-value updates (keys 1 to 10000, values 1 to
//! 1000000, sequence numbers from 1) on tcp://*:5556 as fast as it can,
//! keeping its own copy of the map, until Ctrl-C; then prints how many it
//! sent. `ZGUIDE_UPDATES` stops the stream after that many updates (the
//! server then waits for Ctrl-C), for tests.
//!
//! Difference: the original is Python 2 only; this is its intent.

#[path = "kvsimple.rs"]
mod kvsimple;

use std::thread;
use std::time::Duration;

use kvsimple::{KvMap, KvMsg};
use rand::Rng;
use zmq::{SocketType, interrupt};
use zmq_guide::{endpoint, setting};

fn main() -> Result<(), kvsimple::Error> {
    // Ctrl-C only raises a flag, which the loop checks.
    interrupt::catch_signals()?;
    let limit: i32 = setting("ZGUIDE_UPDATES", i32::MAX);

    // The context and the publisher.
    let ctx = zmq::Context::new()?;
    let publisher = ctx.socket(SocketType::Pub)?;
    publisher.bind(&endpoint("tcp://*:5556"))?;
    // Give subscribers a moment to connect.
    thread::sleep(Duration::from_millis(200));

    let mut sequence = 0;
    let mut rng = rand::rng();
    let mut kvmap = KvMap::new();

    while !interrupt::interrupted() {
        if sequence == limit {
            thread::sleep(Duration::from_millis(50));
            continue;
        }
        // One random update, out as a key-value message and into our map.
        sequence += 1;
        let mut kvmsg = KvMsg::new(sequence);
        kvmsg.key = Some(rng.random_range(1..=10_000).to_string().into_bytes());
        kvmsg.body = Some(rng.random_range(1..=1_000_000).to_string().into_bytes());
        kvmsg.send(&publisher)?;
        kvmsg.store(&mut kvmap);
    }
    println!(" Interrupted\n{sequence} messages out");
    Ok(())
}
