//! Multithreaded Hello World server
//!
//! Port of the zguide's `examples/Python/mtserver.py`: a ROUTER on
//! tcp://*:5555 for clients, a DEALER on inproc://workers for five worker
//! threads with REP sockets, and `zmq::proxy` between the two.

use std::thread;
use std::time::Duration;

use zmq::{Context, SocketType};
use zmq_guide::{endpoint, pyfmt};

/// One worker thread: answers requests that the DEALER hands it.
fn worker_routine(worker_url: &str, context: Option<Context>) -> zmq::Result<()> {
    let context = match context {
        Some(context) => context,
        None => Context::instance()?,
    };

    // The line to the dispatcher.
    let socket = context.socket(SocketType::Rep)?;
    socket.connect(worker_url)?;

    loop {
        let string = socket.recv()?;
        println!("Received request: [ {} ]", pyfmt::bytes(&string));

        // Pretend the answer takes a while to compute.
        thread::sleep(Duration::from_secs(1));

        // The reply goes back through the dispatcher.
        socket.send(b"World")?;
    }
}

fn main() -> zmq::Result<()> {
    let url_worker = "inproc://workers";
    let url_client = endpoint("tcp://*:5555");

    // The shared context, as Context.instance() in Python.
    let context = Context::instance()?;

    // Clients connect here.
    let clients = context.socket(SocketType::Router)?;
    clients.bind(&url_client)?;

    // Workers connect here.
    let workers = context.socket(SocketType::Dealer)?;
    workers.bind(url_worker)?;

    // Five workers. Python marks them daemons so they die with the process;
    // Rust threads do that anyway, so the handles are simply let go.
    for _ in 0..5 {
        thread::spawn(move || {
            // An uncaught exception in a Python thread prints a traceback.
            if let Err(e) = worker_routine(url_worker, None) {
                eprintln!("worker: {e}");
            }
        });
    }

    zmq::proxy(&clients, &workers)?;

    // Not reached; the tidy-up the original writes anyway.
    clients.close()?;
    workers.close()?;
    drop(context);
    Ok(())
}
