//! pyzmq classic: the FORWARDER device
//!
//! Port of `forwarder_device.py` from "Learning 0MQ with pyzmq": a SUB for
//! publishers on tcp://*:5559, subscribed to everything, and a PUB for
//! subscribers on tcp://*:5560, with a forwarder device between them. The
//! original's `zmq.device(zmq.FORWARDER, ...)` is a `zmq::device::Device`
//! of those two socket types here; it runs until the process ends.

use zmq::SocketType;
use zmq::device::Device;
use zmq_guide::endpoint;

fn main() -> zmq::Result<()> {
    let context = zmq::Context::new()?;
    // Socket facing publishers: no filtering in the forwarder itself.
    let device = Device::new(&context, SocketType::Sub, SocketType::Pub)
        .configure_in(|frontend| frontend.subscribe(b""))
        .bind_in(endpoint("tcp://*:5559"))
        // Socket facing subscribers
        .bind_out(endpoint("tcp://*:5560"));

    if let Err(e) = device.start().and_then(|running| running.join()) {
        println!("{e}");
        println!("bringing down zmq device");
    }
    Ok(())
}
