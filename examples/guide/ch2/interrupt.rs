//! interrupt: stopping cleanly on Ctrl-C
//!
//! Port of the zguide's `examples/Python/interrupt.py`: a REP socket on
//! tcp://*:5558 waits for one request; Ctrl-C ends the wait with a message
//! instead of killing the process, and the socket and context are closed in
//! order either way.

use zmq::{ErrorKind, SocketType, interrupt};
use zmq_guide::endpoint;

fn main() -> zmq::Result<()> {
    // Python raises KeyboardInterrupt out of a blocked call; after this a
    // blocked call fails with Interrupted instead.
    interrupt::catch_signals()?;

    let context = zmq::Context::new()?;
    let socket = context.socket(SocketType::Rep)?;
    socket.bind(&endpoint("tcp://*:5558"))?;

    let result = match socket.recv() {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == ErrorKind::Interrupted => {
            println!("W: interrupt received, stopping...");
            Ok(())
        }
        Err(e) => Err(e),
    };

    // The `finally` part: runs on every path above.
    socket.close()?;
    drop(context);
    result
}
