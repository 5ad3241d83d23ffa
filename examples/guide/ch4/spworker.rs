//! spworker: the Simple Pirate worker
//!
//! Port of the zguide's `examples/Python/spworker.py`: a REQ worker of the
//! load-balancing pattern that connects to `spqueue` on port 5556, says it
//! is ready, then echoes requests, slowly, now and then stalling or
//! crashing on purpose.
//!
//! The dice can be replaced by fixed cycles (`ZGUIDE_CRASH_CYCLE`,
//! `ZGUIDE_OVERLOAD_CYCLE`, see `zmq_guide::simulate`) and its sleeps
//! follow `ZGUIDE_TIME_SCALE`.

use std::thread;

use rand::Rng;
use zmq::{SocketType, sockopt};
use zmq_guide::endpoint;
use zmq_guide::settings::scaled_ms;
use zmq_guide::simulate::Failures;

/// What a worker sends when it is ready for work.
const LRU_READY: &[u8] = b"\x01";

fn main() -> zmq::Result<()> {
    let failures = Failures::from_env();
    let mut rng = rand::rng();

    let context = zmq::Context::new()?;
    let worker = context.socket(SocketType::Req)?;

    // A printable identity, so the queue's routing can be followed.
    let identity = format!(
        "{:04X}-{:04X}",
        rng.random_range(0..=0x10000),
        rng.random_range(0..=0x10000)
    );
    worker.set(sockopt::RoutingId, identity.as_bytes())?;
    worker.connect(&endpoint("tcp://localhost:5556"))?;

    println!("I: ({identity}) worker ready");
    worker.send(LRU_READY)?;

    let mut cycles = 0u64;
    loop {
        let msg = worker.recv_multipart()?;
        if msg.is_empty() {
            break;
        }

        cycles += 1;
        if failures.crash(cycles, || cycles > 0 && rng.random_range(0..=5) == 0) {
            println!("I: ({identity}) simulating a crash");
            break;
        } else if failures.overload(cycles, || cycles > 3 && rng.random_range(0..=5) == 0) {
            println!("I: ({identity}) simulating CPU overload");
            thread::sleep(scaled_ms(3000));
        }
        println!("I: ({identity}) normal reply");
        thread::sleep(scaled_ms(1000)); // The "work".
        worker.send_multipart(msg)?;
    }
    Ok(())
}
