//! Pubsub envelope publisher
//!
//! Port of the zguide's `examples/Python/psenvpub.py`: every second, two
//! two-part messages on tcp://*:5563, one under key "A" and one under "B".

use std::thread;
use std::time::Duration;

use zmq::SocketType;
use zmq_guide::endpoint;

fn main() -> zmq::Result<()> {
    // The context and the publisher.
    let context = zmq::Context::new()?;
    let publisher = context.socket(SocketType::Pub)?;
    publisher.bind(&endpoint("tcp://*:5563"))?;

    loop {
        // Each message: the key frame, then the content frame.
        publisher.send_multipart(["A", "We don't want to see this"])?;
        publisher.send_multipart(["B", "We would like to see this"])?;
        thread::sleep(Duration::from_secs(1));
    }
}
