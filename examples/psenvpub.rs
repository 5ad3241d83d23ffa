//! Pubsub envelope publisher
//!
//! Port of the zguide's `examples/Python/psenvpub.py`: every second, two
//! two-part messages on tcp://*:5563, one under key "A" and one under "B".

use std::thread;
use std::time::Duration;

use zmq::{SendFlags, SocketType};
use zmq_guide::endpoint;

fn main() -> zmq::Result<()> {
    // The context and the publisher.
    let context = zmq::Context::new()?;
    let publisher = context.socket(SocketType::Pub)?;
    publisher.bind(&endpoint("tcp://*:5563"))?;

    loop {
        // Each message: the key frame, then the content frame.
        publisher.send_multipart(
            [&b"A"[..], b"We don't want to see this"],
            SendFlags::empty(),
        )?;
        publisher.send_multipart(
            [&b"B"[..], b"We would like to see this"],
            SendFlags::empty(),
        )?;
        thread::sleep(Duration::from_secs(1));
    }
}
