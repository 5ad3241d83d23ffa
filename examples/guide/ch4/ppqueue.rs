//! ppqueue: the Paranoid Pirate queue
//!
//! Port of the zguide's `examples/Python/ppqueue.py`: the Simple Pirate
//! queue plus heartbeats. Workers (`ppworker`, port 5556) and queue send
//! each other a heartbeat every second; a worker silent for three is
//! forgotten, so requests only go to workers that are alive. Clients
//! (`lpclient`, port 5555) still retry on their own. Runs until killed.
//!
//! Its heartbeat follows `ZGUIDE_TIME_SCALE` (see `zmq_guide::settings`).

use std::time::Instant;

use zmq::{PollEvents, PollItem, SocketType};
use zmq_guide::settings::scaled_ms;
use zmq_guide::{endpoint, pyfmt};

/// Heartbeats a worker may miss (3..5 is reasonable).
const HEARTBEAT_LIVENESS: u32 = 3;
/// Milliseconds between heartbeats.
const HEARTBEAT_INTERVAL: u64 = 1000;

// The Paranoid Pirate Protocol's two signals.
/// A worker is ready.
const PPP_READY: &[u8] = b"\x01";
/// A heartbeat.
const PPP_HEARTBEAT: &[u8] = b"\x02";

/// A ready worker and when it expires.
struct Worker {
    address: Vec<u8>,
    expiry: Instant,
}

impl Worker {
    fn new(address: Vec<u8>) -> Self {
        Worker {
            address,
            expiry: Instant::now() + scaled_ms(HEARTBEAT_INTERVAL) * HEARTBEAT_LIVENESS,
        }
    }
}

/// The ready workers, the longest idle first.
#[derive(Default)]
struct WorkerQueue {
    queue: Vec<Worker>,
}

impl WorkerQueue {
    /// `worker` is ready: it goes (back) to the end of the queue.
    fn ready(&mut self, worker: Worker) {
        self.queue.retain(|w| w.address != worker.address);
        self.queue.push(worker);
    }

    /// Forgets the workers that have expired.
    fn purge(&mut self) {
        let t = Instant::now();
        self.queue.retain(|worker| {
            let alive = t <= worker.expiry;
            if !alive {
                println!("W: Idle worker expired: {}", pyfmt::bytes(&worker.address));
            }
            alive
        });
    }

    /// The address of the next worker to use, taken off the queue.
    fn next(&mut self) -> Option<Vec<u8>> {
        (!self.queue.is_empty()).then(|| self.queue.remove(0).address)
    }
}

fn main() -> zmq::Result<()> {
    let context = zmq::Context::new()?;

    let frontend = context.socket(SocketType::Router)?;
    let backend = context.socket(SocketType::Router)?;
    frontend.bind(&endpoint("tcp://*:5555"))?; // For clients
    backend.bind(&endpoint("tcp://*:5556"))?; // For workers

    let mut workers = WorkerQueue::default();

    let mut heartbeat_at = Instant::now() + scaled_ms(HEARTBEAT_INTERVAL);

    loop {
        // Clients are heard only while a worker is ready.
        let mut items = vec![PollItem::from_socket(&backend, PollEvents::POLLIN)];
        if !workers.queue.is_empty() {
            items.push(PollItem::from_socket(&frontend, PollEvents::POLLIN));
        }
        zmq::poll(&mut items, Some(scaled_ms(HEARTBEAT_INTERVAL)))?;
        let backend_ready = items[0].is_readable();
        let frontend_ready = items.get(1).is_some_and(PollItem::is_readable);

        // A worker spoke: it is alive and ready.
        if backend_ready {
            let mut frames = backend.recv_multipart()?;
            if frames.is_empty() {
                break;
            }

            let address = frames.remove(0);
            workers.ready(Worker::new(address));

            // One frame is a signal; more is a reply for a client.
            let msg = frames;
            if msg.len() == 1 {
                if msg[0] != PPP_READY && msg[0] != PPP_HEARTBEAT {
                    println!(
                        "E: Invalid message from worker: {}",
                        pyfmt::bytes_list(&msg)
                    );
                }
            } else {
                frontend.send_multipart(msg)?;
            }

            // Heartbeat the idle workers when it is time.
            if Instant::now() >= heartbeat_at {
                for worker in &workers.queue {
                    backend.send_multipart([&worker.address[..], PPP_HEARTBEAT])?;
                }
                heartbeat_at = Instant::now() + scaled_ms(HEARTBEAT_INTERVAL);
            }
        }
        if frontend_ready {
            let frames = frontend.recv_multipart()?;
            if frames.is_empty() {
                break;
            }

            // The request goes to the next worker, whose address leads.
            if let Some(worker) = workers.next() {
                backend.send_multipart(std::iter::once(worker).chain(frames))?;
            }
        }

        workers.purge();
    }
    Ok(())
}
