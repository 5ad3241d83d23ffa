//! Reading from multiple sockets
//!
//! Port of the zguide's `examples/Python/mspoller.py`: waits on the task
//! ventilator (tcp://localhost:5557) and the weather server's 10001 updates
//! (tcp://localhost:5556) with one poll, reading whichever is ready. It
//! prints nothing and stops on Ctrl-C.

use zmq::{ErrorKind, PollEvents, PollItem, SocketType, interrupt};
use zmq_guide::endpoint;

fn main() -> zmq::Result<()> {
    // Python turns Ctrl-C into KeyboardInterrupt; here it makes poll fail
    // with Interrupted instead of killing the process.
    interrupt::catch_signals()?;

    // One context, two sockets.
    let context = zmq::Context::new()?;

    // Tasks from the ventilator.
    let receiver = context.socket(SocketType::Pull)?;
    receiver.connect(&endpoint("tcp://localhost:5557"))?;

    // New York's weather from the weather server.
    let subscriber = context.socket(SocketType::Sub)?;
    subscriber.connect(&endpoint("tcp://localhost:5556"))?;
    subscriber.subscribe(b"10001")?;

    // The poll set: both sockets, for input.
    let mut items = [
        PollItem::from_socket(&receiver, PollEvents::POLLIN),
        PollItem::from_socket(&subscriber, PollEvents::POLLIN),
    ];

    // Serve whichever socket has something, until interrupted.
    loop {
        match zmq::poll(&mut items, None) {
            Ok(_) => {}
            Err(e) if e.kind() == ErrorKind::Interrupted => break,
            Err(e) => return Err(e),
        }
        if items[0].is_readable() {
            let _message = receiver.recv()?;
            // a real program would run the task here
        }
        if items[1].is_readable() {
            let _message = subscriber.recv()?;
            // a real program would use the update here
        }
    }
    Ok(())
}
