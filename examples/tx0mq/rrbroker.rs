//! tx0mq's request-reply broker demo, the broker
//!
//! Port of claws/tx0mq's `examples/demo/request-reply-broker/rrbroker.py`:
//! a ROUTER bound to `-f/--frontend_endpoint` (default
//! ipc:///tmp/broker_frontend.ipc) for request clients and a DEALER bound
//! to `-b/--backend_endpoint` (default ipc:///tmp/broker_backend.ipc) for
//! reply servers, joined by a queue device (`zmq::asyncio::proxy`, for
//! tx0mq's `ZmqQueue`). Where the original prints its Python objects (their
//! addresses), the port prints what they are.

#[path = "options.rs"]
mod options;

use zmq::SocketType;
use zmq::asyncio::AsyncSocket;
use zmq_guide::endpoint;
use zmq_guide::event_loop::run_until_complete;

async fn start_queue_device(ctx: zmq::Context, front: String, back: String) -> zmq::Result<()> {
    // tx0mq's reply and request connections are a ROUTER and a DEALER; the
    // queue needs the sockets themselves.
    let mut frontend = AsyncSocket::with_type(&ctx, SocketType::Router)?;
    frontend.bind(&endpoint(&front))?;
    println!("broker's frontend router connection is ready");
    println!("<ROUTER bound to {front}>");
    let mut backend = AsyncSocket::with_type(&ctx, SocketType::Dealer)?;
    backend.bind(&endpoint(&back))?;
    println!("broker's backend dealer connection is ready");
    println!("<DEALER bound to {back}>");
    println!("broker is ready");
    println!("<queue {front} <-> {back}>");
    zmq::asyncio::proxy(&mut frontend, &mut backend).await
}

fn main() -> zmq::Result<()> {
    let [front, back] = options::parse([
        (
            "-f",
            "--frontend_endpoint",
            "ipc:///tmp/broker_frontend.ipc",
        ),
        ("-b", "--backend_endpoint", "ipc:///tmp/broker_backend.ipc"),
    ]);
    let ctx = zmq::Context::new()?;
    run_until_complete(start_queue_device(ctx, front, back))
}
