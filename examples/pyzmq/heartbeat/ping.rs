//! pyzmq examples/heartbeat: pinging `pong`
//!
//! Port of `heartbeat/ping.py`. A REQ socket connected to
//! tcp://127.0.0.1:10111 sends bursts of four "ping n" requests, a random
//! pause under a second apart, and prints each round trip's time; each
//! reply must equal its request.

use std::thread;
use std::time::{Duration, Instant};

use rand::Rng;
use zmq::SocketType;
use zmq_guide::endpoint;

fn main() -> zmq::Result<()> {
    let ctx = zmq::Context::new()?;

    let req = ctx.socket(SocketType::Req)?;
    req.connect(&endpoint("tcp://127.0.0.1:10111"))?;

    thread::sleep(Duration::from_secs(1));
    let mut rng = rand::rng();
    let mut n = 0u64;
    loop {
        let t: f64 = rng.random();
        thread::sleep(Duration::from_secs_f64(t));
        for _ in 0..4 {
            n += 1;
            let msg = format!("ping {n}");
            let tic = Instant::now();
            req.send(msg.as_str())?;
            let resp = req.recv_string()?;
            println!("{msg}: {:.2} ms", 1000.0 * tic.elapsed().as_secs_f64());
            assert_eq!(msg, resp);
        }
    }
}
