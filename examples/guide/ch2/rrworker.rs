//! Request-reply service
//!
//! Port of the zguide's `examples/Python/rrworker.py`: a REP socket connected
//! to the broker's backend, tcp://localhost:5560, answers "World" to every
//! request.

use zmq::SocketType;
use zmq_guide::{endpoint, pyfmt};

fn main() -> zmq::Result<()> {
    let context = zmq::Context::new()?;
    let socket = context.socket(SocketType::Rep)?;
    socket.connect(&endpoint("tcp://localhost:5560"))?;

    loop {
        let message = socket.recv()?;
        println!("Received request: {}", pyfmt::bytes(&message));
        socket.send(b"World")?;
    }
}
