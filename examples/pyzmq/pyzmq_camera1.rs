//! pyzmq classic: "Wayne's World", the Camera 1 subscriber
//!
//! Subscribes to everything `pyzmq_pubsub_server` publishes over TCP on
//! tcp://localhost:5556 and prints each message as it arrives, forever.

use zmq::SocketType;
use zmq_guide::endpoint;

fn main() -> zmq::Result<()> {
    let context = zmq::Context::new()?;
    let socket = context.socket(SocketType::Sub)?;
    socket.connect(&endpoint("tcp://localhost:5556"))?;
    socket.subscribe(b"")?;

    loop {
        let message = socket.recv()?;
        println!("{}", String::from_utf8_lossy(&message));
    }
}
