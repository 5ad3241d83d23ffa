//! Request-reply client, on the event loop
//!
//! Port of the zguide's `examples/Python/asyncio_ioloop/rrclient.py`: a REQ
//! socket connected to the broker's tcp://localhost:5559 sends "Hello 1" to
//! "Hello N" (N from the argument, 10 by default), each after the previous
//! reply, printing the replies.

use zmq::SocketType;
use zmq::asyncio::AsyncSocket;
use zmq_guide::event_loop::run_until_complete;
use zmq_guide::{endpoint, pyfmt};

async fn run_client(ctx: &zmq::Context, num_requests: u32) -> zmq::Result<()> {
    let mut socket = AsyncSocket::with_type(ctx, SocketType::Req)?;
    socket.connect(&endpoint("tcp://localhost:5559"))?;
    // One request at a time, each waiting for its reply.
    for requestno in 1..=num_requests {
        socket.send(format!("Hello {requestno}")).await?;
        let message = socket.recv_bytes().await?;
        println!("Received reply {requestno} [{}]", pyfmt::bytes(&message));
    }
    Ok(())
}

async fn run(ctx: zmq::Context, num_requests: u32) -> zmq::Result<()> {
    run_client(&ctx, num_requests).await
}

fn main() -> zmq::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let num_requests = match args.as_slice() {
        [] => 10,
        [count] => count
            .parse()
            .unwrap_or_else(|e| usage(&format!("{count:?}: {e}"))),
        _ => usage("too many arguments"),
    };
    let ctx = zmq::Context::new()?;
    run_until_complete(run(ctx, num_requests))
}

fn usage(why: &str) -> ! {
    eprintln!("{why}\nusage: asyncio_rrclient [num_requests]");
    std::process::exit(1)
}
