//! lbbroker: the load-balancing broker
//!
//! Port of the zguide's `examples/Python/lbbroker.py`: ten REQ clients and
//! three REQ workers meet at a broker of two ROUTER sockets, which hands each
//! request to the worker that has waited longest. Clients and workers run in
//! this process, each with its own context as the original's
//! `multiprocessing` children have.

use std::collections::VecDeque;
use std::thread;

use zmq::{PollEvents, PollItem, SocketType, sockopt};
use zmq_guide::endpoint;

const NBR_CLIENTS: usize = 10;
const NBR_WORKERS: usize = 3;

/// A client: one REQ round trip through the broker, then print the answer.
fn client_task(ident: usize) -> zmq::Result<()> {
    let socket = zmq::Context::new()?.socket(SocketType::Req)?;
    socket.set(sockopt::RoutingId, format!("Client-{ident}").as_bytes())?;
    socket.connect(&endpoint("ipc://frontend.ipc"))?;

    // One request out, one reply back.
    socket.send("HELLO")?;
    let reply = socket.recv()?;
    let identity = socket.get(sockopt::RoutingId)?;
    println!(
        "{}: {}",
        String::from_utf8_lossy(&identity),
        String::from_utf8_lossy(&reply)
    );
    Ok(())
}

/// A worker: its REQ socket first reports in, then answers whatever the
/// broker routes to it.
fn worker_task(ident: usize) -> zmq::Result<()> {
    let socket = zmq::Context::new()?.socket(SocketType::Req)?;
    socket.set(sockopt::RoutingId, format!("Worker-{ident}").as_bytes())?;
    socket.connect(&endpoint("ipc://backend.ipc"))?;

    // The first message only says "I am free".
    socket.send("READY")?;

    let identity = String::from_utf8_lossy(&socket.get(sockopt::RoutingId)?).into_owned();
    loop {
        let [address, _empty, request] = three_frames(socket.recv_multipart()?);
        println!("{identity}: {}", String::from_utf8_lossy(&request));
        socket.send_multipart(zmq::frames![address, "", "OK"])?;
    }
}

/// Unpacks `address, empty, request = socket.recv_multipart()`.
fn three_frames(message: Vec<Vec<u8>>) -> [Vec<u8>; 3] {
    message
        .try_into()
        .unwrap_or_else(|m: Vec<Vec<u8>>| panic!("expected 3 frames, got {}", m.len()))
}

/// The broker: match waiting client requests with idle workers.
fn main() -> zmq::Result<()> {
    // The broker's context and its two ROUTERs. The original terminates its
    // Context.instance() at the end; a context of our own, dropped at the
    // end, does the same: it waits until the last replies are sent.
    let context = zmq::Context::new()?;
    let frontend = context.socket(SocketType::Router)?;
    frontend.bind(&endpoint("ipc://frontend.ipc"))?;
    let backend = context.socket(SocketType::Router)?;
    backend.bind(&endpoint("ipc://backend.ipc"))?;

    // Clients and workers start in the background. Workers never return on
    // their own; like the original's daemons they end with the broker, and
    // like an uncaught exception there, a failure is printed.
    let clients: Vec<_> = (0..NBR_CLIENTS)
        .map(|i| thread::spawn(move || client_task(i)))
        .collect();
    for i in 0..NBR_WORKERS {
        thread::spawn(move || {
            if let Err(e) = worker_task(i) {
                eprintln!("Worker-{i}: {e}");
            }
        });
    }

    // Replies still owed, whether clients are being read, idle workers.
    let mut count = NBR_CLIENTS;
    let mut backend_ready = false;
    let mut workers: VecDeque<Vec<u8>> = VecDeque::new();

    loop {
        // Watch the workers always; watch the clients only while some
        // worker is idle.
        let mut items = vec![PollItem::from_socket(&backend, PollEvents::POLLIN)];
        if backend_ready {
            items.push(PollItem::from_socket(&frontend, PollEvents::POLLIN));
        }
        zmq::poll(&mut items, None)?;
        let backend_in = items[0].is_readable();
        let frontend_in = items.get(1).is_some_and(PollItem::is_readable);

        if backend_in {
            // A worker spoke, so it is idle now.
            let request = backend.recv_multipart()?;
            let (worker, client) = (request[0].clone(), request[2].clone());
            workers.push_back(worker);
            if !workers.is_empty() && !backend_ready {
                // Someone can take work: start reading client requests.
                backend_ready = true;
            }
            if client != b"READY" && request.len() > 3 {
                // Not just READY: an answer to pass on to its client.
                let reply = &request[4];
                frontend.send_multipart(zmq::frames![client, "", reply])?;
                count -= 1;
                if count == 0 {
                    break;
                }
            }
        }

        if frontend_in {
            // A client request goes to the worker idle the longest.
            let [client, _empty, request] = three_frames(frontend.recv_multipart()?);
            let worker = workers
                .pop_front()
                .expect("polled only with a worker ready");
            backend.send_multipart(zmq::frames![worker, "", client, "", request])?;
            if workers.is_empty() {
                // Nobody left to take work: stop reading clients.
                backend_ready = false;
            }
        }
    }

    // Clean up
    drop(backend);
    drop(frontend);
    drop(context);

    // Fix: the original's daemon processes die as soon as the broker exits,
    // sometimes before the last client has printed its reply. Every client
    // has its reply by now, so waiting for them costs nothing and shows all
    // ten lines.
    for client in clients {
        client.join().expect("client panicked")?;
    }
    Ok(())
}
