//! Broker peering simulation (part 3)
//! Prototypes the full flow of status and tasks
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
use zmq::{PollEvents, PollItem, RecvFlags, SendFlags, SocketType, sockopt};
use zmq_guide::endpoint;

const NBR_CLIENTS: usize = 10;
const NBR_WORKERS: usize = 5;

/// Request-reply client using REQ socket
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
            // send request with random hex ID
            let task_id = format!("{:04X}", rng.random_range(0..=10000));
            client.send(&task_id, SendFlags::empty())?;

            // wait max 10 seconds for a reply, then complain
            let mut items = [PollItem::from_socket(&client, PollEvents::POLLIN)];
            zmq::poll(&mut items, Some(Duration::from_millis(10000)))?;

            if items[0].is_readable() {
                let reply = client.recv_string(RecvFlags::empty())?;
                assert_eq!(reply, task_id, "expected {task_id}, got {reply}");
                monitor.send(&reply, SendFlags::empty())?;
            } else {
                monitor.send(
                    format!("E: CLIENT EXIT - lost task {task_id}"),
                    SendFlags::empty(),
                )?;
                return Ok(());
            }
        }
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
    let mut rng = rand::rng();
    loop {
        let msg = worker.recv_multipart(RecvFlags::empty())?;
        // Workers are busy for 0/1 seconds
        thread::sleep(Duration::from_secs(rng.random_range(0..=1)));
        worker.send_multipart(msg, SendFlags::empty())?;
    }
}

fn run(myself: &str, peers: &[String]) -> zmq::Result<()> {
    println!("I: preparing broker at {myself}...");

    // Prepare our context and sockets
    let ctx = zmq::Context::new()?;

    // Bind cloud frontend to endpoint
    let cloudfe = ctx.socket(SocketType::Router)?;
    cloudfe.set(sockopt::RoutingId, myself.as_bytes())?;
    cloudfe.bind(&endpoint(&format!("ipc://{myself}-cloud.ipc")))?;

    // Bind state backend / publisher to endpoint
    let statebe = ctx.socket(SocketType::Pub)?;
    statebe.bind(&endpoint(&format!("ipc://{myself}-state.ipc")))?;

    // Connect cloud and state backends to all peers
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

    // Prepare local frontend and backend
    let localfe = ctx.socket(SocketType::Router)?;
    localfe.bind(&endpoint(&format!("ipc://{myself}-localfe.ipc")))?;
    let localbe = ctx.socket(SocketType::Router)?;
    localbe.bind(&endpoint(&format!("ipc://{myself}-localbe.ipc")))?;

    // Prepare monitor socket
    let monitor = ctx.socket(SocketType::Pull)?;
    monitor.bind(&endpoint(&format!("ipc://{myself}-monitor.ipc")))?;

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
    // Publish-subscribe flow
    // - Poll statefe and process capacity updates
    // - Each time capacity changes, broadcast new value
    // Request-reply flow
    // - Poll primary and process local/cloud replies
    // - While worker available, route localfe to local or cloud

    let mut local_capacity: usize = 0;
    let mut cloud_capacity: usize = 0;
    let mut workers: VecDeque<Vec<u8>> = VecDeque::new();
    let mut rng = rand::rng();

    loop {
        // If we have no workers anyhow, wait indefinitely
        let mut primary = [
            PollItem::from_socket(&localbe, PollEvents::POLLIN),
            PollItem::from_socket(&cloudbe, PollEvents::POLLIN),
            PollItem::from_socket(&statefe, PollEvents::POLLIN),
            PollItem::from_socket(&monitor, PollEvents::POLLIN),
        ];
        let timeout = (local_capacity > 0).then(|| Duration::from_millis(1000));
        zmq::poll(&mut primary, timeout)?;

        let previous = local_capacity;
        // Handle reply from local worker
        let mut msg = None;
        if primary[0].is_readable() {
            let mut frames = localbe.recv_multipart(RecvFlags::empty())?;
            let address = frames.remove(0);
            frames.remove(0);
            workers.push_back(address);
            local_capacity += 1;

            // If it's READY, don't route the message any further
            if frames.last().is_none_or(|last| last != b"READY") {
                msg = Some(frames);
            }
        } else if primary[1].is_readable() {
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

        // Handle capacity updates
        if primary[2].is_readable() {
            let update = statefe.recv_multipart(RecvFlags::empty())?;
            let capacity = String::from_utf8_lossy(&update[1]);
            cloud_capacity = capacity.parse().unwrap_or(0);
        }

        // handle monitor message
        if primary[3].is_readable() {
            println!("{}", monitor.recv_string(RecvFlags::empty())?);
        }

        // Now route as many clients requests as we can handle
        // - If we have local capacity we poll both localfe and cloudfe
        // - If we have cloud capacity only, we poll just localfe
        // - Route any request locally if we can, else to cloud
        while local_capacity + cloud_capacity > 0 {
            let mut secondary = vec![PollItem::from_socket(&localfe, PollEvents::POLLIN)];
            if local_capacity > 0 {
                secondary.push(PollItem::from_socket(&cloudfe, PollEvents::POLLIN));
            }
            zmq::poll(&mut secondary, Some(Duration::ZERO))?;

            // We'll do peer brokers first, to prevent starvation
            let msg = if secondary.get(1).is_some_and(PollItem::is_readable) {
                cloudfe.recv_multipart(RecvFlags::empty())?
            } else if secondary[0].is_readable() {
                localfe.recv_multipart(RecvFlags::empty())?
            } else {
                break; // No work, go back to backends
            };

            if local_capacity > 0 {
                let worker = workers.pop_front().expect("local capacity means a worker");
                let envelope = [worker, Vec::new()];
                localbe.send_multipart(envelope.into_iter().chain(msg), SendFlags::empty())?;
                local_capacity -= 1;
            } else {
                // Route to random broker peer
                let peer = *peers.choose(&mut rng).expect("cloud capacity means a peer");
                let envelope = [peer.to_vec(), Vec::new()];
                cloudbe.send_multipart(envelope.into_iter().chain(msg), SendFlags::empty())?;
            }
        }
        if local_capacity != previous {
            statebe.send_multipart(
                [myself.to_owned(), local_capacity.to_string()],
                SendFlags::empty(),
            )?;
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
