//! peering2: brokers that pass requests to each other
//!
//! A sketch of how requests and replies travel between peered brokers; the
//! status flow of peering1 is left out here and joined in by peering3.
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
use zmq::{PollEvents, PollItem, SocketType, sockopt};
use zmq_guide::{endpoint, pyfmt};

const NBR_CLIENTS: usize = 10;
const NBR_WORKERS: usize = 3;

/// A client thread: a request a second through its broker's local side.
fn client_task(name: &str, i: usize) -> zmq::Result<()> {
    let ctx = zmq::Context::new()?;
    let client = ctx.socket(SocketType::Req)?;
    client.set(sockopt::RoutingId, format!("Client-{name}-{i}").as_bytes())?;
    client.connect(&endpoint(&format!("ipc://{name}-localfe.ipc")))?;
    loop {
        client.send("HELLO")?;
        let reply = client.recv()?;
        println!("Client-{i}: {}", pyfmt::bytes(&reply));
        thread::sleep(Duration::from_secs(1));
    }
}

/// A worker thread: reports in, then answers every request with OK.
fn worker_task(name: &str, i: usize) -> zmq::Result<()> {
    let ctx = zmq::Context::new()?;
    let worker = ctx.socket(SocketType::Req)?;
    worker.set(sockopt::RoutingId, format!("Worker-{name}-{i}").as_bytes())?;
    worker.connect(&endpoint(&format!("ipc://{name}-localbe.ipc")))?;

    // The first message only says "I am free".
    worker.send("READY")?;

    // Answer each request in turn, keeping its envelope.
    loop {
        let mut msg = worker.recv_multipart()?;
        // The original's tprint adds a newline to one that ends the text.
        println!("Worker-{i}: {}\n", python_list(&msg));
        if let Some(last) = msg.last_mut() {
            *last = b"OK".to_vec();
        }
        worker.send_multipart(msg)?;
    }
}

/// How Python prints a list of bytes: `[b'Client-me-0', b'', b'HELLO']`.
fn python_list(frames: &[Vec<u8>]) -> String {
    let frames: Vec<String> = frames.iter().map(|frame| pyfmt::bytes(frame)).collect();
    format!("[{}]", frames.join(", "))
}

fn run(myself: &str, peers: &[String]) -> Result<(), Box<dyn Error>> {
    println!("I: preparing broker at {myself}...");

    // One context for all the broker's sockets.
    let ctx = zmq::Context::new()?;

    // Peers send their overflow requests here, named by our own name.
    let cloudfe = ctx.socket(SocketType::Router)?;
    cloudfe.set(sockopt::RoutingId, myself.as_bytes())?;
    cloudfe.bind(&endpoint(&format!("ipc://{myself}-cloud.ipc")))?;

    // Our overflow goes out through this socket, joined to every peer.
    let cloudbe = ctx.socket(SocketType::Router)?;
    cloudbe.set(sockopt::RoutingId, myself.as_bytes())?;
    for peer in peers {
        println!("I: connecting to cloud frontend at {peer}");
        cloudbe.connect(&endpoint(&format!("ipc://{peer}-cloud.ipc")))?;
    }

    // Fix: the original turns the peers into bytes by looking at peers[0],
    // which fails with an IndexError for a broker started without peers.
    let peers: Vec<&[u8]> = peers.iter().map(|peer| peer.as_bytes()).collect();

    // Our own clients and workers attach to these two.
    let localfe = ctx.socket(SocketType::Router)?;
    localfe.bind(&endpoint(&format!("ipc://{myself}-localfe.ipc")))?;
    let localbe = ctx.socket(SocketType::Router)?;
    localbe.bind(&endpoint(&format!("ipc://{myself}-localbe.ipc")))?;

    // Wait for a key press, so every broker is up before traffic starts.
    print!("Press Enter when all brokers are started: ");
    std::io::stdout().flush()?;
    std::io::stdin().read_line(&mut String::new())?;

    // Workers, then clients, each on a thread; like the original's daemon
    // threads they end with the broker. A failure is printed, as the
    // original's traceback would be.
    for i in 0..NBR_WORKERS {
        let name = myself.to_owned();
        thread::spawn(move || {
            if let Err(e) = worker_task(&name, i) {
                eprintln!("Worker-{name}-{i}: {e}");
            }
        });
    }
    for i in 0..NBR_CLIENTS {
        let name = myself.to_owned();
        thread::spawn(move || {
            if let Err(e) = client_task(&name, i) {
                eprintln!("Client-{name}-{i}: {e}");
            }
        });
    }

    // The routing loop, in two halves:
    // - wait on both back ends and pass on any reply that arrives there;
    // - then, for as long as a local worker is idle, take requests from
    //   the front ends and send each to that worker or to a peer.

    let mut workers: VecDeque<Vec<u8>> = VecDeque::new();
    let mut rng = rand::rng();

    loop {
        // With no idle worker there is nothing else to do: block. With one,
        // come back within a second to look at the front ends.
        let mut backends = [
            PollItem::from_socket(&localbe, PollEvents::POLLIN),
            PollItem::from_socket(&cloudbe, PollEvents::POLLIN),
        ];
        let timeout = (!workers.is_empty()).then(|| Duration::from_millis(1000));
        zmq::poll(&mut backends, timeout)?;

        // One of our workers: it is idle again; pass on its answer, if any.
        let mut msg = None;
        if backends[0].is_readable() {
            let mut frames = localbe.recv_multipart()?;
            let address = frames.remove(0);
            frames.remove(0);
            workers.push_back(address);

            // A bare READY ends here.
            if frames.last().is_none_or(|last| last != b"READY") {
                msg = Some(frames);
            }
        } else if backends[1].is_readable() {
            let mut frames = cloudbe.recv_multipart()?;
            // A peer's answer: its name on the envelope is not needed.
            frames.drain(..2);
            msg = Some(frames);
        }

        if let Some(msg) = msg {
            let address = &msg[0];
            if peers.contains(&&address[..]) {
                // The request came from a peer broker: answer it there.
                cloudfe.send_multipart(msg)?;
            } else {
                // Otherwise it is for one of our own clients.
                localfe.send_multipart(msg)?;
            }
        }

        // Hand out requests while workers are idle.
        while !workers.is_empty() {
            let mut frontends = [
                PollItem::from_socket(&localfe, PollEvents::POLLIN),
                PollItem::from_socket(&cloudfe, PollEvents::POLLIN),
            ];
            zmq::poll(&mut frontends, Some(Duration::ZERO))?;
            // Peers' requests go first, so they are never starved by ours.
            let (msg, reroutable) = if frontends[1].is_readable() {
                (cloudfe.recv_multipart()?, false)
            } else if frontends[0].is_readable() {
                (localfe.recv_multipart()?, true)
            } else {
                break; // Nothing waiting: back to the replies.
            };

            // One local request in five goes to a peer, chosen at random;
            // a real broker would decide from the peers' reported capacity.
            if reroutable && !peers.is_empty() && rng.random_range(0..=4) == 0 {
                let peer = *peers.choose(&mut rng).expect("peers is not empty");
                let envelope = [peer.to_vec(), Vec::new()];
                cloudbe.send_multipart(envelope.into_iter().chain(msg))?;
            } else {
                let worker = workers.pop_front().expect("a worker is ready");
                let envelope = [worker, Vec::new()];
                localbe.send_multipart(envelope.into_iter().chain(msg))?;
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
