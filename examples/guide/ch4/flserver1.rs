//! flserver1: Freelance server, model 1
//!
//! Port of the zguide's `examples/Python/flserver1.py` (Python 2): a
//! trivial REP echo service bound at the endpoint given on the command
//! line, for `flclient1`. Runs until killed.

use std::time::Duration;

use zmq::{SocketType, sockopt};
use zmq_guide::endpoint;

fn main() -> zmq::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 2 {
        println!("I: Syntax: {} <endpoint>", args[0]);
        return Ok(());
    }

    let endpoint = endpoint(&args[1]);
    let context = zmq::Context::new()?;
    let server = context.socket(SocketType::Rep)?;
    server.bind(&endpoint)?;

    println!("I: Echo service is ready at {endpoint}");
    loop {
        let msg = server.recv_multipart()?;
        if msg.is_empty() {
            break; // Interrupted
        }
        server.send_multipart(msg)?;
    }

    server.set(sockopt::Linger, Some(Duration::ZERO))?; // Terminate at once
    Ok(())
}
