//! pyzmq classic: a worker of the STREAMER device
//!
//! Port of `task_worker.py` from "Learning 0MQ with pyzmq": a PULL socket
//! connects to the device's worker side, tcp://127.0.0.1:5560, and prints
//! every JSON task it gets as `{'consumer': <id>, 'num': <n>}`, forever.

use rand::Rng;
use serde_json::Value;
use zmq::{ErrorKind, SocketType};
use zmq_guide::endpoint;

fn consumer() -> zmq::Result<()> {
    let consumer_id: u32 = rand::rng().random_range(1..10005);
    println!("I am consumer #{consumer_id}");
    let context = zmq::Context::new()?;
    // recieve work
    let consumer_receiver = context.socket(SocketType::Pull)?;
    consumer_receiver.connect(&endpoint("tcp://127.0.0.1:5560"))?;
    loop {
        let work: Value = match consumer_receiver.recv_json() {
            Ok(work) => work,
            Err(e) if e.kind() == ErrorKind::Serialization => {
                eprintln!("E: not a JSON task: {e}");
                continue;
            }
            Err(e) => return Err(e),
        };
        let data = &work["num"];
        // Printed the way Python prints the dict {'consumer': id, 'num': n}.
        println!("{{'consumer': {consumer_id}, 'num': {data}}}");
    }
}

fn main() -> zmq::Result<()> {
    consumer()
}
