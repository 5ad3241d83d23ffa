//! lbbroker2: the load-balancing broker with threads for clients and workers
//!
//! Port of the zguide's `examples/Python/lbbroker2.py`: the load-balancing
//! broker again, with clients and workers as threads sharing one context
//! over `inproc://`. When the broker is done it terminates the context, which
//! is how the workers learn to stop.

use std::thread;
use std::time::Duration;

use zmq::{ErrorKind, PollEvents, PollItem, SocketType, sockopt};

const NBR_CLIENTS: usize = 10;
const NBR_WORKERS: usize = 3;

/// A worker thread: its REQ socket announces itself, then answers each
/// request the broker routes to it.
fn worker_thread(worker_url: &str, context: zmq::Context, i: usize) -> zmq::Result<()> {
    let socket = context.socket(SocketType::Req)?;

    // Name this worker, so its output says which one served a request.
    socket.set(sockopt::RoutingId, format!("Worker-{i}").as_bytes())?;

    socket.connect(worker_url)?;

    // The first message only says "I am free".
    socket.send("READY")?;

    let identity = String::from_utf8_lossy(&socket.get(sockopt::RoutingId)?).into_owned();
    loop {
        let message = match socket.recv_multipart() {
            Ok(message) => message,
            // The broker ended the context: the normal, quiet way out.
            Err(e) if e.kind() == ErrorKind::Terminated => return Ok(()),
            Err(e) => return Err(e),
        };
        let (address, request) = (&message[0], &message[2]);

        println!("{identity}: {}", String::from_utf8_lossy(request));

        socket.send_multipart(zmq::frames![address, "", "OK"])?;
    }
}

/// A client thread: one REQ round trip through the broker.
fn client_thread(client_url: &str, context: zmq::Context, i: usize) -> zmq::Result<()> {
    let socket = context.socket(SocketType::Req)?;

    // A readable name, so the printed line says who got the reply.
    socket.set(sockopt::RoutingId, format!("Client-{i}").as_bytes())?;

    socket.connect(client_url)?;

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

fn main() -> zmq::Result<()> {
    let url_worker = "inproc://workers";
    let url_client = "inproc://clients";
    let mut client_nbr = NBR_CLIENTS;

    // One context for everything; ROUTERs face the clients and the workers.
    let context = zmq::Context::new()?;
    let frontend = context.socket(SocketType::Router)?;
    frontend.bind(url_client)?;
    let backend = context.socket(SocketType::Router)?;
    backend.bind(url_worker)?;

    // Start the workers, then the clients, each on its own thread.
    let mut threads = Vec::new();
    for i in 0..NBR_WORKERS {
        let context = context.clone();
        threads.push(thread::spawn(move || worker_thread(url_worker, context, i)));
    }
    for i in 0..NBR_CLIENTS {
        let context = context.clone();
        threads.push(thread::spawn(move || client_thread(url_client, context, i)));
    }

    // How the loop balances the load:
    // - the worker side is always watched; a client request is only taken
    //   while some worker is idle;
    // - a message from a worker puts it on the idle list, and if it carries
    //   an answer, that answer goes back to its client;
    // - a request from a client goes to a worker taken off the idle list.

    // Idle workers: how many, and their routing ids.
    let mut available_workers = 0;
    let mut workers_list: Vec<Vec<u8>> = Vec::new();

    loop {
        // Watch both sides each time; the client side is only read below
        // when a worker is idle.
        let mut items = [
            PollItem::from_socket(&backend, PollEvents::POLLIN),
            PollItem::from_socket(&frontend, PollEvents::POLLIN),
        ];
        zmq::poll(&mut items, None)?;

        // A worker spoke.
        if items[0].revents() == PollEvents::POLLIN {
            // Its envelope starts with the routing id it is known by.
            let message = backend.recv_multipart()?;
            assert!(available_workers < NBR_WORKERS);

            let worker_addr = message[0].clone();

            // Whatever it sent, it is idle again.
            available_workers += 1;
            workers_list.push(worker_addr);

            // Then the REQ delimiter.
            assert!(message[1].is_empty());

            // Then either the word READY or the client this answer is for.
            let client_addr = &message[2];

            // An answer: pass it on to that client.
            if client_addr != b"READY" {
                // The client's own delimiter comes next.
                assert!(message[3].is_empty());

                let reply = &message[4];

                frontend.send_multipart(zmq::frames![client_addr, "", reply])?;

                client_nbr -= 1;

                if client_nbr == 0 {
                    break; // Every client has had its answer.
                }
            }
        }

        // A client request is only taken while a worker is idle.
        if available_workers > 0 && items[1].revents() == PollEvents::POLLIN {
            // The request arrives as client id, empty frame, body; it goes
            // to the idle worker at the end of the list.
            let message = frontend.recv_multipart()?;
            let (client_addr, empty, request) = (&message[0], &message[1], &message[2]);

            assert!(empty.is_empty());

            // That worker is busy now.
            available_workers -= 1;
            let worker_id = workers_list.pop().expect("a worker is available");

            backend.send_multipart(zmq::frames![worker_id, "", client_addr, "", request])?;
        }
    }

    // Done: give the last prints a moment, then tear down.
    thread::sleep(Duration::from_secs(1));

    drop(frontend);
    drop(backend);
    // context.term(): the workers' blocking recv returns ContextTerminated.
    context.shutdown()?;

    // Python waits for its (non-daemon) threads before exiting.
    for thread in threads {
        thread.join().expect("thread panicked")?;
    }
    Ok(())
}
