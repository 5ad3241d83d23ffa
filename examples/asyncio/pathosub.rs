//! Pathological subscriber, on the event loop
//!
//! Port of the zguide's `examples/Python/asyncio_ioloop/pathosub.py`: a SUB
//! socket connected to tcp://127.0.0.1:5555 subscribes to topic `005` and
//! prints the body of every `[topic, body]` message as Python prints
//! `bytes`.
//!
//! The original also registers the socket with a `Poller` for POLLOUT that
//! it never polls; nothing of it shows, so the port leaves it out.

use std::error::Error;

use zmq::SocketType;
use zmq::asyncio::AsyncSocket;
use zmq_guide::event_loop::run_until_complete;
use zmq_guide::{endpoint, pyfmt};

const URL: &str = "tcp://127.0.0.1:5555";

async fn run(ctx: zmq::Context) -> Result<(), Box<dyn Error>> {
    let mut subscriber = AsyncSocket::with_type(&ctx, SocketType::Sub)?;
    subscriber.connect(&endpoint(URL))?;
    let subscription = format!("{:03}", 5);
    subscriber.subscribe(&subscription)?;
    loop {
        let frames = subscriber.recv_multipart().await?;
        // Two frames or nothing, as Python's unpacking demands.
        let [_topic, data] = <[Vec<u8>; 2]>::try_from(frames)
            .map_err(|frames| format!("expected 2 frames, got {}", frames.len()))?;
        println!("{}", pyfmt::bytes(&data));
    }
}

fn main() -> Result<(), Box<dyn Error>> {
    if std::env::args().len() != 1 {
        eprintln!("usage: asyncio_pathosub");
        std::process::exit(1);
    }
    let ctx = zmq::Context::new()?;
    run_until_complete(run(ctx))
}
