//! peering3: peered brokers sharing both their capacity and their work
//!
//! The state flow of peering1 and the request flow of peering2 together.
//!
//! Port of the zguide's `examples/Python/peering3.py`. Each broker serves its
//! clients with its workers while it has any, publishes its free capacity to
//! its peers, and sends work to a random peer once its own workers are all
//! busy. Clients report every reply (or a lost task) on a monitor socket,
//! which the broker prints. Clients and workers are threads with their own
//! contexts, standing in for separate processes. Run `peering3 me peer...`
//! once per broker; it runs until interrupted.
//!
//! Fix: under Python 3 the original formats its `bytes` broker name with
//! `%s`, so it prints `b'DC1'` and binds `ipc://b'DC1'-cloud.ipc`; this port
//! uses the plain name, as the C original does, so it meets other ports of
//! peering3 on the same endpoints.

use std::collections::VecDeque;
use std::thread;
use std::time::Duration;

use rand::Rng;
use rand::seq::IndexedRandom;
use zmq::{PollEvents, PollItem, SocketType, sockopt};
use zmq_guide::endpoint;

const NBR_CLIENTS: usize = 10;
const NBR_WORKERS: usize = 5;

/// A client thread: bursts of requests, each checked and reported to the
/// broker's monitor; it gives up after a reply that never comes.
fn client_task(name: &str, i: usize) -> zmq::Result<()> {
    let ctx = zmq::Context::new()?;
    let client = ctx.socket(SocketType::Req)?;
    client.set(sockopt::RoutingId, format!("Client-{name}-{i}").as_bytes())?;
    client.connect(&endpoint(&format!("ipc://{name}-localfe.ipc")))?;
    let monitor = ctx.socket(SocketType::Push)?;
    monitor.connect(&endpoint(&format!("ipc://{name}-monitor.ipc")))?;

    let mut rng = rand::rng();
    loop {
        thread::sleep(Duration::from_secs(rng.random_range(0..=5)));
        for _ in 0..rng.random_range(0..=15) {
            // Each task is named by a random number in hex.
            let task_id = format!("{:04X}", rng.random_range(0..=10000));
            client.send(&task_id)?;

            // Ten seconds without an answer counts as a lost task.
            let mut items = [PollItem::from_socket(&client, PollEvents::POLLIN)];
            zmq::poll(&mut items, Some(Duration::from_millis(10000)))?;

            if items[0].is_readable() {
                let reply = client.recv_string()?;
                assert_eq!(reply, task_id, "expected {task_id}, got {reply}");
                monitor.send(&reply)?;
            } else {
                monitor.send(format!("E: CLIENT EXIT - lost task {task_id}"))?;
                return Ok(());
            }
        }
    }
}

/// A worker thread: reports in, then echoes each request after a pause.
fn worker_task(name: &str, i: usize) -> zmq::Result<()> {
    let ctx = zmq::Context::new()?;
    let worker = ctx.socket(SocketType::Req)?;
    worker.set(sockopt::RoutingId, format!("Worker-{name}-{i}").as_bytes())?;
    worker.connect(&endpoint(&format!("ipc://{name}-localbe.ipc")))?;

    // The first message only says "I am free".
    worker.send("READY")?;

    // Echo each request, envelope and all.
    let mut rng = rand::rng();
    loop {
        let msg = worker.recv_multipart()?;
        // Pretend to work for zero or one second.
        thread::sleep(Duration::from_secs(rng.random_range(0..=1)));
        worker.send_multipart(msg)?;
    }
}

fn run(myself: &str, peers: &[String]) -> zmq::Result<()> {
    println!("I: preparing broker at {myself}...");

    // One context for all the broker's sockets.
    let ctx = zmq::Context::new()?;

    // Peers send their overflow requests here, named by our own name.
    let cloudfe = ctx.socket(SocketType::Router)?;
    cloudfe.set(sockopt::RoutingId, myself.as_bytes())?;
    cloudfe.bind(&endpoint(&format!("ipc://{myself}-cloud.ipc")))?;

    // Our free capacity is published to the peers from here.
    let statebe = ctx.socket(SocketType::Pub)?;
    statebe.bind(&endpoint(&format!("ipc://{myself}-state.ipc")))?;

    // Join every peer twice: to send it work, and to hear its capacity.
    let cloudbe = ctx.socket(SocketType::Router)?;
    let statefe = ctx.socket(SocketType::Sub)?;
    statefe.subscribe(b"")?;
    cloudbe.set(sockopt::RoutingId, myself.as_bytes())?;

    for peer in peers {
        println!("I: connecting to cloud frontend at {peer}");
        cloudbe.connect(&endpoint(&format!("ipc://{peer}-cloud.ipc")))?;
        println!("I: connecting to state backend at {peer}");
        statefe.connect(&endpoint(&format!("ipc://{peer}-state.ipc")))?;
    }
    let peers: Vec<&[u8]> = peers.iter().map(|peer| peer.as_bytes()).collect();

    // Our own clients and workers attach to these two.
    let localfe = ctx.socket(SocketType::Router)?;
    localfe.bind(&endpoint(&format!("ipc://{myself}-localfe.ipc")))?;
    let localbe = ctx.socket(SocketType::Router)?;
    localbe.bind(&endpoint(&format!("ipc://{myself}-localbe.ipc")))?;

    // Clients push their progress reports here.
    let monitor = ctx.socket(SocketType::Pull)?;
    monitor.bind(&endpoint(&format!("ipc://{myself}-monitor.ipc")))?;

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

    // The main loop carries two flows at once:
    // - state: note each peer's capacity as it is published, and publish
    //   ours whenever it has changed;
    // - work: pass on the replies arriving at the back ends, then hand out
    //   front-end requests, locally or to a peer, while anyone can take one.

    let mut local_capacity: usize = 0;
    let mut cloud_capacity: usize = 0;
    let mut workers: VecDeque<Vec<u8>> = VecDeque::new();
    let mut rng = rand::rng();

    loop {
        // With no idle worker there is nothing else to do: block. With one,
        // come back within a second to look at the front ends.
        let mut primary = [
            PollItem::from_socket(&localbe, PollEvents::POLLIN),
            PollItem::from_socket(&cloudbe, PollEvents::POLLIN),
            PollItem::from_socket(&statefe, PollEvents::POLLIN),
            PollItem::from_socket(&monitor, PollEvents::POLLIN),
        ];
        let timeout = (local_capacity > 0).then(|| Duration::from_millis(1000));
        zmq::poll(&mut primary, timeout)?;

        let previous = local_capacity;
        // One of our workers: it is idle again; pass on its answer, if any.
        let mut msg = None;
        if primary[0].is_readable() {
            let mut frames = localbe.recv_multipart()?;
            let address = frames.remove(0);
            frames.remove(0);
            workers.push_back(address);
            local_capacity += 1;

            // A bare READY ends here.
            if frames.last().is_none_or(|last| last != b"READY") {
                msg = Some(frames);
            }
        } else if primary[1].is_readable() {
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

        // A peer published how many workers it has free.
        if primary[2].is_readable() {
            let update = statefe.recv_multipart()?;
            let capacity = String::from_utf8_lossy(&update[1]);
            // The original's int() raises on garbage and stops the broker.
            cloud_capacity = match capacity.parse() {
                Ok(capacity) => capacity,
                Err(e) => {
                    eprintln!(
                        "E: peer {} sent capacity {capacity:?}: {e}",
                        String::from_utf8_lossy(&update[0])
                    );
                    std::process::exit(1);
                }
            };
        }

        // A client's report: print it.
        if primary[3].is_readable() {
            println!("{}", monitor.recv_string()?);
        }

        // Hand out requests while someone can take them. Peers' requests
        // are only accepted while we have an idle worker of our own; our
        // clients' requests go to that worker, or else, when the latest
        // report says some peer has room, to a peer picked at random.
        while local_capacity + cloud_capacity > 0 {
            let mut secondary = vec![PollItem::from_socket(&localfe, PollEvents::POLLIN)];
            if local_capacity > 0 {
                secondary.push(PollItem::from_socket(&cloudfe, PollEvents::POLLIN));
            }
            zmq::poll(&mut secondary, Some(Duration::ZERO))?;

            // Peers' requests go first, so they are never starved by ours.
            let msg = if secondary.get(1).is_some_and(PollItem::is_readable) {
                cloudfe.recv_multipart()?
            } else if secondary[0].is_readable() {
                localfe.recv_multipart()?
            } else {
                break; // Nothing waiting: back to the replies.
            };

            if local_capacity > 0 {
                let worker = workers.pop_front().expect("local capacity means a worker");
                let envelope = [worker, Vec::new()];
                localbe.send_multipart(envelope.into_iter().chain(msg))?;
                local_capacity -= 1;
            } else {
                // Only peers have room: pick one at random.
                let peer = *peers.choose(&mut rng).expect("cloud capacity means a peer");
                let envelope = [peer.to_vec(), Vec::new()];
                cloudbe.send_multipart(envelope.into_iter().chain(msg))?;
            }
        }
        if local_capacity != previous {
            statebe.send_multipart(zmq::frames![myself, local_capacity.to_string()])?;
        }
    }
}

fn main() -> zmq::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some((myself, peers)) = args.split_first() {
        run(myself, peers)
    } else {
        println!("Usage: peering3 <me> [<peer_1> [... <peer_N>]]");
        std::process::exit(1);
    }
}
