//! Simple message queuing broker
//!
//! Port of the zguide's `examples/Python/msgqueue.py`: rrbroker's ROUTER
//! (tcp://*:5559) and DEALER (tcp://*:5560), joined by `zmq::proxy` instead
//! of a hand-written poll loop.

use zmq::SocketType;
use zmq_guide::endpoint;

fn main() -> zmq::Result<()> {
    let context = zmq::Context::new()?;

    // Clients connect here.
    let frontend = context.socket(SocketType::Router)?;
    frontend.bind(&endpoint("tcp://*:5559"))?;

    // Services connect here.
    let backend = context.socket(SocketType::Dealer)?;
    backend.bind(&endpoint("tcp://*:5560"))?;

    // Blocks for as long as the context lives.
    zmq::proxy(&frontend, &backend)?;

    // Not reached; the tidy-up the original writes anyway.
    frontend.close()?;
    backend.close()?;
    drop(context);
    Ok(())
}
