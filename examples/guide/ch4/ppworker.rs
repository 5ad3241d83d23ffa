//! ppworker: the Paranoid Pirate worker
//!
//! Port of the zguide's `examples/Python/ppworker.py`: a DEALER worker for
//! `ppqueue` (port 5556) that heartbeats the queue every second and counts
//! the queue's heartbeats. When three seconds pass in silence it gives the
//! queue up for dead and reconnects with a new socket, waiting 1 s, then
//! 2, 4, ... up to 32 s between attempts. It echoes requests, now and then
//! stalling or crashing on purpose.
//!
//! The dice can be replaced by fixed cycles (`ZGUIDE_CRASH_CYCLE`,
//! `ZGUIDE_OVERLOAD_CYCLE`, see `zmq_guide::simulate`); heartbeats, back-off
//! and sleeps follow `ZGUIDE_TIME_SCALE`, the printed back-off staying in
//! the guide's seconds.

use std::thread;
use std::time::{Duration, Instant};

use rand::Rng;
use zmq::{Context, PollEvents, Socket, SocketType, sockopt};
use zmq_guide::settings::scaled_ms;
use zmq_guide::simulate::Failures;
use zmq_guide::{endpoint, pyfmt};

/// Silent heartbeat intervals before the queue counts as gone.
const HEARTBEAT_LIVENESS: u32 = 3;
/// Milliseconds between heartbeats.
const HEARTBEAT_INTERVAL: u64 = 1000;
/// First and longest pause before reconnecting, in seconds.
const INTERVAL_INIT: u64 = 1;
const INTERVAL_MAX: u64 = 32;

// The Paranoid Pirate Protocol's two signals.
/// The worker is ready.
const PPP_READY: &[u8] = b"\x01";
/// A heartbeat.
const PPP_HEARTBEAT: &[u8] = b"\x02";

/// A new DEALER with a printable identity, connected to the queue, which
/// it tells at once that it is ready.
fn worker_socket(context: &Context, rng: &mut impl Rng) -> zmq::Result<Socket> {
    let worker = context.socket(SocketType::Dealer)?;
    let identity = format!(
        "{:04X}-{:04X}",
        rng.random_range(0..=0x10000),
        rng.random_range(0..=0x10000)
    );
    worker.set(sockopt::RoutingId, identity.as_bytes())?;
    worker.connect(&endpoint("tcp://localhost:5556"))?;
    worker.send(PPP_READY)?;
    Ok(worker)
}

fn main() -> zmq::Result<()> {
    let failures = Failures::from_env();
    let mut rng = rand::rng();

    let context = Context::new()?;

    let mut liveness = HEARTBEAT_LIVENESS;
    let mut interval = INTERVAL_INIT;

    let mut heartbeat_at = Instant::now() + scaled_ms(HEARTBEAT_INTERVAL);

    let mut worker = worker_socket(&context, &mut rng)?;
    let mut cycles = 0u64;
    loop {
        let ready = worker.poll(PollEvents::POLLIN, Some(scaled_ms(HEARTBEAT_INTERVAL)))?;

        if ready.contains(PollEvents::POLLIN) {
            // Three frames (envelope and body) are a request; one
            // HEARTBEAT frame is the queue's heartbeat.
            let frames = worker.recv_multipart()?;
            if frames.is_empty() {
                break; // Interrupted
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
                    thread::sleep(scaled_ms(3000));
                }
                println!("I: Normal reply");
                worker.send_multipart(frames)?;
                liveness = HEARTBEAT_LIVENESS;
                thread::sleep(scaled_ms(1000)); // The "work".
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
                thread::sleep(scaled_ms(interval * 1000));

                if interval < INTERVAL_MAX {
                    interval *= 2;
                }
                // A new socket replaces the old one, dropped at once.
                worker.set(sockopt::Linger, Some(Duration::ZERO))?;
                worker = worker_socket(&context, &mut rng)?;
                liveness = HEARTBEAT_LIVENESS;
            }
        }
        if Instant::now() > heartbeat_at {
            heartbeat_at = Instant::now() + scaled_ms(HEARTBEAT_INTERVAL);
            println!("I: Worker heartbeat");
            worker.send(PPP_HEARTBEAT)?;
        }
    }
    Ok(())
}
