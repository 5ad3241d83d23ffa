//! No protection at all.
//!
//! Every connection is accepted: nobody is authenticated and nothing is
//! private. ZeroMQ worked like this until security became part of its wire
//! protocol in 2013; underneath, this is the "NULL" security mechanism.
//!
//! Port of pyzmq's `examples/security/grasslands.py`.

use zmq::SocketType;
use zmq_guide::endpoint;

fn main() -> zmq::Result<()> {
    let ctx = zmq::Context::instance()?;

    let server = ctx.socket(SocketType::Push)?;
    server.bind(&endpoint("tcp://*:9000"))?;

    let client = ctx.socket(SocketType::Pull)?;
    client.connect(&endpoint("tcp://127.0.0.1:9000"))?;

    server.send("Hello")?;
    let msg = client.recv()?;
    if msg == "Hello" {
        println!("Grasslands test OK");
    }
    Ok(())
}
