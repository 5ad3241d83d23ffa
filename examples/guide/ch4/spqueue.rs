//! spqueue: the Simple Pirate queue
//!
//! Port of the zguide's `examples/Python/spqueue.py`: the load-balancing
//! broker of chapter 3 between `lpclient`s (port 5555) and `spworker`s
//! (port 5556), with no reliability of its own: clients recover by
//! retrying. Runs until killed.

use std::collections::VecDeque;

use zmq::{PollEvents, PollItem, SocketType};
use zmq_guide::endpoint;

/// What a worker sends when it is ready for work.
const LRU_READY: &[u8] = b"\x01";

fn main() -> zmq::Result<()> {
    let context = zmq::Context::new()?;

    let frontend = context.socket(SocketType::Router)?;
    let backend = context.socket(SocketType::Router)?;
    frontend.bind(&endpoint("tcp://*:5555"))?; // For clients
    backend.bind(&endpoint("tcp://*:5556"))?; // For workers

    // Workers ready for a request, the longest idle first.
    let mut workers: VecDeque<Vec<u8>> = VecDeque::new();

    loop {
        // Clients are heard only while a worker is ready.
        let mut items = vec![PollItem::from_socket(&backend, PollEvents::POLLIN)];
        if !workers.is_empty() {
            items.push(PollItem::from_socket(&frontend, PollEvents::POLLIN));
        }
        zmq::poll(&mut items, None)?;
        let backend_ready = items[0].is_readable();
        let frontend_ready = items.get(1).is_some_and(PollItem::is_readable);

        // A worker spoke: it is ready again, and may carry a reply.
        if backend_ready {
            let mut msg = backend.recv_multipart()?;
            if msg.is_empty() {
                break;
            }
            let address = msg.remove(0);
            workers.push_back(address);

            // After the address and the empty delimiter, the reply.
            let reply = msg.split_off(1.min(msg.len()));

            // Fix: the original compares bytes with the str "\x01", which is
            // never equal under Python 3, and forwards READY to a client
            // named "\x01" (the ROUTER drops it); comparing bytes skips it.
            if reply.first().is_some_and(|first| first != LRU_READY) {
                frontend.send_multipart(reply)?;
            }
        }

        if frontend_ready {
            // A client request goes to the first ready worker.
            let msg = frontend.recv_multipart()?;
            let Some(worker) = workers.pop_front() else {
                continue;
            };
            let request = [worker, Vec::new()].into_iter().chain(msg);
            backend.send_multipart(request)?;
        }
    }
    Ok(())
}
