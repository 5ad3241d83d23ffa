//! Least-recently used (LRU) queue device
//!
//! Port of the zguide's `examples/Python/lbbroker2.py`: the load-balancing
//! broker again, with clients and workers as threads sharing one context
//! over `inproc://`. When the broker is done it terminates the context, which
//! is how the workers learn to stop.

use std::thread;
use std::time::Duration;

use zmq::{ErrorKind, PollEvents, PollItem, RecvFlags, SendFlags, SocketType, sockopt};

const NBR_CLIENTS: usize = 10;
const NBR_WORKERS: usize = 3;

/// Worker using REQ socket to do LRU routing
fn worker_thread(worker_url: &str, context: zmq::Context, i: usize) -> zmq::Result<()> {
    let socket = context.socket(SocketType::Req)?;

    // set worker identity
    socket.set(sockopt::RoutingId, format!("Worker-{i}").as_bytes())?;

    socket.connect(worker_url)?;

    // Tell the broker we are ready for work
    socket.send("READY", SendFlags::empty())?;

    let identity = String::from_utf8_lossy(&socket.get(sockopt::RoutingId)?).into_owned();
    loop {
        let message = match socket.recv_multipart(RecvFlags::empty()) {
            Ok(message) => message,
            // context terminated so quit silently
            Err(e) if e.kind() == ErrorKind::Terminated => return Ok(()),
            Err(e) => return Err(e),
        };
        let (address, request) = (&message[0], &message[2]);

        println!("{identity}: {}", String::from_utf8_lossy(request));

        socket.send_multipart([&address[..], b"", b"OK"], SendFlags::empty())?;
    }
}

/// Basic request-reply client using REQ socket
fn client_thread(client_url: &str, context: zmq::Context, i: usize) -> zmq::Result<()> {
    let socket = context.socket(SocketType::Req)?;

    // Set client identity. Makes tracing easier
    socket.set(sockopt::RoutingId, format!("Client-{i}").as_bytes())?;

    socket.connect(client_url)?;

    //  Send request, get reply
    socket.send("HELLO", SendFlags::empty())?;
    let reply = socket.recv(RecvFlags::empty())?;

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

    // Prepare our context and sockets
    let context = zmq::Context::new()?;
    let frontend = context.socket(SocketType::Router)?;
    frontend.bind(url_client)?;
    let backend = context.socket(SocketType::Router)?;
    backend.bind(url_worker)?;

    // create workers and clients threads
    let mut threads = Vec::new();
    for i in 0..NBR_WORKERS {
        let context = context.clone();
        threads.push(thread::spawn(move || worker_thread(url_worker, context, i)));
    }
    for i in 0..NBR_CLIENTS {
        let context = context.clone();
        threads.push(thread::spawn(move || client_thread(url_client, context, i)));
    }

    // Logic of LRU loop
    // - Poll backend always, frontend only if 1+ worker ready
    // - If worker replies, queue worker as ready and forward reply
    //   to client if necessary
    // - If client requests, pop next worker and send request to it

    // Queue of available workers
    let mut available_workers = 0;
    let mut workers_list: Vec<Vec<u8>> = Vec::new();

    loop {
        // Always poll for worker activity on backend; the front-end is
        // polled too but only served when a worker is available.
        let mut items = [
            PollItem::from_socket(&backend, PollEvents::POLLIN),
            PollItem::from_socket(&frontend, PollEvents::POLLIN),
        ];
        zmq::poll(&mut items, None)?;

        // Handle worker activity on backend
        if items[0].revents() == PollEvents::POLLIN {
            // Queue worker address for LRU routing
            let message = backend.recv_multipart(RecvFlags::empty())?;
            assert!(available_workers < NBR_WORKERS);

            let worker_addr = message[0].clone();

            // add worker back to the list of workers
            available_workers += 1;
            workers_list.push(worker_addr);

            //   Second frame is empty
            assert!(message[1].is_empty());

            // Third frame is READY or else a client reply address
            let client_addr = &message[2];

            // If client reply, send rest back to frontend
            if client_addr != b"READY" {
                // Following frame is empty
                assert!(message[3].is_empty());

                let reply = &message[4];

                frontend.send_multipart([&client_addr[..], b"", reply], SendFlags::empty())?;

                client_nbr -= 1;

                if client_nbr == 0 {
                    break; // Exit after N messages
                }
            }
        }

        // poll on frontend only if workers are available
        if available_workers > 0 && items[1].revents() == PollEvents::POLLIN {
            // Now get next client request, route to LRU worker
            // Client request is [address][empty][request]
            let message = frontend.recv_multipart(RecvFlags::empty())?;
            let (client_addr, empty, request) = (&message[0], &message[1], &message[2]);

            assert!(empty.is_empty());

            //  Dequeue and drop the next worker address
            available_workers -= 1;
            let worker_id = workers_list.pop().expect("a worker is available");

            backend.send_multipart(
                [&worker_id[..], b"", client_addr, b"", request],
                SendFlags::empty(),
            )?;
        }
    }

    // out of infinite loop: do some housekeeping
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
