//! pyzmq classic: a subscriber behind the FORWARDER device
//!
//! Port of `forwarder_subscriber.py` from "Learning 0MQ with pyzmq": a SUB
//! socket connects to the device's subscriber side, tcp://localhost:5560,
//! keeps topic "9" and prints ten updates. `ZGUIDE_UPDATES` sets how many
//! (default 10).

use zmq::SocketType;
use zmq_guide::{endpoint, setting};

fn main() -> zmq::Result<()> {
    // The SUB socket that listens to the device's output side.
    let context = zmq::Context::new()?;
    let socket = context.socket(SocketType::Sub)?;
    println!("Collecting updates from server...");
    socket.connect(&endpoint("tcp://localhost:5560"))?;
    let topicfilter = "9";
    socket.subscribe(topicfilter)?;
    for _ in 0..setting("ZGUIDE_UPDATES", 10u32) {
        let string = socket.recv_string()?;
        let mut fields = string.split_whitespace();
        let (topic, messagedata) = (
            fields.next().unwrap_or_default(),
            fields.next().unwrap_or_default(),
        );
        println!("{topic} {messagedata}");
    }
    Ok(())
}
