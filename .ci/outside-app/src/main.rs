//! Uses the `zmq` crate from outside its workspace: prints the linked
//! libzmq's version and capabilities, then passes a request and a reply over
//! `inproc://`; with the `draft` feature, also a CLIENT/SERVER round trip.

use std::error::Error;
use std::time::Duration;

use zmq::{Capability, Context, SocketType, sockopt};

/// How long any receive may wait before the program fails instead of hanging.
const DEADLINE: Duration = Duration::from_secs(10);

fn main() -> Result<(), Box<dyn Error>> {
    let (major, minor, patch) = zmq::version();
    println!(
        "libzmq {major}.{minor}.{patch}, curve: {}, draft: {}",
        zmq::has(Capability::Curve),
        zmq::has(Capability::Draft)
    );

    let context = Context::new()?;
    let server = context.socket(SocketType::Rep)?;
    server.set(sockopt::RcvTimeo, Some(DEADLINE))?;
    server.bind("inproc://outside-app")?;
    let client = context.socket(SocketType::Req)?;
    client.set(sockopt::RcvTimeo, Some(DEADLINE))?;
    client.connect("inproc://outside-app")?;

    client.send("ping")?;
    let request = server.recv()?;
    server.send("pong")?;
    let reply = client.recv()?;
    println!(
        "REQ/REP over inproc: {} -> {}",
        String::from_utf8_lossy(&request),
        String::from_utf8_lossy(&reply)
    );

    #[cfg(feature = "draft")]
    draft_round_trip(&context)?;
    Ok(())
}

/// A CLIENT asks, the SERVER answers to the routing id it received with.
#[cfg(feature = "draft")]
fn draft_round_trip(context: &Context) -> Result<(), Box<dyn Error>> {
    use zmq::ThreadSafeType;

    let server = context.thread_safe_socket(ThreadSafeType::Server)?;
    server.set(sockopt::RcvTimeo, Some(DEADLINE))?;
    server.bind("inproc://outside-app-draft")?;
    let client = context.thread_safe_socket(ThreadSafeType::Client)?;
    client.set(sockopt::RcvTimeo, Some(DEADLINE))?;
    client.connect("inproc://outside-app-draft")?;

    client.send("hello")?;
    let request = server.recv()?;
    let Some(peer) = request.routing_id() else {
        return Err("the SERVER received a message without a routing id".into());
    };
    server.send_to(peer, "world")?;
    let reply = client.recv()?;
    println!(
        "CLIENT/SERVER over inproc: {} -> {}",
        String::from_utf8_lossy(&request),
        String::from_utf8_lossy(&reply)
    );
    Ok(())
}
