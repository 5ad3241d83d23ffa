//! pyzmq examples/eventloop: an echo server as one long-running task
//!
//! Port of `eventloop/echofuture.py`. The original awaits each message in a
//! coroutine spawned on tornado's loop and echoes it back, printing nothing.
//! Here the coroutine's body, "receive a message, send it back", runs as
//! the handler the crate's reactor calls for every message on the ROUTER
//! at tcp://127.0.0.1:5555 (`coroutines` shows the async style, on
//! `zmq::asyncio`).

use zmq::SocketType;
use zmq::reactor::Reactor;
use zmq_guide::endpoint;

fn main() -> zmq::Result<()> {
    let ctx = zmq::Context::new()?;
    let s = ctx.socket(SocketType::Router)?;
    s.bind(&endpoint("tcp://127.0.0.1:5555"))?;

    let mut ioloop = Reactor::new(())?;
    // `async def echo(sock)`: every message goes straight back.
    ioloop.on_recv(s, |_, sock, msg| sock.send_multipart(msg));
    ioloop.run()
}
