//! pyzmq examples/eventloop: an echo server with a stream
//!
//! Port of `eventloop/echostream.py`: `echo` with the receiving done by
//! the loop, as pyzmq's `ZMQStream.on_recv` does it. The crate's reactor
//! hands each message's frames to the handler, which prints their reprs on
//! one line and sends the message back from the loop.

use zmq::SocketType;
use zmq::reactor::Reactor;
use zmq_guide::{endpoint, pyfmt};

fn echo(stream: &zmq::Socket, msg: Vec<Vec<u8>>) -> zmq::Result<()> {
    let reprs: Vec<String> = msg.iter().map(|f| pyfmt::bytes(f)).collect();
    println!("{}", reprs.join(" "));
    stream.send_multipart(msg)
}

fn main() -> zmq::Result<()> {
    let mut ioloop = Reactor::new(())?;

    let ctx = zmq::Context::new()?;
    let s = ctx.socket(SocketType::Router)?;
    s.bind(&endpoint("tcp://127.0.0.1:5555"))?;

    ioloop.on_recv(s, |_, stream, msg| echo(stream, msg));

    ioloop.run()
}
