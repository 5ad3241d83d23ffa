//! pyzmq classic: the PUSH/PULL worker pool, consumer
//!
//! Port of `consumer.py` from "Learning 0MQ with pyzmq": pulls JSON work
//! from tcp://127.0.0.1:5557 and pushes {"consumer": <id>, "num": <n>} for
//! every even number to the collector on tcp://127.0.0.1:5558, forever.

use rand::Rng;
use serde_json::{Value, json};
use zmq::{ErrorKind, SocketType};
use zmq_guide::endpoint;

fn consumer() -> zmq::Result<()> {
    let consumer_id: u32 = rand::rng().random_range(1..10005);
    println!("I am consumer #{consumer_id}");
    let context = zmq::Context::new()?;
    // recieve work
    let consumer_receiver = context.socket(SocketType::Pull)?;
    consumer_receiver.connect(&endpoint("tcp://127.0.0.1:5557"))?;
    // send work
    let consumer_sender = context.socket(SocketType::Push)?;
    consumer_sender.connect(&endpoint("tcp://127.0.0.1:5558"))?;

    loop {
        let work: Value = match consumer_receiver.recv_json() {
            Ok(work) => work,
            Err(e) if e.kind() == ErrorKind::Serialization => {
                eprintln!("E: not a JSON task: {e}");
                continue;
            }
            Err(e) => return Err(e),
        };
        let Some(data) = work["num"].as_u64() else {
            eprintln!("E: task without a number: {work}");
            continue;
        };
        let result = json!({ "consumer": consumer_id, "num": data });
        if data % 2 == 0 {
            consumer_sender.send_json(&result)?;
        }
    }
}

fn main() -> zmq::Result<()> {
    consumer()
}
