//! lbbroker3: the load-balancing broker, written as event handlers
//!
//! Port of the zguide's `examples/Python/lbbroker3.py`: the load-balancing
//! broker of lbbroker2 driven by an event loop instead of a poll loop. The
//! original's IOLoop and ZMQStreams are `zmq::reactor::Reactor` here: its
//! handlers share the queue's state through the reactor, and the frontend's
//! handler is paused (`set_events`, the original's `stop_on_recv`) while no
//! worker is free. Clients and workers run as threads only so that one
//! command starts and stops the whole demo; think of each as a process of
//! its own. (They share the process-wide context, apart from the broker's.)
//!
//! A client or worker that fails prints its error and ends the process with
//! status 1: in the original its traceback is printed but the loop, short
//! of a reply, would wait forever.

use std::thread;
use std::time::Duration;

use zmq::reactor::{Ctx, Reactor, Token};
use zmq::{ErrorKind, PollEvents, Socket, SocketType, sockopt};
use zmq_guide::endpoint;

const NBR_CLIENTS: usize = 10;
const NBR_WORKERS: usize = 3;

/// A worker thread: its REQ socket announces itself, then answers each
/// request the broker routes to it.
fn worker_thread(worker_url: &str, i: usize) -> zmq::Result<()> {
    let context = zmq::Context::instance()?;

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
            // Its context was ended: the normal, quiet way out.
            Err(e) if e.kind() == ErrorKind::Terminated => return Ok(()),
            Err(e) => return Err(e),
        };
        let (address, request) = (&message[0], &message[2]);

        println!("{identity}: {}", String::from_utf8_lossy(request));

        socket.send_multipart(zmq::frames![address, "", "OK"])?;
    }
}

/// A client thread: one REQ round trip through the broker.
fn client_thread(client_url: &str, i: usize) -> zmq::Result<()> {
    let context = zmq::Context::instance()?;

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
        // A worker spoke: its routing id, the REQ delimiter, then READY or
        // the client its answer is for.
        let (worker_addr, empty, client_addr) = (&msg[0], &msg[1], &msg[2]);

        let queue = ctx.state();
        assert!(queue.available_workers < NBR_WORKERS);

        // Whatever it sent, it is idle again.
        queue.available_workers += 1;
        queue.is_workers_ready = true;
        queue.workers.push(worker_addr.clone());

        // The delimiter must be empty.
        assert!(empty.is_empty());

        // Unless it only said READY, pass the answer on to its client.
        if client_addr != b"READY" {
            let (empty, reply) = (&msg[3], &msg[4]);

            // The client's own delimiter comes next.
            assert!(empty.is_empty());

            let token = ctx.state().frontend;
            let frontend = Self::socket(ctx, token);
            frontend.send_multipart(zmq::frames![client_addr, "", reply])?;

            ctx.state().client_nbr -= 1;

            if ctx.state().client_nbr == 0 {
                // Every client has had its answer: stop the loop a second
                // from now.
                ctx.add_timeout(Duration::from_secs(1), |ctx| {
                    ctx.stop();
                    Ok(())
                });
            }
        }

        if ctx.state().is_workers_ready {
            // Some worker is idle, so client requests may be read again.
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
        // A client request: its id, an empty frame, the body. It goes to
        // the idle worker at the end of the list.
        let (client_addr, empty, request) = (&msg[0], &msg[1], &msg[2]);

        assert!(empty.is_empty());

        // That worker is busy now.
        let queue = ctx.state();
        queue.available_workers -= 1;
        let worker_id = queue
            .workers
            .pop()
            .expect("handler runs only with a worker ready");

        let token = ctx.state().backend;
        let backend = Self::socket(ctx, token);
        backend.send_multipart(zmq::frames![worker_id, "", client_addr, "", request])?;
        if ctx.state().available_workers == 0 {
            // Nobody idle: leave client requests queued until a worker
            // frees up.
            ctx.state().is_workers_ready = false;
            ctx.set_events(ctx.current(), PollEvents::empty());
        }
        Ok(())
    }
}

fn main() -> zmq::Result<()> {
    let url_worker = endpoint("ipc://backend.ipc");
    let url_client = endpoint("ipc://frontend.ipc");

    // The broker's own context; ROUTERs face the clients and the workers.
    let context = zmq::Context::new()?;
    let frontend = context.socket(SocketType::Router)?;
    frontend.bind(&url_client)?;
    let backend = context.socket(SocketType::Router)?;
    backend.bind(&url_worker)?;

    // Workers, then clients, each on a thread; like the original's daemon
    // threads they end when main does.
    for i in 0..NBR_WORKERS {
        let url_worker = url_worker.clone();
        thread::spawn(move || {
            if let Err(e) = worker_thread(&url_worker, i) {
                eprintln!("Worker-{i}: {e}");
                std::process::exit(1);
            }
        });
    }
    for i in 0..NBR_CLIENTS {
        let url_client = url_client.clone();
        thread::spawn(move || {
            if let Err(e) = client_thread(&url_client, i) {
                eprintln!("Client-{i}: {e}");
                std::process::exit(1);
            }
        });
    }

    // The queue: worker messages are handled from the start, client
    // requests only after some worker has reported in.
    let mut reactor = Reactor::new(LruQueue {
        client_nbr: NBR_CLIENTS,
        ..LruQueue::default()
    })?;
    let backend = reactor.on_recv(backend, LruQueue::handle_backend);
    let frontend = reactor.on_recv(frontend, LruQueue::handle_frontend);
    reactor.set_events(frontend, PollEvents::empty());
    reactor.state_mut().backend = Some(backend);
    reactor.state_mut().frontend = Some(frontend);

    // Run the event loop until the last reply's timer stops it.
    reactor.run()
}
