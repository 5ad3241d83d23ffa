//! identity: what a ROUTER sees of REQ peers, named and unnamed
//!
//! Self-contained: it needs no other program running.
//!
//! Port of the zguide's `examples/Python/identity.py`: a ROUTER shows the
//! envelope of a request from a REQ without an identity (libzmq makes one
//! up) and from a REQ that set its own.

use zmq::{SocketType, sockopt};
use zmq_guide::zhelpers;

fn main() -> zmq::Result<()> {
    let context = zmq::Context::new()?;

    let sink = context.socket(SocketType::Router)?;
    sink.bind("inproc://example")?;

    // A REQ that leaves its identity unset: libzmq picks one.
    let anonymous = context.socket(SocketType::Req)?;
    anonymous.connect("inproc://example")?;
    anonymous.send("ROUTER uses a generated 5 byte identity")?;
    zhelpers::dump(&sink)?;

    // A REQ that names itself before connecting.
    let identified = context.socket(SocketType::Req)?;
    identified.set(sockopt::RoutingId, b"PEER2")?;
    identified.connect("inproc://example")?;
    identified.send("ROUTER socket uses REQ's socket identity")?;
    zhelpers::dump(&sink)?;
    Ok(())
}
