//! pyzmq examples/heartbeat: the echo end of `ping`
//!
//! Port of `heartbeat/pong.py`. A device thread runs a proxy from a REP
//! socket bound to tcp://127.0.0.1:10111 (identity "whoda") to itself, so
//! every request comes straight back as its reply, while the main thread
//! blocks in matrix products and says how long each took: `ping` shows the
//! replies stay fast through them.
//!
//! `ZGUIDE_MATRIX` sets the matrix's side (512; see `heart`).

#[path = "matrix.rs"]
mod matrix;

use std::thread;
use std::time::{Duration, Instant};

use zmq::{SocketType, sockopt};
use zmq_guide::{endpoint, setting};

fn main() -> zmq::Result<()> {
    let ctx = zmq::Context::new()?;

    // pyzmq's ThreadDevice with out_type -1: one socket is both ends.
    let rep = ctx.socket(SocketType::Rep)?;
    rep.bind(&endpoint("tcp://127.0.0.1:10111"))?;
    rep.set(sockopt::RoutingId, b"whoda")?;
    let _dev = thread::spawn(move || zmq::proxy(&rep, &rep));

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
