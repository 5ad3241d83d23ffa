//! Simple request-reply broker
//!
//! Port of the zguide's `examples/Python/rrbroker.py`: a ROUTER for clients
//! on tcp://*:5559 and a DEALER for workers on tcp://*:5560, with a poll loop
//! moving whole messages (envelope included) between them.

use zmq::{PollEvents, PollItem, SocketType};
use zmq_guide::endpoint;

fn main() -> zmq::Result<()> {
    // The context and both sockets.
    let context = zmq::Context::new()?;
    let frontend = context.socket(SocketType::Router)?;
    let backend = context.socket(SocketType::Dealer)?;
    frontend.bind(&endpoint("tcp://*:5559"))?;
    backend.bind(&endpoint("tcp://*:5560"))?;

    // The poll set: both sockets, for input.
    let mut items = [
        PollItem::from_socket(&frontend, PollEvents::POLLIN),
        PollItem::from_socket(&backend, PollEvents::POLLIN),
    ];

    // Relay in both directions, all frames of a message at once.
    loop {
        zmq::poll(&mut items, None)?;
        if items[0].is_readable() {
            let message = frontend.recv_multipart()?;
            backend.send_multipart(message)?;
        }
        if items[1].is_readable() {
            let message = backend.recv_multipart()?;
            frontend.send_multipart(message)?;
        }
    }
}
