//! Synchronized publisher
//!
//! Port of the zguide's `examples/Python/syncpub.py`: waits until ten
//! subscribers have checked in on tcp://*:5562, then publishes a million
//! "Rhubarb" messages and "END" on tcp://*:5561. `ZGUIDE_SUBSCRIBERS` and
//! `ZGUIDE_UPDATES` lower the ten and the million, for tests.

use zmq::{SocketType, sockopt};
use zmq_guide::endpoint;

fn main() -> zmq::Result<()> {
    // How many subscribers to wait for.
    let subscribers_expected: u32 = zmq_guide::setting("ZGUIDE_SUBSCRIBERS", 10);
    let updates: u32 = zmq_guide::setting("ZGUIDE_UPDATES", 1_000_000);

    let context = zmq::Context::new()?;

    // Updates go out here.
    let publisher = context.socket(SocketType::Pub)?;
    // A high-water mark above the batch size, so no subscriber loses any.
    publisher.set(sockopt::SndHwm, 1_100_000)?;
    publisher.bind(&endpoint("tcp://*:5561"))?;

    // Subscribers check in here.
    let syncservice = context.socket(SocketType::Rep)?;
    syncservice.bind(&endpoint("tcp://*:5562"))?;

    // One request per subscriber, each answered at once.
    let mut subscribers = 0;
    while subscribers < subscribers_expected {
        let _msg = syncservice.recv()?;
        syncservice.send(b"")?;
        subscribers += 1;
        println!("+1 subscriber ({subscribers}/{subscribers_expected})");
    }

    // Everyone is listening: the whole batch, then the end marker.
    for _ in 0..updates {
        publisher.send(b"Rhubarb")?;
    }
    publisher.send(b"END")?;
    Ok(())
}
