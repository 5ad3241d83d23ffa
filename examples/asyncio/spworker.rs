//! Simple Pirate worker, on the event loop
//!
//! Port of the zguide's `examples/Python/asyncio_ioloop/spworker.py`: a REQ
//! socket with a random identity ("%04X-%04X") connects to the queue's
//! backend (tcp://localhost:5556), says "\x01" (ready), then echoes each
//! request after a second's work. After three requests it now and then
//! runs three seconds slow (simulated CPU overload) or "crashes": it drops
//! the request, its socket and its context and starts over with a new
//! identity. It runs until interrupted.
//!
//! The dice can be replaced by fixed cycles, counted from 1 in each run of
//! the worker (`ZGUIDE_CRASH_CYCLE`, `ZGUIDE_OVERLOAD_CYCLE`, see
//! `zmq_guide::simulate`), and the sleeps follow `ZGUIDE_TIME_SCALE`.

use rand::Rng;
use rand::rngs::ThreadRng;
use zmq::asyncio::AsyncSocket;
use zmq::{SocketType, sockopt};
use zmq_guide::endpoint;
use zmq_guide::event_loop::run_until_complete;
use zmq_guide::settings::scaled_ms;
use zmq_guide::simulate::Failures;

const LRU_READY: &str = "\x01";

/// One life of the worker, up to its simulated crash.
async fn run_worker(failures: &Failures, rng: &mut ThreadRng) -> zmq::Result<()> {
    let context = zmq::Context::new()?;
    let mut worker = AsyncSocket::with_type(&context, SocketType::Req)?;
    let identity = format!(
        "{:04X}-{:04X}",
        rng.random_range(0..=0x10000),
        rng.random_range(0..=0x10000)
    );
    worker.set(sockopt::RoutingId, identity.as_bytes())?;
    worker.connect(&endpoint("tcp://localhost:5556"))?;
    println!("I: ({identity}) worker ready");
    worker.send(LRU_READY).await?;
    let mut cycles = 0;
    loop {
        let msg = worker.recv_multipart().await?;
        if msg.is_empty() {
            break;
        }
        cycles += 1;
        if failures.crash(cycles, || cycles > 3 && rng.random_range(0..=5) == 0) {
            println!("I: ({identity}) simulating a crash");
            break;
        } else if failures.overload(cycles, || cycles > 3 && rng.random_range(0..=5) == 0) {
            println!("I: ({identity}) simulating CPU overload");
            tokio::time::sleep(scaled_ms(3000)).await;
        }
        println!("I: ({identity}) normal reply");
        // The "work".
        tokio::time::sleep(scaled_ms(1000)).await;
        worker.send_multipart(msg).await?;
    }
    Ok(())
}

async fn run() -> zmq::Result<()> {
    let failures = Failures::from_env();
    let mut rng = rand::rng();
    loop {
        run_worker(&failures, &mut rng).await?;
    }
}

fn main() -> zmq::Result<()> {
    if std::env::args().len() != 1 {
        eprintln!("usage: asyncio_spworker");
        std::process::exit(1);
    }
    run_until_complete(run())
}
