//! Hello World server, on the event loop
//!
//! Port of the zguide's `examples/Python/asyncio_ioloop/hwserver.py`: a REP
//! socket bound to tcp://127.0.0.1:5555 answers each request "X" with
//! "X, world" after a second of pretend work. `ZGUIDE_WORK_MS` shortens the
//! second, for tests.

use std::time::Duration;

use zmq::SocketType;
use zmq::asyncio::AsyncSocket;
use zmq_guide::event_loop::run_until_complete;
use zmq_guide::{endpoint, pyfmt};

const URL: &str = "tcp://127.0.0.1:5555";

async fn run(ctx: zmq::Context) -> zmq::Result<()> {
    println!("Getting ready for hello world client.  Ctrl-C to exit.\n");
    let mut socket = AsyncSocket::with_type(&ctx, SocketType::Rep)?;
    socket.bind(&endpoint(URL))?;
    let work = Duration::from_millis(zmq_guide::setting("ZGUIDE_WORK_MS", 1000));
    loop {
        // The next request, whenever a client sends one.
        let message = socket.recv_bytes().await?;
        println!("Received request: {}", pyfmt::bytes(&message));
        // The work, as a sleep that leaves the loop free.
        tokio::time::sleep(work).await;
        // The answer is the request with ", world" after it.
        let reply = format!("{}, world", String::from_utf8_lossy(&message));
        println!("Sending reply: {}", pyfmt::bytes(reply.as_bytes()));
        socket.send(reply).await?;
    }
}

fn main() -> zmq::Result<()> {
    if std::env::args().len() != 1 {
        eprintln!("usage: asyncio_hwserver");
        std::process::exit(1);
    }
    let ctx = zmq::Context::new()?;
    run_until_complete(run(ctx))
}
