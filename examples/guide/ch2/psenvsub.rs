//! Pubsub envelope subscriber
//!
//! Port of the zguide's `examples/Python/psenvsub.py`: subscribes to key "B"
//! on tcp://localhost:5563 and prints each message's key and content.

use zmq::SocketType;
use zmq_guide::{endpoint, pyfmt};

fn main() -> zmq::Result<()> {
    // The context and the subscriber.
    let context = zmq::Context::new()?;
    let subscriber = context.socket(SocketType::Sub)?;
    subscriber.connect(&endpoint("tcp://localhost:5563"))?;
    subscriber.subscribe(b"B")?;

    loop {
        // The key frame, then the content frame.
        let frames = subscriber.recv_multipart()?;
        let [address, contents] = &frames[..] else {
            panic!("expected two frames, got {}", frames.len());
        };
        println!("[{}] {}", pyfmt::bytes(address), pyfmt::bytes(contents));
    }
}
