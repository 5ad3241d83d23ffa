//! pyzmq classic: the REQ/REP server
//!
//! Port of `reqrep_server.py` from "Learning 0MQ with pyzmq": a REP socket
//! on tcp://*:5556 (or the port given as the first argument) answers every
//! request with "World from <port>" after a second's work. Ctrl-C stops it
//! cleanly, closing the socket and the context, as the widely taught
//! variant's `except KeyboardInterrupt` does.

use std::thread;
use std::time::Duration;

use zmq::{ErrorKind, SocketType, interrupt};
use zmq_guide::endpoint;

/// The `except KeyboardInterrupt` part.
fn stopping() -> zmq::Result<()> {
    println!("W: interrupt received, stopping...");
    Ok(())
}

fn main() -> zmq::Result<()> {
    let port = std::env::args().nth(1).unwrap_or_else(|| "5556".to_owned());
    if port.parse::<u16>().is_err() {
        eprintln!("invalid port: {port}");
        std::process::exit(2);
    }

    interrupt::catch_signals()?;
    let context = zmq::Context::new()?;
    let socket = context.socket(SocketType::Rep)?;
    socket.bind(&endpoint(&format!("tcp://*:{port}")))?;

    let result = loop {
        // Ctrl-C during the second of work stops it too, not only Ctrl-C
        // during the wait.
        if interrupt::interrupted() {
            break stopping();
        }
        // Block until a request arrives.
        let message = match socket.recv() {
            Ok(message) => message,
            Err(e) if e.kind() == ErrorKind::Interrupted => break stopping(),
            Err(e) => break Err(e),
        };
        // Python 2's `print "Received request: ", message`: two spaces.
        println!("Received request:  {}", String::from_utf8_lossy(&message));
        thread::sleep(Duration::from_secs(1));
        if let Err(e) = socket.send(format!("World from {port}")) {
            break Err(e);
        }
    };

    // The `finally` part: close the socket, terminate the context.
    socket.close()?;
    drop(context);
    result
}
