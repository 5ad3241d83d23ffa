//! pyzmq classic: the STREAMER device
//!
//! Port of `streamer_device.py` from "Learning 0MQ with pyzmq": a PULL for
//! task feeders on tcp://*:5559 and a PUSH for workers on tcp://*:5560,
//! with a streamer device between them. The original's
//! `zmq.device(zmq.STREAMER, ...)` is `zmq::device::Device::streamer` here;
//! it runs until the process ends.

use zmq::device::Device;
use zmq_guide::endpoint;

fn main() -> zmq::Result<()> {
    let context = zmq::Context::new()?;
    // Socket facing feeders (PULL) and socket facing workers (PUSH)
    let device = Device::streamer(&context)
        .bind_in(endpoint("tcp://*:5559"))
        .bind_out(endpoint("tcp://*:5560"));

    if let Err(e) = device.start().and_then(|running| running.join()) {
        println!("{e}");
        println!("bringing down zmq device");
    }
    Ok(())
}
