//! pyzmq classic: the event-loop echo server
//!
//! Port of pyzmq's `examples/eventloop/echostream.py`: a ROUTER bound to
//! tcp://127.0.0.1:5555, read by an event loop (the original's IOLoop and
//! ZMQStream are `zmq::reactor::Reactor` here), prints every message it
//! gets, frames as Python shows them (`b'\x00k\x8bEg' b'hello'`), and sends
//! it straight back, forever.

use zmq::SocketType;
use zmq::reactor::Reactor;
use zmq_guide::{endpoint, pyfmt};

fn main() -> zmq::Result<()> {
    let mut reactor = Reactor::new(())?;

    let ctx = zmq::Context::new()?;
    let s = ctx.socket(SocketType::Router)?;
    s.bind(&endpoint("tcp://127.0.0.1:5555"))?;

    reactor.on_recv(s, |_ctx, stream, msg| {
        let frames: Vec<String> = msg.iter().map(|frame| pyfmt::bytes(frame)).collect();
        println!("{}", frames.join(" "));
        stream.send_multipart(msg)
    });

    reactor.run()
}
