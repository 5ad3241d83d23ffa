//! Request-reply client
//!
//! Port of the zguide's `examples/Python/rrclient.py`: a REQ socket connected
//! to the broker's frontend, tcp://localhost:5559, sends "Hello" ten times
//! and prints each reply.

use zmq::SocketType;
use zmq_guide::{endpoint, pyfmt};

fn main() -> zmq::Result<()> {
    // The context and the one socket.
    let context = zmq::Context::new()?;
    let socket = context.socket(SocketType::Req)?;
    socket.connect(&endpoint("tcp://localhost:5559"))?;

    // Ten round trips, numbered from 1.
    for request in 1..=10 {
        socket.send(b"Hello")?;
        let message = socket.recv()?;
        println!("Received reply {request} [{}]", pyfmt::bytes(&message));
    }
    Ok(())
}
