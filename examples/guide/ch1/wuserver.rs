//! Weather update server
//!
//! Port of the zguide's `examples/Python/wuserver.py`: a PUB socket bound to
//! tcp://*:5556 publishes random "zipcode temperature humidity" updates.

use zmq::SocketType;
use zmq_guide::endpoint;

fn main() -> zmq::Result<()> {
    let context = zmq::Context::new()?;
    let socket = context.socket(SocketType::Pub)?;
    socket.bind(&endpoint("tcp://*:5556"))?;

    loop {
        // Same ranges as Python's randrange: the upper bound is excluded.
        let zipcode = rand::random_range(1..100_000);
        let temperature = rand::random_range(-80..135);
        let relhumidity = rand::random_range(10..60);

        socket.send(format!("{zipcode} {temperature} {relhumidity}"))?;
    }
}
