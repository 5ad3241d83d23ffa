//! Broker peering simulation (part 2)
//! Prototypes the request-reply flow
//!
//! Port of the zguide's `examples/Python/peering2.py`. Each broker serves its
//! own clients with its own workers and sends a fifth of its requests to a
//! random peer broker. Clients and workers are threads with their own
//! contexts, standing in for separate processes. Run `peering2 me peer...`
//! once per broker and press Enter in each when all are started; it runs
//! until interrupted.

use std::collections::VecDeque;
use std::error::Error;
use std::io::Write;
use std::thread;
use std::time::Duration;

use rand::Rng;
use rand::seq::IndexedRandom;
use zmq::{PollEvents, PollItem, RecvFlags, SendFlags, SocketType, sockopt};
use zmq_guide::{endpoint, pyfmt};

const NBR_CLIENTS: usize = 10;
const NBR_WORKERS: usize = 3;

/// Request-reply client using REQ socket
fn client_task(name: &str, i: usize) -> zmq::Result<()> {
    let ctx = zmq::Context::new()?;
    let client = ctx.socket(SocketType::Req)?;
    client.set(sockopt::RoutingId, format!("Client-{name}-{i}").as_bytes())?;
    client.connect(&endpoint(&format!("ipc://{name}-localfe.ipc")))?;
    loop {
        client.send("HELLO", SendFlags::empty())?;
        let reply = client.recv(RecvFlags::empty())?;
        println!("Client-{i}: {}", pyfmt::bytes(&reply));
        thread::sleep(Duration::from_secs(1));
    }
}

/// Worker using REQ socket to do LRU routing
fn worker_task(name: &str, i: usize) -> zmq::Result<()> {
    let ctx = zmq::Context::new()?;
    let worker = ctx.socket(SocketType::Req)?;
    worker.set(sockopt::RoutingId, format!("Worker-{name}-{i}").as_bytes())?;
    worker.connect(&endpoint(&format!("ipc://{name}-localbe.ipc")))?;

    // Tell broker we're ready for work
    worker.send("READY", SendFlags::empty())?;

    // Process messages as they arrive
    loop {
        let mut msg = worker.recv_multipart(RecvFlags::empty())?;
        // The original's tprint adds a newline to one that ends the text.
        println!("Worker-{i}: {}\n", python_list(&msg));
        if let Some(last) = msg.last_mut() {
            *last = b"OK".to_vec();
        }
        worker.send_multipart(msg, SendFlags::empty())?;
    }
}

/// How Python prints a list of bytes: `[b'Client-me-0', b'', b'HELLO']`.
fn python_list(frames: &[Vec<u8>]) -> String {
    let frames: Vec<String> = frames.iter().map(|frame| pyfmt::bytes(frame)).collect();
    format!("[{}]", frames.join(", "))
}

fn run(myself: &str, peers: &[String]) -> Result<(), Box<dyn Error>> {
    println!("I: preparing broker at {myself}...");

    // Prepare our context and sockets
    let ctx = zmq::Context::new()?;

    // Bind cloud frontend to endpoint
    let cloudfe = ctx.socket(SocketType::Router)?;
    cloudfe.set(sockopt::RoutingId, myself.as_bytes())?;
    cloudfe.bind(&endpoint(&format!("ipc://{myself}-cloud.ipc")))?;

    // Connect cloud backend to all peers
    let cloudbe = ctx.socket(SocketType::Router)?;
    cloudbe.set(sockopt::RoutingId, myself.as_bytes())?;
    for peer in peers {
        println!("I: connecting to cloud frontend at {peer}");
        cloudbe.connect(&endpoint(&format!("ipc://{peer}-cloud.ipc")))?;
    }

    // Fix: the original turns the peers into bytes by looking at peers[0],
    // which fails with an IndexError for a broker started without peers.
    let peers: Vec<&[u8]> = peers.iter().map(|peer| peer.as_bytes()).collect();

    // Prepare local frontend and backend
    let localfe = ctx.socket(SocketType::Router)?;
    localfe.bind(&endpoint(&format!("ipc://{myself}-localfe.ipc")))?;
    let localbe = ctx.socket(SocketType::Router)?;
    localbe.bind(&endpoint(&format!("ipc://{myself}-localbe.ipc")))?;

    // Get user to tell us when we can start...
    print!("Press Enter when all brokers are started: ");
    std::io::stdout().flush()?;
    std::io::stdin().read_line(&mut String::new())?;

    // create workers and clients threads; like the original's daemon
    // threads they die with the broker.
    for i in 0..NBR_WORKERS {
        let name = myself.to_owned();
        thread::spawn(move || worker_task(&name, i));
    }
    for i in 0..NBR_CLIENTS {
        let name = myself.to_owned();
        thread::spawn(move || client_task(&name, i));
    }

    // Interesting part
    // -------------------------------------------------------------
    // Request-reply flow
    // - Poll backends and process local/cloud replies
    // - While worker available, route localfe to local or cloud

    let mut workers: VecDeque<Vec<u8>> = VecDeque::new();
    let mut rng = rand::rng();

    loop {
        // If we have no workers anyhow, wait indefinitely
        let mut backends = [
            PollItem::from_socket(&localbe, PollEvents::POLLIN),
            PollItem::from_socket(&cloudbe, PollEvents::POLLIN),
        ];
        let timeout = (!workers.is_empty()).then(|| Duration::from_millis(1000));
        zmq::poll(&mut backends, timeout)?;

        // Handle reply from local worker
        let mut msg = None;
        if backends[0].is_readable() {
            let mut frames = localbe.recv_multipart(RecvFlags::empty())?;
            let address = frames.remove(0);
            frames.remove(0);
            workers.push_back(address);

            // If it's READY, don't route the message any further
            if frames.last().is_none_or(|last| last != b"READY") {
                msg = Some(frames);
            }
        } else if backends[1].is_readable() {
            let mut frames = cloudbe.recv_multipart(RecvFlags::empty())?;
            // We don't use peer broker address for anything
            frames.drain(..2);
            msg = Some(frames);
        }

        if let Some(msg) = msg {
            let address = &msg[0];
            if peers.contains(&&address[..]) {
                // Route reply to cloud if it's addressed to a broker
                cloudfe.send_multipart(msg, SendFlags::empty())?;
            } else {
                // Route reply to client if we still need to
                localfe.send_multipart(msg, SendFlags::empty())?;
            }
        }

        // Now route as many clients requests as we can handle
        while !workers.is_empty() {
            let mut frontends = [
                PollItem::from_socket(&localfe, PollEvents::POLLIN),
                PollItem::from_socket(&cloudfe, PollEvents::POLLIN),
            ];
            zmq::poll(&mut frontends, Some(Duration::ZERO))?;
            // We'll do peer brokers first, to prevent starvation
            let (msg, reroutable) = if frontends[1].is_readable() {
                (cloudfe.recv_multipart(RecvFlags::empty())?, false)
            } else if frontends[0].is_readable() {
                (localfe.recv_multipart(RecvFlags::empty())?, true)
            } else {
                break; // No work, go back to backends
            };

            // If reroutable, send to cloud 20% of the time
            // Here we'd normally use cloud status information
            if reroutable && !peers.is_empty() && rng.random_range(0..=4) == 0 {
                // Route to random broker peer
                let peer = *peers.choose(&mut rng).expect("peers is not empty");
                let envelope = [peer.to_vec(), Vec::new()];
                cloudbe.send_multipart(envelope.into_iter().chain(msg), SendFlags::empty())?;
            } else {
                let worker = workers.pop_front().expect("a worker is ready");
                let envelope = [worker, Vec::new()];
                localbe.send_multipart(envelope.into_iter().chain(msg), SendFlags::empty())?;
            }
        }
    }
}

fn main() -> Result<(), Box<dyn Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some((myself, peers)) = args.split_first() {
        run(myself, peers)
    } else {
        println!("Usage: peering2 <me> [<peer_1> [... <peer_N>]]");
        std::process::exit(1);
    }
}
