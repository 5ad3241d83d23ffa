//! pyzmq classic: "Wayne's World", the PUB/SUB server
//!
//! No pyzmq original survives; this follows the widely taught version. Two
//! PUB sockets, one per camera: "Camera 1" goes out over TCP on
//! tcp://*:5556, "Camera 2" over IPC on ipc://camera2.ipc, alternating once
//! a second, forever. Run `pyzmq_camera1` and `pyzmq_camera2` to watch.

use std::thread;
use std::time::Duration;

use zmq::SocketType;
use zmq_guide::endpoint;

fn main() -> zmq::Result<()> {
    let context = zmq::Context::new()?;
    let camera1 = context.socket(SocketType::Pub)?;
    camera1.bind(&endpoint("tcp://*:5556"))?;
    let camera2 = context.socket(SocketType::Pub)?;
    camera2.bind(&endpoint("ipc://camera2.ipc"))?;

    loop {
        camera1.send("Camera 1")?;
        thread::sleep(Duration::from_secs(1));
        camera2.send("Camera 2")?;
        thread::sleep(Duration::from_secs(1));
    }
}
