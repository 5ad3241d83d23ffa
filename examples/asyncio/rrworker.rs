//! Request-reply worker, on the event loop
//!
//! Port of the zguide's `examples/Python/asyncio_ioloop/rrworker.py`: a REP
//! socket connected to the broker's tcp://localhost:5560 answers each
//! request "X" with "X, World", printing both.

use zmq::SocketType;
use zmq::asyncio::AsyncSocket;
use zmq_guide::event_loop::run_until_complete;
use zmq_guide::{endpoint, pyfmt};

async fn run_worker(ctx: &zmq::Context) -> zmq::Result<()> {
    let mut socket = AsyncSocket::with_type(ctx, SocketType::Rep)?;
    socket.connect(&endpoint("tcp://localhost:5560"))?;
    loop {
        let message = socket.recv_bytes().await?;
        println!("Received request: {}", pyfmt::bytes(&message));
        let reply = format!("{}, World", String::from_utf8_lossy(&message));
        socket.send(reply.as_str()).await?;
        println!("Sent reply: {}", pyfmt::bytes(reply.as_bytes()));
    }
}

async fn run(ctx: zmq::Context) -> zmq::Result<()> {
    run_worker(&ctx).await
}

fn main() -> zmq::Result<()> {
    if std::env::args().len() != 1 {
        eprintln!("usage: asyncio_rrworker");
        std::process::exit(1);
    }
    let ctx = zmq::Context::new()?;
    run_until_complete(run(ctx))
}
