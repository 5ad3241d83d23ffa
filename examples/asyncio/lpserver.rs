//! Lazy Pirate server, on the event loop
//!
//! Port of the zguide's `examples/Python/asyncio_ioloop/lpserver.py`: an
//! echo server on a REP socket bound to tcp://127.0.0.1:5555 that takes a
//! second over each request and, after three, now and then runs two
//! seconds slow (simulated CPU overload) or "crashes": it unbinds, waits two
//! seconds, drops the request unanswered and starts over with a new
//! context and socket, for `asyncio_lpclient` to recover from. It runs
//! until interrupted.
//!
//! The dice can be replaced by fixed cycles, counted from 1 in each run of
//! the server (`ZGUIDE_CRASH_CYCLE`, `ZGUIDE_OVERLOAD_CYCLE`, see
//! `zmq_guide::simulate`), and the sleeps follow `ZGUIDE_TIME_SCALE`.

use rand::Rng;
use rand::rngs::ThreadRng;
use zmq::SocketType;
use zmq::asyncio::AsyncSocket;
use zmq_guide::event_loop::run_until_complete;
use zmq_guide::settings::scaled_ms;
use zmq_guide::simulate::Failures;
use zmq_guide::{endpoint, pyfmt};

const SERVER_ADDR: &str = "tcp://127.0.0.1:5555";

/// One life of the server, up to its simulated crash; returns its context
/// and socket, which the caller holds until the next life has ended, as
/// the original's variables do.
async fn run_server(
    failures: &Failures,
    rng: &mut ThreadRng,
) -> zmq::Result<(zmq::Context, AsyncSocket)> {
    let address = endpoint(SERVER_ADDR);
    let context = zmq::Context::new()?;
    let mut server = AsyncSocket::with_type(&context, SocketType::Rep)?;
    server.bind(&address)?;
    let mut cycles = 0;
    loop {
        let request = server.recv_bytes().await?;
        cycles += 1;
        // After a few cycles, stage some trouble.
        if failures.crash(cycles, || cycles > 3 && rng.random_range(0..=3) == 0) {
            println!("I: Simulating a crash");
            server.unbind(&address)?;
            // A pause before the next life binds the address again. A
            // real crash would end the process, and a new one start.
            tokio::time::sleep(scaled_ms(2000)).await;
            break;
        } else if failures.overload(cycles, || cycles > 3 && rng.random_range(0..=3) == 0) {
            println!("I: Simulating CPU overload");
            tokio::time::sleep(scaled_ms(2000)).await;
        }
        println!("I: Normal request ({})", pyfmt::bytes(&request));
        tokio::time::sleep(scaled_ms(1000)).await; // the "work"
        server.send(request).await?;
    }
    Ok((context, server))
}

async fn run() -> zmq::Result<()> {
    let failures = Failures::from_env();
    let mut rng = rand::rng();
    let mut _previous_life;
    loop {
        _previous_life = run_server(&failures, &mut rng).await?;
    }
}

fn main() -> zmq::Result<()> {
    if std::env::args().len() != 1 {
        eprintln!("usage: asyncio_lpserver");
        std::process::exit(1);
    }
    run_until_complete(run())
}
