//! Weather proxy device
//!
//! Port of the zguide's `examples/Python/wuproxy.py`: subscribes to
//! everything the weather server publishes and republishes it on port 8100.
//!
//! The original connects to 192.168.55.210 and binds 10.1.1.0, addresses of
//! the author's network: elsewhere the bind fails at once. This port keeps
//! the intent with addresses that exist everywhere: the weather server on
//! localhost, the public side on every interface.

use zmq::SocketType;
use zmq_guide::endpoint;

fn main() -> zmq::Result<()> {
    let context = zmq::Context::new()?;

    // The weather server's side.
    let frontend = context.socket(SocketType::Sub)?;
    frontend.connect(&endpoint("tcp://localhost:5556"))?;

    // Our own subscribers' side.
    let backend = context.socket(SocketType::Pub)?;
    backend.bind(&endpoint("tcp://*:8100"))?;

    // Take every update.
    frontend.subscribe(b"")?;

    // Pass each message on, all of its parts together.
    loop {
        let message = frontend.recv_multipart()?;
        backend.send_multipart(message)?;
    }
}
