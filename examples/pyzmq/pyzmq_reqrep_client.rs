//! pyzmq classic: the REQ/REP client
//!
//! Port of `reqrep_client.py` from "Learning 0MQ with pyzmq": a REQ socket
//! connects to tcp://localhost:5556 (or the port given as the first
//! argument, and to a second server if a second port is given), sends
//! "Hello" nine times and prints each reply. Ctrl-C stops it cleanly.
//! `ZGUIDE_REQUESTS` sets how many requests it makes (default 9).

use std::time::Duration;

use zmq::{ErrorKind, SocketType, interrupt, sockopt};
use zmq_guide::{endpoint, setting};

/// The port given as argument `index`, or exit with a message.
fn port_arg(index: usize) -> Option<String> {
    let port = std::env::args().nth(index)?;
    if port.parse::<u16>().is_err() {
        eprintln!("invalid port: {port}");
        std::process::exit(2);
    }
    Some(port)
}

fn main() -> zmq::Result<()> {
    let port = port_arg(1).unwrap_or_else(|| "5556".to_owned());
    let port1 = port_arg(2);

    interrupt::catch_signals()?;
    let context = zmq::Context::new()?;
    println!("Connecting to server...");
    let socket = context.socket(SocketType::Req)?;
    socket.connect(&endpoint(&format!("tcp://localhost:{port}")))?;
    if let Some(port1) = &port1 {
        socket.connect(&endpoint(&format!("tcp://localhost:{port1}")))?;
    }

    // Nine round trips by default (requests 1 to 9, as the original's
    // range(1, 10)), each waiting for its answer.
    let requests: u32 = setting("ZGUIDE_REQUESTS", 9);
    let mut result = Ok(());
    for request in 1..=requests {
        println!("Sending request  {request} ...");
        // Send, then wait for the answer; Ctrl-C may end either.
        let reply = socket.send("Hello").and_then(|()| socket.recv());
        match reply {
            Ok(message) => println!(
                "Received reply  {request} [ {} ]",
                String::from_utf8_lossy(&message)
            ),
            Err(e) if e.kind() == ErrorKind::Interrupted => {
                println!("W: interrupt received, stopping...");
                // Fix: a request still queued for a server that never came
                // would hold the context's termination forever (linger
                // defaults to "until sent"); on Ctrl-C it is dropped.
                socket.set(sockopt::Linger, Some(Duration::ZERO))?;
                break;
            }
            Err(e) => {
                result = Err(e);
                break;
            }
        }
    }

    socket.close()?;
    drop(context);
    result
}
