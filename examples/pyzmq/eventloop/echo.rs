//! pyzmq examples/eventloop: an echo server on an event loop, by hand
//!
//! Port of `eventloop/echo.py`. A ROUTER on tcp://127.0.0.1:5555 is
//! registered with the crate's reactor (`zmq::reactor`, standing in for
//! tornado's IOLoop) for readability; the handler itself checks
//! `ZMQ_EVENTS`, receives one message, prints its frames and sends it back
//! unchanged, without the reactor's `on_recv` help (see `echostream` for
//! that).

use zmq::reactor::Reactor;
use zmq::{PollEvents, SocketType, sockopt};
use zmq_guide::{endpoint, pyfmt};

/// Python's `repr()` of a list of `bytes`.
fn bytes_list(frames: &[Vec<u8>]) -> String {
    let items: Vec<String> = frames.iter().map(|f| pyfmt::bytes(f)).collect();
    format!("[{}]", items.join(", "))
}

fn echo(sock: &zmq::Socket) -> zmq::Result<()> {
    // Readiness of the loop is a hint: ask the socket whether it can read.
    if !sock.get(sockopt::Events)?.contains(PollEvents::POLLIN) {
        // not a read event
        return Ok(());
    }
    let msg = sock.recv_multipart()?;
    println!("{}", bytes_list(&msg));
    sock.send_multipart(&msg)?;
    // The original re-schedules itself here when more input waits, since
    // tornado watches libzmq's edge-triggered descriptor. The reactor polls
    // with zmq_poll, which is level-triggered: its next pass comes straight
    // back for any message still queued.
    Ok(())
}

fn main() -> zmq::Result<()> {
    let ctx = zmq::Context::new()?;
    let s = ctx.socket(SocketType::Router)?;
    s.bind(&endpoint("tcp://127.0.0.1:5555"))?;

    let mut ioloop = Reactor::new(())?;
    ioloop.add_socket(s, PollEvents::POLLIN, |_, sock| echo(sock));
    ioloop.run()
}
