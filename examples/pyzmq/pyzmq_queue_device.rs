//! pyzmq classic: the QUEUE device
//!
//! Port of `queue_device.py` from "Learning 0MQ with pyzmq": a ROUTER for
//! clients on tcp://*:5559 and a DEALER for services on tcp://*:5560, with
//! a queue device between them. The original's `zmq.device(zmq.QUEUE, ...)`
//! is `zmq::device::Device::queue` here; it runs until the process ends.

use zmq::device::Device;
use zmq_guide::endpoint;

fn main() -> zmq::Result<()> {
    let context = zmq::Context::new()?;
    // Socket facing clients (ROUTER) and socket facing services (DEALER)
    let device = Device::queue(&context)
        .bind_in(endpoint("tcp://*:5559"))
        .bind_out(endpoint("tcp://*:5560"));

    if let Err(e) = device.start().and_then(|running| running.join()) {
        println!("{e}");
        println!("bringing down zmq device");
    }
    Ok(())
}
