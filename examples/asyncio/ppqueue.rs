//! Paranoid Pirate queue, on the event loop
//!
//! Port of the zguide's `examples/Python/asyncio_ioloop/ppqueue.py`: a
//! ROUTER for clients on tcp://*:5555 and a ROUTER for workers on
//! tcp://*:5556. Every message from a worker marks it ready (the workers
//! queue in the order they last spoke) and may carry a reply for a client;
//! "\x01" (ready) and "\x02" (heartbeat) are the only one-frame messages
//! it accepts. Each client request goes to the worker that has waited
//! longest. While handling a worker's message, once a second, it sends a
//! heartbeat to every waiting worker; a worker silent for three intervals
//! is dropped. Runs until interrupted; test it with `asyncio_lpclient` and
//! any number of `asyncio_ppworker`s.
//!
//! The heartbeat interval follows `ZGUIDE_TIME_SCALE`.

use std::time::{Duration, Instant};

use zmq::asyncio::AsyncSocket;
use zmq::{PollEvents, SocketType};
use zmq_guide::event_loop::{poll, run_until_complete};
use zmq_guide::settings::scaled_ms;
use zmq_guide::{endpoint, pyfmt};

const HEARTBEAT_LIVENESS: u32 = 3; // 3..5 is reasonable
const HEARTBEAT_INTERVAL: u64 = 1000; // msec

// The Paranoid Pirate Protocol's commands.
const PPP_READY: &[u8] = b"\x01"; // a worker is ready
const PPP_HEARTBEAT: &[u8] = b"\x02"; // a worker's heartbeat
const FRONT_END_ADDRESS: &str = "tcp://*:5555";
const BACK_END_ADDRESS: &str = "tcp://*:5556";

fn heartbeat_interval() -> Duration {
    scaled_ms(HEARTBEAT_INTERVAL)
}

/// A worker the queue knows, and when it is to be given up.
struct Worker {
    address: Vec<u8>,
    expiry: Instant,
}

impl Worker {
    fn new(address: Vec<u8>) -> Self {
        Worker {
            address,
            expiry: Instant::now() + heartbeat_interval() * HEARTBEAT_LIVENESS,
        }
    }
}

/// The ready workers, the one that spoke least recently first.
#[derive(Default)]
struct WorkerQueue {
    queue: Vec<Worker>,
}

impl WorkerQueue {
    /// Puts `worker` at the end, removing its older entry.
    fn ready(&mut self, worker: Worker) {
        self.queue.retain(|w| w.address != worker.address);
        self.queue.push(worker);
    }

    /// Drops the workers whose time is up.
    fn purge(&mut self) {
        let t = Instant::now();
        self.queue.retain(|worker| {
            let expired = t > worker.expiry;
            if expired {
                println!("W: Idle worker expired: {}", pyfmt::bytes(&worker.address));
            }
            !expired
        });
    }

    /// The address of the worker that has waited longest, taken off the
    /// queue.
    fn next_worker(&mut self) -> Option<Vec<u8>> {
        (!self.queue.is_empty()).then(|| self.queue.remove(0).address)
    }
}

/// Waits up to `timeout` for input on the backend, and on the frontend too
/// if `both`: the readiness of `[backend, frontend]`.
async fn poll_for(
    backend: &mut AsyncSocket,
    frontend: &mut AsyncSocket,
    both: bool,
    timeout: Duration,
) -> zmq::Result<[PollEvents; 2]> {
    let polled = if both {
        tokio::time::timeout(timeout, poll(&mut [backend, frontend], PollEvents::POLLIN)).await
    } else {
        tokio::time::timeout(timeout, poll(&mut [backend], PollEvents::POLLIN)).await
    };
    let mut events = [PollEvents::empty(); 2];
    if let Ok(ready) = polled {
        for (slot, ready) in events.iter_mut().zip(ready?) {
            *slot = ready;
        }
    }
    Ok(events)
}

async fn run_queue(context: &zmq::Context) -> zmq::Result<()> {
    let mut frontend = AsyncSocket::with_type(context, SocketType::Router)?;
    let mut backend = AsyncSocket::with_type(context, SocketType::Router)?;
    frontend.bind(&endpoint(FRONT_END_ADDRESS))?; // for clients
    backend.bind(&endpoint(BACK_END_ADDRESS))?; // for workers
    let mut workers = WorkerQueue::default();
    let mut heartbeat_at = Instant::now() + heartbeat_interval();
    loop {
        // The frontend only while some worker is ready.
        let both = !workers.queue.is_empty();
        let [from_backend, from_frontend] =
            poll_for(&mut backend, &mut frontend, both, heartbeat_interval()).await?;
        // Worker activity on the backend.
        if from_backend == PollEvents::POLLIN {
            // The worker's address, for routing to it later.
            let mut frames = backend.recv_multipart().await?;
            if frames.is_empty() {
                break;
            }
            let msg = frames.split_off(1);
            let address = frames.remove(0);
            workers.ready(Worker::new(address));
            // A command, or a reply for a client.
            if msg.len() == 1 {
                if msg[0] != PPP_READY && msg[0] != PPP_HEARTBEAT {
                    println!(
                        "E: Invalid message from worker: {}",
                        pyfmt::bytes_list(&msg)
                    );
                }
            } else {
                frontend.send_multipart(msg).await?;
            }
            // Heartbeats to the idle workers, when it is time.
            if Instant::now() >= heartbeat_at {
                for worker in &workers.queue {
                    backend
                        .send_multipart([worker.address.as_slice(), PPP_HEARTBEAT])
                        .await?;
                }
                heartbeat_at = Instant::now() + heartbeat_interval();
            }
        }
        if from_frontend == PollEvents::POLLIN {
            let mut frames = frontend.recv_multipart().await?;
            if frames.is_empty() {
                break;
            }
            let worker = workers
                .next_worker()
                .ok_or_else(|| zmq::Error::from_errno(libc::EPROTO))?;
            frames.insert(0, worker);
            backend.send_multipart(frames).await?;
        }
        workers.purge();
    }
    Ok(())
}

async fn run() -> zmq::Result<()> {
    let context = zmq::Context::new()?;
    loop {
        run_queue(&context).await?;
    }
}

fn main() -> zmq::Result<()> {
    if std::env::args().len() != 1 {
        eprintln!("usage: asyncio_ppqueue");
        std::process::exit(1);
    }
    run_until_complete(run())
}
