//! Synchronized subscriber
//!
//! Port of the zguide's `examples/Python/syncsub.py`: subscribes on
//! tcp://localhost:5561, checks in with the publisher on
//! tcp://localhost:5562, then counts updates until "END".

use std::thread;
use std::time::Duration;

use zmq::SocketType;
use zmq_guide::endpoint;

fn main() -> zmq::Result<()> {
    let context = zmq::Context::new()?;

    // Subscribe first...
    let subscriber = context.socket(SocketType::Sub)?;
    subscriber.connect(&endpoint("tcp://localhost:5561"))?;
    subscriber.subscribe(b"")?;

    // ...and give the subscription a second to reach the publisher.
    thread::sleep(Duration::from_secs(1));

    // Then check in with the publisher.
    let syncclient = context.socket(SocketType::Req)?;
    syncclient.connect(&endpoint("tcp://localhost:5562"))?;

    // An empty request...
    syncclient.send(b"")?;

    // ...and its empty answer.
    syncclient.recv()?;

    // Count updates until the end marker.
    let mut nbr = 0;
    loop {
        let msg = subscriber.recv()?;
        if &*msg == b"END" {
            break;
        }
        nbr += 1;
    }
    println!("Received {nbr} updates");
    Ok(())
}
