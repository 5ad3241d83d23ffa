//! pyzmq classic: the PUSH/PULL worker pool, producer
//!
//! Port of `producer.py` from "Learning 0MQ with pyzmq": a PUSH socket
//! bound to tcp://127.0.0.1:5557 hands the JSON objects {"num": 0} to
//! {"num": 19999} round-robin to the connected consumers, as fast as they
//! take them. `ZGUIDE_TASKS` sets how many (default 20000).

use serde_json::json;
use zmq::SocketType;
use zmq_guide::{endpoint, setting};

fn producer() -> zmq::Result<()> {
    let context = zmq::Context::new()?;
    let zmq_socket = context.socket(SocketType::Push)?;
    zmq_socket.bind(&endpoint("tcp://127.0.0.1:5557"))?;
    // PUSH hands messages only to peers already connected: start the
    // collector and the consumers first.
    for num in 0..setting("ZGUIDE_TASKS", 20000u32) {
        let work_message = json!({ "num": num });
        zmq_socket.send_json(&work_message)?;
    }
    Ok(())
}

fn main() -> zmq::Result<()> {
    producer()
}
