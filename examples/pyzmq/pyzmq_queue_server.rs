//! pyzmq classic: a service behind the QUEUE device
//!
//! Port of `queue_server.py` from "Learning 0MQ with pyzmq": a REP socket
//! connects to the device's service side, tcp://localhost:5560, and answers
//! every request with "World from server <id>" after a second, forever.

use std::thread;
use std::time::Duration;

use rand::Rng;
use zmq::SocketType;
use zmq_guide::endpoint;

fn main() -> zmq::Result<()> {
    let context = zmq::Context::new()?;
    let socket = context.socket(SocketType::Rep)?;
    socket.connect(&endpoint("tcp://localhost:5560"))?;
    let server_id: u32 = rand::rng().random_range(1..10005);
    loop {
        // Block until a client's request arrives through the device.
        let message = socket.recv()?;
        println!("Received request:  {}", String::from_utf8_lossy(&message));
        thread::sleep(Duration::from_secs(1));
        socket.send(format!("World from server {server_id}"))?;
    }
}
