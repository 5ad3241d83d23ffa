//! Asynchronous client-to-server (DEALER to ROUTER)
//!
//! Port of the zguide's `examples/Python/asyncsrv.py`. Three DEALER clients
//! send a request a second and print whatever comes back; the server's
//! ROUTER frontend is joined to five DEALER workers by a proxy, and each
//! worker answers a request zero to four times. Everything runs in one
//! process, in threads, until interrupted. A thread that fails prints its
//! error, as the original's thread would print its traceback.

use std::thread;
use std::time::Duration;

use rand::Rng;
use zmq::{PollEvents, PollItem, SocketType, sockopt};
use zmq_guide::{endpoint, pyfmt};

/// A client: one request a second, replies printed as they come.
fn client_task(id: usize) -> zmq::Result<()> {
    let context = zmq::Context::new()?;
    let socket = context.socket(SocketType::Dealer)?;
    let identity = format!("worker-{id}");
    socket.set(sockopt::RoutingId, identity.as_bytes())?;
    socket.connect(&endpoint("tcp://localhost:5570"))?;
    println!("Client {identity} started");
    let mut reqs = 0;
    loop {
        reqs += 1;
        println!("Req #{reqs} sent..");
        socket.send(format!("request #{reqs}"))?;
        for _ in 0..5 {
            let mut items = [PollItem::from_socket(&socket, PollEvents::POLLIN)];
            zmq::poll(&mut items, Some(Duration::from_millis(1000)))?;
            if items[0].is_readable() {
                let msg = socket.recv()?;
                println!("Client {identity} received: {}", pyfmt::bytes(&msg));
            }
        }
    }
}

/// The server: a ROUTER for clients, a DEALER for workers, a proxy between.
fn server_task() -> zmq::Result<()> {
    let context = zmq::Context::new()?;
    let frontend = context.socket(SocketType::Router)?;
    frontend.bind(&endpoint("tcp://*:5570"))?;

    let backend = context.socket(SocketType::Dealer)?;
    backend.bind("inproc://backend")?;

    let mut workers = Vec::new();
    for _ in 0..5 {
        let context = context.clone();
        workers.push(thread::spawn(move || {
            if let Err(e) = server_worker(&context) {
                eprintln!("worker: {e}");
            }
        }));
    }

    zmq::proxy(&frontend, &backend)
}

/// A worker: each request is echoed back zero to four times, slowly.
fn server_worker(context: &zmq::Context) -> zmq::Result<()> {
    let worker = context.socket(SocketType::Dealer)?;
    worker.connect("inproc://backend")?;
    println!("Worker started");
    let mut rng = rand::rng();
    loop {
        let frames = worker.recv_multipart()?;
        let (ident, msg) = (&frames[0], &frames[1]);
        println!(
            "Worker received {} from {}",
            pyfmt::bytes(msg),
            pyfmt::bytes(ident)
        );
        let replies = rng.random_range(0..=4);
        for _ in 0..replies {
            thread::sleep(Duration::from_secs_f64(
                1.0 / f64::from(rng.random_range(1..=10)),
            ));
            worker.send_multipart([ident, msg])?;
        }
    }
}

fn main() -> zmq::Result<()> {
    let server = thread::spawn(server_task);
    for i in 0..3 {
        thread::spawn(move || {
            if let Err(e) = client_task(i) {
                eprintln!("client {i}: {e}");
            }
        });
    }

    server.join().expect("server panicked")
}
