//! bstarsrv2: a Binary Star server on the reusable Binary Star reactor
//!
//! Port of the zguide's `examples/Python/bstarsrv2.py`: the echo service of
//! `bstarsrv`, with the state machine, heartbeats and voting left to
//! `zmq_guide::bstar`. `-p` runs the primary (clients on 5001, state out on
//! 5003, in from 5004), `-b` the backup (5002, 5004, 5003). Runs until
//! killed, or until the pair breaks (two masters or two slaves).

use zmq::{Socket, SocketType};
use zmq_guide::bstar::BinaryStar;
use zmq_guide::endpoint;

/// The service: echo the request.
fn echo(socket: &Socket, msg: Vec<Vec<u8>>) -> zmq::Result<()> {
    socket.send_multipart(msg)
}

fn main() -> Result<(), zmq_guide::bstar::Error> {
    // -p is the primary, its clients at tcp://localhost:5001; -b the
    // backup, at tcp://localhost:5002.
    let args: Vec<String> = std::env::args().collect();
    let mut star = if args.iter().any(|arg| arg == "-p") {
        let mut star = BinaryStar::new(
            true,
            &endpoint("tcp://*:5003"),
            &endpoint("tcp://localhost:5004"),
            (),
        )?;
        star.register_voter(
            &endpoint("tcp://*:5001"),
            SocketType::Router,
            |_, socket, msg| echo(socket, msg),
        )?;
        star
    } else if args.iter().any(|arg| arg == "-b") {
        let mut star = BinaryStar::new(
            false,
            &endpoint("tcp://*:5004"),
            &endpoint("tcp://localhost:5003"),
            (),
        )?;
        star.register_voter(
            &endpoint("tcp://*:5002"),
            SocketType::Router,
            |_, socket, msg| echo(socket, msg),
        )?;
        star
    } else {
        println!("Usage: bstarsrv2 {{ -p | -b }}\n");
        return Ok(());
    };

    star.start()
}
