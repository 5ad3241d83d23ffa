//! Weather update server, on the event loop
//!
//! Port of the zguide's `examples/Python/asyncio_ioloop/wuserver.py`: a PUB
//! socket bound to tcp://*:5556 publishes random "zipcode temperature
//! humidity" updates, zip codes 10000 to 10009, as fast as it can.

use zmq::SocketType;
use zmq::asyncio::AsyncSocket;
use zmq_guide::endpoint;
use zmq_guide::event_loop::run_until_complete;

const CLIENT_ADDRESS: &str = "tcp://*:5556";

async fn run_server(ctx: &zmq::Context) -> zmq::Result<()> {
    let mut socket = AsyncSocket::with_type(ctx, SocketType::Pub)?;
    socket.bind(&endpoint(CLIENT_ADDRESS))?;
    loop {
        let zipcode: i32 = rand::random_range(10000..10010);
        let temperature: i32 = rand::random_range(-80..135);
        let relhumidity: i32 = rand::random_range(10..60);
        let msg = format!("{zipcode} {temperature} {relhumidity}");
        socket.send(msg).await?;
    }
}

async fn run(ctx: zmq::Context) -> zmq::Result<()> {
    // As in the original, the server coroutine only returns on an error.
    loop {
        run_server(&ctx).await?;
    }
}

fn main() -> zmq::Result<()> {
    if std::env::args().len() != 1 {
        eprintln!("usage: asyncio_wuserver");
        std::process::exit(1);
    }
    let ctx = zmq::Context::new()?;
    run_until_complete(run(ctx))
}
