//! pyzmq classic: a publisher behind the FORWARDER device
//!
//! Port of `forwarder_server.py` from "Learning 0MQ with pyzmq": a PUB socket
//! connects to the device's publisher side, tcp://localhost:5559, and once a
//! second publishes "<topic> server#<id>" with a random topic from 1 to 9,
//! forever. `ZGUIDE_INTERVAL_MS` sets the pause (default 1000).

use std::thread;
use std::time::Duration;

use rand::Rng;
use zmq::SocketType;
use zmq_guide::{endpoint, setting};

fn main() -> zmq::Result<()> {
    let context = zmq::Context::new()?;
    let socket = context.socket(SocketType::Pub)?;
    socket.connect(&endpoint("tcp://localhost:5559"))?;
    let mut rng = rand::rng();
    let publisher_id: u32 = rng.random_range(0..9999);
    let interval = Duration::from_millis(setting("ZGUIDE_INTERVAL_MS", 1000));
    loop {
        let topic: u32 = rng.random_range(1..10);
        let messagedata = format!("server#{publisher_id}");
        println!("{topic} {messagedata}");
        socket.send(format!("{topic} {messagedata}"))?;
        thread::sleep(interval);
    }
}
