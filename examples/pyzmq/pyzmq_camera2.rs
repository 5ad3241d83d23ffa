//! pyzmq classic: "Wayne's World", the Camera 2 subscriber
//!
//! Subscribes to everything `pyzmq_pubsub_server` publishes over IPC on
//! ipc://camera2.ipc and prints each message as it arrives, forever.

use zmq::SocketType;
use zmq_guide::endpoint;

fn main() -> zmq::Result<()> {
    let context = zmq::Context::new()?;
    let socket = context.socket(SocketType::Sub)?;
    socket.connect(&endpoint("ipc://camera2.ipc"))?;
    socket.subscribe(b"")?;

    loop {
        let message = socket.recv()?;
        println!("{}", String::from_utf8_lossy(&message));
    }
}
