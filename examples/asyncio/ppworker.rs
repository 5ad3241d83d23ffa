//! Paranoid Pirate worker, on the event loop
//!
//! Port of the zguide's `examples/Python/asyncio_ioloop/ppworker.py`: a
//! DEALER with a random identity ("%04X-%04X") connects to the queue's
//! backend (tcp://localhost:5556), says "\x01" (ready), then echoes each
//! three-frame request, taking a second over it, while trading heartbeats
//! ("\x02") with the queue once a second. Three silent intervals and it
//! gives the socket up, waits (1 s, then twice as long each time, up to 32
//! s) and reconnects with a new one. After three requests it now and then
//! runs three seconds slow (simulated CPU overload) or "crashes": it drops
//! its socket and starts over with a new identity. It runs until
//! interrupted.
//!
//! The dice can be replaced by fixed cycles, counted from 1 in each run of
//! the worker (`ZGUIDE_CRASH_CYCLE`, `ZGUIDE_OVERLOAD_CYCLE`, see
//! `zmq_guide::simulate`); the heartbeat interval, the work and the waits
//! follow `ZGUIDE_TIME_SCALE`, the waits printed as the original's seconds.

use std::time::{Duration, Instant};

use rand::Rng;
use rand::rngs::ThreadRng;
use zmq::asyncio::AsyncSocket;
use zmq::{PollEvents, SocketType, sockopt};
use zmq_guide::event_loop::run_until_complete;
use zmq_guide::settings::scaled_ms;
use zmq_guide::simulate::Failures;
use zmq_guide::{endpoint, pyfmt};

const HEARTBEAT_LIVENESS: u32 = 3;
const HEARTBEAT_INTERVAL: u64 = 1000; // msec
const INTERVAL_INIT: u64 = 1; // seconds
const INTERVAL_MAX: u64 = 32; // seconds
// The Paranoid Pirate Protocol's commands.
const PPP_READY: &[u8] = b"\x01"; // this worker is ready
const PPP_HEARTBEAT: &[u8] = b"\x02"; // this worker's heartbeat
const BACK_END_ADDRESS: &str = "tcp://localhost:5556";

/// A new DEALER with a random identity, connected to the queue, that has
/// said it is ready.
async fn worker_socket(context: &zmq::Context, rng: &mut ThreadRng) -> zmq::Result<AsyncSocket> {
    let mut worker = AsyncSocket::with_type(context, SocketType::Dealer)?;
    let identity = format!(
        "{:04X}-{:04X}",
        rng.random_range(0..=0x10000),
        rng.random_range(0..=0x10000)
    );
    worker.set(sockopt::RoutingId, identity.as_bytes())?;
    worker.connect(&endpoint(BACK_END_ADDRESS))?;
    worker.send(PPP_READY).await?;
    Ok(worker)
}

/// What `poll(HEARTBEAT_INTERVAL)` says of the socket: `POLLIN` if
/// something came within the interval, nothing otherwise.
async fn poll_input(worker: &mut AsyncSocket, timeout: Duration) -> zmq::Result<PollEvents> {
    match tokio::time::timeout(timeout, worker.ready(PollEvents::POLLIN)).await {
        Ok(events) => events,
        Err(_elapsed) => Ok(PollEvents::empty()),
    }
}

/// One life of the worker, up to its simulated crash.
async fn run_worker(
    context: &zmq::Context,
    failures: &Failures,
    rng: &mut ThreadRng,
) -> zmq::Result<()> {
    let heartbeat_interval = scaled_ms(HEARTBEAT_INTERVAL);
    let mut liveness = HEARTBEAT_LIVENESS;
    let mut interval = INTERVAL_INIT;
    let mut heartbeat_at = Instant::now() + heartbeat_interval;
    let mut worker = worker_socket(context, rng).await?;
    let mut cycles = 0;
    loop {
        if poll_input(&mut worker, heartbeat_interval).await? == PollEvents::POLLIN {
            // A request has a three-frame envelope and its content; a
            // heartbeat is one frame.
            let frames = worker.recv_multipart().await?;
            if frames.is_empty() {
                break; // interrupted
            }
            if frames.len() == 3 {
                // After a few cycles, stage some trouble.
                cycles += 1;
                if failures.crash(cycles, || cycles > 3 && rng.random_range(0..=5) == 0) {
                    println!("I: Simulating a crash");
                    break;
                }
                if failures.overload(cycles, || cycles > 3 && rng.random_range(0..=5) == 0) {
                    println!("I: Simulating CPU overload");
                    tokio::time::sleep(scaled_ms(3000)).await;
                }
                println!("I: Normal reply");
                worker.send_multipart(frames).await?;
                liveness = HEARTBEAT_LIVENESS;
                tokio::time::sleep(scaled_ms(1000)).await; // the "work"
            } else if frames.len() == 1 && frames[0] == PPP_HEARTBEAT {
                println!("I: Queue heartbeat");
                liveness = HEARTBEAT_LIVENESS;
            } else {
                println!("E: Invalid message: {}", pyfmt::bytes_list(&frames));
            }
            interval = INTERVAL_INIT;
        } else {
            liveness -= 1;
            if liveness == 0 {
                println!("W: Heartbeat failure, can't reach queue");
                println!("W: Reconnecting in {:.2}s...", interval as f64);
                tokio::time::sleep(scaled_ms(interval * 1000)).await;
                if interval < INTERVAL_MAX {
                    interval *= 2;
                }
                worker.set(sockopt::Linger, Some(Duration::ZERO))?;
                drop(worker);
                worker = worker_socket(context, rng).await?;
                liveness = HEARTBEAT_LIVENESS;
            }
        }
        if Instant::now() > heartbeat_at {
            heartbeat_at = Instant::now() + heartbeat_interval;
            println!("I: Worker heartbeat");
            worker.send(PPP_HEARTBEAT).await?;
        }
    }
    Ok(())
}

async fn run() -> zmq::Result<()> {
    let failures = Failures::from_env();
    let mut rng = rand::rng();
    let context = zmq::Context::new()?;
    loop {
        run_worker(&context, &failures, &mut rng).await?;
    }
}

fn main() -> zmq::Result<()> {
    if std::env::args().len() != 1 {
        eprintln!("usage: asyncio_ppworker");
        std::process::exit(1);
    }
    run_until_complete(run())
}
