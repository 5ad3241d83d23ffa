//! pyzmq classic: a client of the QUEUE device
//!
//! Port of `queue_client.py` from "Learning 0MQ with pyzmq": a REQ socket
//! connects to the device's client side, tcp://localhost:5559, sends
//! "Hello from <id>" nine times and prints each reply. `ZGUIDE_REQUESTS`
//! sets how many requests it makes (default 9).

use rand::Rng;
use zmq::SocketType;
use zmq_guide::{endpoint, setting};

fn main() -> zmq::Result<()> {
    let context = zmq::Context::new()?;
    println!("Connecting to server...");
    let socket = context.socket(SocketType::Req)?;
    socket.connect(&endpoint("tcp://localhost:5559"))?;
    let client_id: u32 = rand::rng().random_range(1..10005);
    // Nine round trips by default (requests 1 to 9, as the original's
    // range(1, 10)), each waiting for its answer.
    for request in 1..=setting("ZGUIDE_REQUESTS", 9u32) {
        println!("Sending request  {request} ...");
        socket.send(format!("Hello from {client_id}"))?;
        // REQ: the answer must come before the next request.
        let message = socket.recv()?;
        println!(
            "Received reply  {request} [ {} ]",
            String::from_utf8_lossy(&message)
        );
    }
    Ok(())
}
