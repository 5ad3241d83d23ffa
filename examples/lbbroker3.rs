//! Least-recently used (LRU) queue device
//! Demonstrates use of an event-loop reactor
//!
//! Port of the zguide's `examples/Python/lbbroker3.py`: the load-balancing
//! broker of lbbroker2 driven by an event loop instead of a poll loop. The
//! original's IOLoop and ZMQStreams are `zmq::reactor::Reactor` here: its
//! handlers share the queue's state through the reactor, and the frontend's
//! handler is paused (`set_events`, the original's `stop_on_recv`) while no
//! worker is free. Clients and workers are threads, each conceptually a
//! separate process.

use std::thread;
use std::time::Duration;

use zmq::reactor::{Ctx, Reactor, Token};
use zmq::{ErrorKind, PollEvents, RecvFlags, SendFlags, Socket, SocketType, sockopt};
use zmq_guide::endpoint;

const NBR_CLIENTS: usize = 10;
const NBR_WORKERS: usize = 3;

/// Worker using REQ socket to do LRU routing
fn worker_thread(worker_url: &str, i: usize) -> zmq::Result<()> {
    let context = zmq::Context::instance()?;

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
fn client_thread(client_url: &str, i: usize) -> zmq::Result<()> {
    let context = zmq::Context::instance()?;

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

/// The LRU queue's state, shared by the reactor's handlers.
#[derive(Debug, Default)]
struct LruQueue {
    available_workers: usize,
    is_workers_ready: bool,
    workers: Vec<Vec<u8>>,
    client_nbr: usize,
    /// The streams: the sockets as registered with the reactor.
    backend: Option<Token>,
    frontend: Option<Token>,
}

impl LruQueue {
    /// The other stream's socket, as a handler reaches it.
    fn socket<'a>(ctx: &Ctx<'a, Self>, token: Option<Token>) -> &'a Socket {
        token
            .and_then(|token| ctx.socket(token))
            .expect("both streams are registered before the loop runs")
    }

    fn handle_backend(
        ctx: &mut Ctx<'_, Self>,
        _backend: &Socket,
        msg: Vec<Vec<u8>>,
    ) -> zmq::Result<()> {
        // Queue worker address for LRU routing
        let (worker_addr, empty, client_addr) = (&msg[0], &msg[1], &msg[2]);

        let queue = ctx.state();
        assert!(queue.available_workers < NBR_WORKERS);

        // add worker back to the list of workers
        queue.available_workers += 1;
        queue.is_workers_ready = true;
        queue.workers.push(worker_addr.clone());

        //   Second frame is empty
        assert!(empty.is_empty());

        // Third frame is READY or else a client reply address
        // If client reply, send rest back to frontend
        if client_addr != b"READY" {
            let (empty, reply) = (&msg[3], &msg[4]);

            // Following frame is empty
            assert!(empty.is_empty());

            let token = ctx.state().frontend;
            let frontend = Self::socket(ctx, token);
            frontend.send_multipart([&client_addr[..], b"", reply], SendFlags::empty())?;

            ctx.state().client_nbr -= 1;

            if ctx.state().client_nbr == 0 {
                // Exit after N messages
                ctx.add_timeout(Duration::from_secs(1), |ctx| {
                    ctx.stop();
                    Ok(())
                });
            }
        }

        if ctx.state().is_workers_ready {
            // when atleast 1 worker is ready, start accepting frontend messages
            if let Some(frontend) = ctx.state().frontend {
                ctx.set_events(frontend, PollEvents::POLLIN);
            }
        }
        Ok(())
    }

    fn handle_frontend(
        ctx: &mut Ctx<'_, Self>,
        _frontend: &Socket,
        msg: Vec<Vec<u8>>,
    ) -> zmq::Result<()> {
        // Now get next client request, route to LRU worker
        // Client request is [address][empty][request]
        let (client_addr, empty, request) = (&msg[0], &msg[1], &msg[2]);

        assert!(empty.is_empty());

        //  Dequeue and drop the next worker address
        let queue = ctx.state();
        queue.available_workers -= 1;
        let worker_id = queue
            .workers
            .pop()
            .expect("handler runs only with a worker ready");

        let token = ctx.state().backend;
        let backend = Self::socket(ctx, token);
        backend.send_multipart(
            [&worker_id[..], b"", client_addr, b"", request],
            SendFlags::empty(),
        )?;
        if ctx.state().available_workers == 0 {
            // stop receiving until workers become available again
            ctx.state().is_workers_ready = false;
            ctx.set_events(ctx.current(), PollEvents::empty());
        }
        Ok(())
    }
}

fn main() -> zmq::Result<()> {
    let url_worker = endpoint("ipc://backend.ipc");
    let url_client = endpoint("ipc://frontend.ipc");

    // Prepare our context and sockets
    let context = zmq::Context::new()?;
    let frontend = context.socket(SocketType::Router)?;
    frontend.bind(&url_client)?;
    let backend = context.socket(SocketType::Router)?;
    backend.bind(&url_worker)?;

    // create workers and clients threads; as daemons they die with main.
    for i in 0..NBR_WORKERS {
        let url_worker = url_worker.clone();
        thread::spawn(move || worker_thread(&url_worker, i));
    }
    for i in 0..NBR_CLIENTS {
        let url_client = url_client.clone();
        thread::spawn(move || client_thread(&url_client, i));
    }

    // create queue with the sockets: the backend is read at once, the
    // frontend only once a worker is ready.
    let mut reactor = Reactor::new(LruQueue {
        client_nbr: NBR_CLIENTS,
        ..LruQueue::default()
    })?;
    let backend = reactor.on_recv(backend, LruQueue::handle_backend);
    let frontend = reactor.on_recv(frontend, LruQueue::handle_frontend);
    reactor.set_events(frontend, PollEvents::empty());
    reactor.state_mut().backend = Some(backend);
    reactor.state_mut().frontend = Some(frontend);

    // start reactor
    reactor.run()
}
