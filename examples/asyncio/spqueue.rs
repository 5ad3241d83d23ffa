//! Simple Pirate queue, on the event loop
//!
//! Port of the zguide's `examples/Python/asyncio_ioloop/spqueue.py`: the
//! load-balancing broker with no reliability of its own, a ROUTER for
//! clients on tcp://*:5555 and a ROUTER for workers on tcp://*:5556. Each
//! worker message makes the worker available again (first come, first
//! served) and is passed on to the frontend without its envelope; each
//! client request goes to the first available worker. Runs until
//! interrupted; test it with `asyncio_lpclient` and any number of
//! `asyncio_spworker`s, which recover by themselves.
//!
//! **Fixed:** the original means to hold a worker's "\x01" (ready) back,
//! but compares the frame (`bytes`) with a `str`, which Python 3 never finds
//! equal, so it prints the READY as a reply and sends it to the frontend,
//! whose ROUTER drops it as unroutable. The port holds it back, as the
//! blocking `spqueue` does.

use zmq::asyncio::AsyncSocket;
use zmq::{PollEvents, SocketType};
use zmq_guide::event_loop::{poll, run_until_complete};
use zmq_guide::{endpoint, pyfmt};

/// What a worker sends when it is ready for a request.
const LRU_READY: &[u8] = b"\x01";

async fn run_queue() -> zmq::Result<()> {
    let context = zmq::Context::new()?;
    let mut frontend = AsyncSocket::with_type(&context, SocketType::Router)?;
    let mut backend = AsyncSocket::with_type(&context, SocketType::Router)?;
    frontend.bind(&endpoint("tcp://*:5555"))?; // for clients
    backend.bind(&endpoint("tcp://*:5556"))?; // for workers
    let mut workers = Vec::new();
    loop {
        // The frontend only while some worker is available; the readiness
        // of [backend, frontend].
        let socks = if workers.is_empty() {
            let mut socks = poll(&mut [&mut backend], PollEvents::POLLIN).await?;
            socks.push(PollEvents::empty());
            socks
        } else {
            poll(&mut [&mut backend, &mut frontend], PollEvents::POLLIN).await?
        };
        // Worker activity on the backend.
        if socks[0] == PollEvents::POLLIN {
            // The worker's address, for routing to it later.
            let mut msg = backend.recv_multipart().await?;
            if msg.is_empty() {
                break;
            }
            println!("I: received msg: {}", pyfmt::bytes_list(&msg));
            // What follows the address and the empty delimiter is the
            // reply.
            if msg.len() < 3 {
                return Err(zmq::Error::from_errno(libc::EPROTO));
            }
            let reply = msg.split_off(2);
            let address = msg.swap_remove(0);
            workers.push(address);
            // Anything but a READY goes on to the client.
            if reply != [LRU_READY] {
                println!("I: sending -- reply: {}", pyfmt::bytes_list(&reply));
                frontend.send_multipart(reply).await?;
            }
        }
        if socks[1] == PollEvents::POLLIN {
            // A client's request, to the first available worker.
            let msg = frontend.recv_multipart().await?;
            let worker = workers.remove(0);
            println!(
                "I: sending -- worker: {}  msg: {}",
                pyfmt::bytes(&worker),
                pyfmt::bytes_list(&msg)
            );
            let mut request = vec![worker, Vec::new()];
            request.extend(msg);
            backend.send_multipart(request).await?;
        }
    }
    Ok(())
}

async fn run() -> zmq::Result<()> {
    loop {
        run_queue().await?;
    }
}

fn main() -> zmq::Result<()> {
    if std::env::args().len() != 1 {
        eprintln!("usage: asyncio_spqueue");
        std::process::exit(1);
    }
    run_until_complete(run())
}
