//! Hello World client, on the event loop
//!
//! Port of the zguide's `examples/Python/asyncio_ioloop/hwclient.py`: a REQ
//! socket connected to tcp://127.0.0.1:5555 sends "<ident> Hello <n>" ten
//! times, each after the previous reply, printing what goes and comes back.
//! `ZGUIDE_REQUESTS` lowers the ten, for tests.

use zmq::SocketType;
use zmq::asyncio::AsyncSocket;
use zmq_guide::event_loop::run_until_complete;
use zmq_guide::{endpoint, pyfmt};

const URL: &str = "tcp://127.0.0.1:5555";

async fn run(ctx: zmq::Context, ident: String) -> zmq::Result<()> {
    // The socket that talks to the server.
    println!("Connecting to hello world server.  Ctrl-C to exit early.\n");
    let mut socket = AsyncSocket::with_type(&ctx, SocketType::Req)?;
    socket.connect(&endpoint(URL))?;
    // One request in flight at a time, each waiting for its reply.
    let requests: u32 = zmq_guide::setting("ZGUIDE_REQUESTS", 10);
    for request in 0..requests {
        let message = format!("{ident} Hello {request}");
        println!("Sending message: {}", pyfmt::bytes(message.as_bytes()));
        socket.send(message).await?;
        let reply = socket.recv_bytes().await?;
        println!("Received reply: {}", pyfmt::bytes(&reply));
    }
    println!("exiting");
    Ok(())
}

fn main() -> zmq::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [ident] = <[String; 1]>::try_from(args).unwrap_or_else(|_| {
        eprintln!("usage: asyncio_hwclient <ident>");
        std::process::exit(1)
    });
    let ctx = zmq::Context::new()?;
    run_until_complete(run(ctx, ident))
}
