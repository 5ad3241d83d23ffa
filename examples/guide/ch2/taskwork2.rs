//! Task worker - design 2
//!
//! Port of the zguide's `examples/Python/taskwork2.py`: taskwork plus a SUB
//! socket on tcp://localhost:5559 for the sink's kill signal, polled together
//! with the tasks. Each result carries its workload back to the sink.

use std::io::Write;
use std::thread;
use std::time::Duration;

use zmq::{PollEvents, PollItem, SocketType};
use zmq_guide::endpoint;

fn main() -> zmq::Result<()> {
    let context = zmq::Context::new()?;

    // Tasks come in here.
    let receiver = context.socket(SocketType::Pull)?;
    receiver.connect(&endpoint("tcp://localhost:5557"))?;

    // Results go out here.
    let sender = context.socket(SocketType::Push)?;
    sender.connect(&endpoint("tcp://localhost:5558"))?;

    // Commands from the sink.
    let controller = context.socket(SocketType::Sub)?;
    controller.connect(&endpoint("tcp://localhost:5559"))?;
    controller.subscribe(b"")?;

    // Wait on tasks and commands together.
    let mut items = [
        PollItem::from_socket(&receiver, PollEvents::POLLIN),
        PollItem::from_socket(&controller, PollEvents::POLLIN),
    ];

    loop {
        zmq::poll(&mut items, None)?;
        if items[0].is_readable() {
            let message = receiver.recv_string()?;

            // The task is a number of msec to sleep.
            let workload: u64 = message
                .parse()
                .unwrap_or_else(|e| panic!("bad workload {message:?}: {e}"));
            thread::sleep(Duration::from_millis(workload));

            // Report to the sink.
            sender.send(&message)?;

            // One dot per task, shown at once.
            print!(".");
            std::io::stdout().flush().expect("flush stdout");
        }
        // Whatever the controller says means stop.
        if items[1].is_readable() {
            break;
        }
    }

    // Done: close in the original's order, then end the context.
    receiver.close()?;
    sender.close()?;
    controller.close()?;
    drop(context);
    Ok(())
}
