//! peering1: brokers telling each other how many workers they have free
//!
//! Only the state half of broker peering; no requests travel yet.
//!
//! Port of the zguide's `examples/Python/peering1.py`: each broker publishes
//! a random "workers available" figure on its state backend and prints the
//! figures its peers publish. Run it as `peering1 me peer1 peer2 ...`, one
//! process per broker; it runs until interrupted.

use std::thread;
use std::time::Duration;

use rand::Rng;
use zmq::{PollEvents, PollItem, SocketType};
use zmq_guide::{endpoint, pyfmt};

fn run(myself: &str, others: &[String]) -> zmq::Result<()> {
    println!("Hello, I am {myself}");

    let context = zmq::Context::new()?;

    // Our own figure goes out on this publisher...
    let statebe = context.socket(SocketType::Pub)?;

    // ...and the peers' figures come in on this subscriber, unfiltered.
    let statefe = context.socket(SocketType::Sub)?;
    statefe.subscribe(b"")?;

    let bind_address = format!("ipc://{myself}-state.ipc");
    statebe.bind(&endpoint(&bind_address))?;

    for other in others {
        statefe.connect(&endpoint(&format!("ipc://{other}-state.ipc")))?;
        thread::sleep(Duration::from_secs(1));
    }

    let mut rng = rand::rng();
    loop {
        let mut items = [PollItem::from_socket(&statefe, PollEvents::POLLIN)];
        zmq::poll(&mut items, Some(Duration::from_millis(1000)))?;

        // A peer's figure arrived: print it as the original prints a list.
        if items[0].revents() == PollEvents::POLLIN {
            let msg = statefe.recv_multipart()?;
            let frames: Vec<String> = msg.iter().map(|frame| pyfmt::bytes(frame)).collect();
            println!("{myself} Received: [{}]", frames.join(", "));
        } else {
            // A quiet second: publish our endpoint and a made-up count of
            // idle workers.
            let msg = [bind_address.clone(), rng.random_range(1..10).to_string()];
            statebe.send_multipart(msg)?;
        }
    }
}

fn main() -> zmq::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some((myself, others)) = args.split_first() {
        run(myself, others)
    } else {
        println!("Usage: peering1 <myself> <peer_1> ... <peer_N>");
        std::process::exit(1);
    }
}
