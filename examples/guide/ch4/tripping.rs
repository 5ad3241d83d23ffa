//! tripping: round-trip figures
//!
//! Port of the zguide's `examples/Python/tripping.py`: a DEALER client, a
//! ROUTER-ROUTER broker and a DEALER worker, each in a thread of one
//! process, measure how many request-replies a second go through the
//! broker: first one at a time (synchronous), then all sent before any is
//! read (asynchronous). The client tells the main thread it is done over a
//! PAIR pipe. The original's 10,000 requests can be changed with
//! `ZGUIDE_REQUESTS`.

use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use zmq::{Context, PollEvents, PollItem, Socket, SocketType, sockopt};
use zmq_guide::zhelpers::zpipe;
use zmq_guide::{endpoint, setting};

fn client_task(ctx: &Context, pipe: &Socket) -> zmq::Result<()> {
    let client = ctx.socket(SocketType::Dealer)?;
    client.set(sockopt::RoutingId, b"C")?;
    client.connect(&endpoint("tcp://localhost:5555"))?;

    println!("Setting up test...");
    thread::sleep(Duration::from_millis(100));

    println!("Synchronous round-trip test...");
    let start = Instant::now();
    let requests: u32 = setting("ZGUIDE_REQUESTS", 10_000);
    for _ in 0..requests {
        client.send("hello")?;
        client.recv()?;
    }
    println!(" {} calls/second", calls_per_second(requests, start));

    println!("Asynchronous round-trip test...");
    let start = Instant::now();
    for _ in 0..requests {
        client.send("hello")?;
    }
    for _ in 0..requests {
        client.recv()?;
    }
    println!(" {} calls/second", calls_per_second(requests, start));

    // Tell the main thread.
    pipe.send("done")
}

/// `requests` over the time since `start`, truncated as `%d` does.
fn calls_per_second(requests: u32, start: Instant) -> u64 {
    (f64::from(requests) / start.elapsed().as_secs_f64()) as u64
}

fn worker_task() -> zmq::Result<()> {
    let ctx = Context::new()?;
    let worker = ctx.socket(SocketType::Dealer)?;
    worker.set(sockopt::RoutingId, b"W")?;
    worker.connect(&endpoint("tcp://localhost:5556"))?;

    loop {
        let msg = worker.recv_multipart()?;
        worker.send_multipart(msg)?;
    }
}

fn broker_task(bound: mpsc::Sender<()>) -> zmq::Result<()> {
    // The broker's context and sockets.
    let ctx = Context::new()?;
    let frontend = ctx.socket(SocketType::Router)?;
    let backend = ctx.socket(SocketType::Router)?;
    frontend.bind(&endpoint("tcp://*:5555"))?;
    backend.bind(&endpoint("tcp://*:5556"))?;
    let _ = bound.send(());

    loop {
        let mut items = [
            PollItem::from_socket(&backend, PollEvents::POLLIN),
            PollItem::from_socket(&frontend, PollEvents::POLLIN),
        ];
        zmq::poll(&mut items, None)?;

        // The client's messages go to W, the worker's to C.
        if items[1].is_readable() {
            let mut msg = frontend.recv_multipart()?;
            msg[0] = b"W".to_vec();
            backend.send_multipart(msg)?;
        }
        if items[0].is_readable() {
            let mut msg = backend.recv_multipart()?;
            msg[0] = b"C".to_vec();
            frontend.send_multipart(msg)?;
        }
    }
}

fn main() -> zmq::Result<()> {
    let ctx = Context::new()?;
    let (client, pipe) = zpipe(&ctx)?;

    // The worker and broker end with the process, as the original's daemon
    // threads do; a failure is printed as its traceback would be. Fix: the
    // original starts the worker first, whose connection then waits for
    // libzmq's reconnect interval (0.1 s), as long as the client's set-up
    // pause; when the client wins, the broker drops its first request to
    // the unknown worker and the synchronous test waits forever. The
    // broker goes first here and the others start once it is bound.
    let (bound, broker_bound) = mpsc::channel();
    thread::spawn(move || {
        if let Err(e) = broker_task(bound) {
            eprintln!("broker: {e}");
        }
    });
    // An error before binding is printed by the broker thread.
    let _ = broker_bound.recv();
    thread::spawn(|| {
        if let Err(e) = worker_task() {
            eprintln!("worker: {e}");
        }
    });
    let client_ctx = ctx.clone();
    let client_thread = thread::spawn(move || {
        let result = client_task(&client_ctx, &pipe);
        if result.is_err() {
            // Wake the main thread all the same, to report the error.
            let _ = pipe.send("failed");
        }
        result
    });

    // Wait until the client says it is done.
    client.recv()?;
    client_thread.join().expect("client thread panicked")
}
