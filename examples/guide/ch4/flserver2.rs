//! flserver2: Freelance server, model 2
//!
//! Port of the zguide's `examples/Python/flserver2.py` (Python 2): a REP
//! service bound at the endpoint given on the command line that answers
//! each `[sequence, request]` with `[sequence, "OK"]`, for `flclient2`,
//! which sends every request to all its servers and takes the first
//! answer. Runs until killed.

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

    println!("I: Service is ready at {endpoint}");
    loop {
        let request = server.recv_multipart()?;
        if request.is_empty() {
            break; // Interrupted
        }
        // A wrong client makes the server fail loudly, as intended.
        assert_eq!(request.len(), 2, "expected [sequence, request]");

        let address = &request[0];
        let reply: [&[u8]; 2] = [address, b"OK"];
        server.send_multipart(reply)?;
    }

    server.set(sockopt::Linger, Some(Duration::ZERO))?; // Terminate early
    Ok(())
}
