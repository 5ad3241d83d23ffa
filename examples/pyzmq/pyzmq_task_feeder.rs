//! pyzmq classic: the task feeder of the STREAMER device
//!
//! Port of `task_feeder.py` from "Learning 0MQ with pyzmq": a PUSH socket
//! connects to the device's feeder side, tcp://127.0.0.1:5559, and sends
//! the JSON objects {"num": 0} to {"num": 19999}, one a second.
//! `ZGUIDE_TASKS` and `ZGUIDE_INTERVAL_MS` set how many and how often.

use std::thread;
use std::time::Duration;

use serde_json::json;
use zmq::SocketType;
use zmq_guide::{endpoint, setting};

fn producer() -> zmq::Result<()> {
    let context = zmq::Context::new()?;
    let zmq_socket = context.socket(SocketType::Push)?;
    zmq_socket.connect(&endpoint("tcp://127.0.0.1:5559"))?;
    let interval = Duration::from_millis(setting("ZGUIDE_INTERVAL_MS", 1000));
    // Tasks sent before the device and the workers are up may go nowhere
    // useful: start them first.
    for num in 0..setting("ZGUIDE_TASKS", 20000u32) {
        let work_message = json!({ "num": num });
        zmq_socket.send_json(&work_message)?;
        thread::sleep(interval);
    }
    Ok(())
}

fn main() -> zmq::Result<()> {
    producer()
}
