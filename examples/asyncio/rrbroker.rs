//! Simple request-reply broker, on the event loop
//!
//! Port of the zguide's `examples/Python/asyncio_ioloop/rrbroker.py`: a
//! ROUTER for clients on tcp://*:5559 and a DEALER for workers on
//! tcp://*:5560; each poll forwards whatever either side has to the other,
//! printing every message as a list of frames.

use zmq::asyncio::AsyncSocket;
use zmq::{PollEvents, SocketType};
use zmq_guide::endpoint;
use zmq_guide::event_loop::{poll, run_until_complete};
use zmq_guide::pyfmt;

async fn run_broker(ctx: &zmq::Context) -> zmq::Result<()> {
    let mut frontend = AsyncSocket::with_type(ctx, SocketType::Router)?;
    let mut backend = AsyncSocket::with_type(ctx, SocketType::Dealer)?;
    frontend.bind(&endpoint("tcp://*:5559"))?;
    backend.bind(&endpoint("tcp://*:5560"))?;
    // Shuttle messages between the two sides.
    loop {
        let socks = poll(&mut [&mut frontend, &mut backend], PollEvents::POLLIN).await?;
        if socks[0] == PollEvents::POLLIN {
            let message = frontend.recv_multipart().await?;
            println!("received from frontend: {}", pyfmt::bytes_list(&message));
            backend.send_multipart(message).await?;
        }
        if socks[1] == PollEvents::POLLIN {
            let message = backend.recv_multipart().await?;
            println!("received from backend: {}", pyfmt::bytes_list(&message));
            frontend.send_multipart(message).await?;
        }
    }
}

async fn run(ctx: zmq::Context) -> zmq::Result<()> {
    run_broker(&ctx).await
}

fn main() -> zmq::Result<()> {
    if std::env::args().len() != 1 {
        eprintln!("usage: asyncio_rrbroker");
        std::process::exit(1);
    }
    let ctx = zmq::Context::new()?;
    run_until_complete(run(ctx))
}
