//! Reading from multiple sockets
//!
//! Port of the zguide's `examples/Python/msreader.py`: drains the task
//! ventilator (tcp://localhost:5557) and the weather server's 10001 updates
//! (tcp://localhost:5556) with non-blocking reads, tasks first, then naps
//! for a millisecond. It prints nothing and runs until killed.

use std::thread;
use std::time::Duration;

use zmq::{ErrorKind, RecvFlags, SocketType};
use zmq_guide::endpoint;

fn main() -> zmq::Result<()> {
    // One context, two sockets.
    let context = zmq::Context::new()?;

    // Tasks from the ventilator.
    let receiver = context.socket(SocketType::Pull)?;
    receiver.connect(&endpoint("tcp://localhost:5557"))?;

    // New York's weather from the weather server.
    let subscriber = context.socket(SocketType::Sub)?;
    subscriber.connect(&endpoint("tcp://localhost:5556"))?;
    subscriber.subscribe(b"10001")?;

    // Serve both, giving tasks the priority.
    loop {
        // Take every task already queued.
        loop {
            match receiver.recv_with(RecvFlags::DONTWAIT) {
                Ok(_msg) => {} // a real program would run the task here
                Err(e) if e.kind() == ErrorKind::Again => break,
                Err(e) => return Err(e),
            }
        }
        // Then every weather update already queued.
        loop {
            match subscriber.recv_with(RecvFlags::DONTWAIT) {
                Ok(_msg) => {} // a real program would use the update here
                Err(e) if e.kind() == ErrorKind::Again => break,
                Err(e) => return Err(e),
            }
        }
        // Both queues are empty: wait a millisecond before looking again.
        thread::sleep(Duration::from_millis(1));
    }
}
