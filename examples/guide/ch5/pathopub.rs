//! Pathological publisher
//!
//! Port of the zguide's `examples/Python/pathopub.py`: binds a PUB socket
//! (to the URL given as argument, by default tcp://*:5556), waits a second
//! for subscribers, sends one message on each of 1000 topics (`000` to
//! `999`, "Save Roger"), then one on a random topic every second ("Off
//! with his head!") until Ctrl-C.
//!
//! Difference: the original is Python 2 only; this is its intent.

use std::thread;
use std::time::Duration;

use rand::Rng;
use zmq::{SocketType, interrupt};
use zmq_guide::endpoint;

fn main() -> zmq::Result<()> {
    // Ctrl-C raises a flag, checked after each pause.
    interrupt::catch_signals()?;
    let url = std::env::args().nth(1);

    let ctx = zmq::Context::new()?;
    let publisher = ctx.socket(SocketType::Pub)?;
    publisher.bind(&endpoint(url.as_deref().unwrap_or("tcp://*:5556")))?;
    // Let subscribers connect first.
    thread::sleep(Duration::from_secs(1));

    // All 1000 topics, once.
    for topic_nbr in 0..1000 {
        publisher.send_multipart([format!("{topic_nbr:03}").as_bytes(), b"Save Roger"])?;
    }

    let mut rng = rand::rng();
    loop {
        // Then one random update a second.
        thread::sleep(Duration::from_secs(1));
        if interrupt::interrupted() {
            println!("interrupted");
            break;
        }
        let topic = format!("{:03}", rng.random_range(0..=999));
        publisher.send_multipart([topic.as_bytes(), b"Off with his head!"])?;
    }
    Ok(())
}
