//! flclient1: Freelance client, model 1
//!
//! Port of the zguide's `examples/Python/flclient1.py` (Python 2): asks an
//! echo service (`flserver1`) at one or more endpoints given on the command
//! line. With one endpoint it tries up to three times; with several it
//! tries each once, in order, until one answers. Each try is a fresh REQ
//! socket that waits a second.
//!
//! Its timeout follows `ZGUIDE_TIME_SCALE` (see `zmq_guide::settings`).

use std::time::Duration;

use zmq::{Context, PollEvents, SocketType, sockopt};
use zmq_guide::endpoint;
use zmq_guide::settings::scaled_ms;

const REQUEST_TIMEOUT: u64 = 1000; // ms
const MAX_RETRIES: u32 = 3; // Before we abandon

/// One try: the reply, or nothing if the service stayed silent.
fn try_request(ctx: &Context, endpoint: &str, request: &str) -> zmq::Result<Vec<Vec<u8>>> {
    println!("I: Trying echo service at {endpoint}...");
    let client = ctx.socket(SocketType::Req)?;
    client.set(sockopt::Linger, Some(Duration::ZERO))?; // Terminate early
    client.connect(endpoint)?;
    client.send(request)?;
    let ready = client.poll(PollEvents::POLLIN, Some(scaled_ms(REQUEST_TIMEOUT)))?;
    let reply = if ready.contains(PollEvents::POLLIN) {
        client.recv_multipart()?
    } else {
        Vec::new()
    };
    Ok(reply)
}

fn main() -> zmq::Result<()> {
    let context = Context::new()?;
    let request = "Hello world";
    let mut reply = Vec::new();

    let args: Vec<String> = std::env::args().collect();
    let endpoints: Vec<String> = args.iter().skip(1).map(|arg| endpoint(arg)).collect();
    if endpoints.is_empty() {
        println!("I: syntax: {} <endpoint> ...", args[0]);
    } else if let [endpoint] = &endpoints[..] {
        // One endpoint: retry it.
        for _ in 0..MAX_RETRIES {
            reply = try_request(&context, endpoint, request)?;
            if !reply.is_empty() {
                break; // Success
            }
            println!("W: No response from {endpoint}, retrying");
        }
    } else {
        // Several endpoints: each at most once.
        for endpoint in &endpoints {
            reply = try_request(&context, endpoint, request)?;
            if !reply.is_empty() {
                break; // Success
            }
            println!("W: No response from {endpoint}");
        }
    }

    if !reply.is_empty() {
        println!("Service is running OK");
    }
    Ok(())
}
