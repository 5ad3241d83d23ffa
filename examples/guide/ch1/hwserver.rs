//! Hello World server
//!
//! Port of the zguide's `examples/Python/hwserver.py`: a REP socket bound to
//! tcp://*:5555 answers every request with "World".

use std::thread;
use std::time::Duration;

use zmq::SocketType;
use zmq_guide::{endpoint, pyfmt};

fn main() -> zmq::Result<()> {
    let context = zmq::Context::new()?;
    let socket = context.socket(SocketType::Rep)?;
    socket.bind(&endpoint("tcp://*:5555"))?;

    loop {
        // Block until a client asks something.
        let message = socket.recv()?;
        println!("Received request: {}", pyfmt::bytes(&message));

        // Pretend the answer takes a while to compute.
        thread::sleep(Duration::from_secs(1));

        // The reply goes back to whoever asked.
        socket.send("World")?;
    }
}
