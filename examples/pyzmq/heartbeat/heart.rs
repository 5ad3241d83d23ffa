//! pyzmq examples/heartbeat: a heart for `heartbeater`
//!
//! Port of `heartbeat/heart.py`. A device thread forwards every ping the
//! heartbeater publishes (a SUB connected to tcp://127.0.0.1:5555,
//! subscribed to everything) back to it through a DEALER connected to
//! tcp://127.0.0.1:5556, whose identity the heartbeater tracks. Meanwhile
//! the main thread blocks in matrix products and says how long each took:
//! the heart keeps beating through them.
//!
//! `ZGUIDE_MATRIX` sets the matrix's side (512; the original's numpy
//! multiplies 2048 x 2048, too slow for a plain loop).

#[path = "matrix.rs"]
mod matrix;

use std::thread;
use std::time::{Duration, Instant};

use zmq::SocketType;
use zmq::device::Device;
use zmq_guide::{endpoint, setting};

fn main() -> zmq::Result<()> {
    let ctx = zmq::Context::new()?;

    let _dev = Device::new(&ctx, SocketType::Sub, SocketType::Dealer)
        .configure_in(|s| s.subscribe(b""))
        .connect_in(endpoint("tcp://127.0.0.1:5555"))
        .connect_out(endpoint("tcp://127.0.0.1:5556"))
        .start()?;

    thread::sleep(Duration::from_secs(1));

    let n: usize = setting("ZGUIDE_MATRIX", 512);
    let a = matrix::random(n);
    println!("starting blocking loop");
    loop {
        let tic = Instant::now();
        std::hint::black_box(matrix::dot_transpose(&a, n));
        println!("blocked for {:.3} s", tic.elapsed().as_secs_f64());
    }
}
