//! flserver3: Freelance server, model 3
//!
//! Port of the zguide's `examples/Python/flserver3.py` (Python 2): a ROUTER
//! service whose identity is the endpoint its clients connect to, so a
//! ROUTER client (`flcliapi`, in `flclient3`) can address it by that name.
//! It answers a PING with a PONG and any other request with OK. `-v`
//! dumps each reply. Runs until killed.

use zmq::{SocketType, sockopt};
use zmq_guide::endpoint;
use zmq_guide::zhelpers::dump_frames;

fn main() -> zmq::Result<()> {
    let verbose = std::env::args().any(|arg| arg == "-v");

    let ctx = zmq::Context::new()?;
    // The identity clients know the server by.
    let bind_endpoint = endpoint("tcp://*:5555");
    let connect_endpoint = endpoint("tcp://localhost:5555");
    let server = ctx.socket(SocketType::Router)?;
    server.set(sockopt::RoutingId, connect_endpoint.as_bytes())?;
    server.bind(&bind_endpoint)?;
    println!("I: service is ready at {bind_endpoint}");

    // A failed receive (interrupted) ends the loop.
    while let Ok(request) = server.recv_multipart() {
        // Frame 0: the client's identity; frame 1: PING, or the client's
        // sequence number; then the request body.
        let [address, control, ..] = &request[..] else {
            continue;
        };
        let mut reply = vec![address.clone(), control.clone()];
        if control == b"PING" {
            reply[1] = b"PONG".to_vec();
        } else {
            reply.push(b"OK".to_vec());
        }
        if verbose {
            dump_frames(&reply);
        }
        server.send_multipart(reply)?;
    }
    println!("W: interrupted");
    Ok(())
}
