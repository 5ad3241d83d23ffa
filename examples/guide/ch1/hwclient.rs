//! Hello World client
//!
//! Port of the zguide's `examples/Python/hwclient.py`: a REQ socket connected
//! to tcp://localhost:5555 sends "Hello" ten times, printing each "World".
//! `ZGUIDE_REQUESTS` lowers the ten, for tests.

use zmq::SocketType;
use zmq_guide::{endpoint, pyfmt};

fn main() -> zmq::Result<()> {
    let context = zmq::Context::new()?;

    // The socket that talks to the server.
    println!("Connecting to hello world server...");
    let socket = context.socket(SocketType::Req)?;
    socket.connect(&endpoint("tcp://localhost:5555"))?;

    // Ten round trips, one request in flight at a time.
    let requests: u32 = zmq_guide::setting("ZGUIDE_REQUESTS", 10);
    for request in 0..requests {
        println!("Sending request {request} ...");
        socket.send("Hello")?;

        // REQ must read the reply before it may send again.
        let message = socket.recv()?;
        println!("Received reply {request} [ {} ]", pyfmt::bytes(&message));
    }
    Ok(())
}
