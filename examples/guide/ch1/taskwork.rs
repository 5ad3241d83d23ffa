//! Task worker
//!
//! Port of the zguide's `examples/Python/taskwork.py`: pulls workloads from
//! tcp://localhost:5557, sleeps that many msec, then pushes an empty result
//! to the sink on tcp://localhost:5558, printing a dot per task.

use std::io::Write;
use std::thread;
use std::time::Duration;

use zmq::SocketType;
use zmq_guide::endpoint;

fn main() -> zmq::Result<()> {
    let context = zmq::Context::new()?;

    // Tasks come in here.
    let receiver = context.socket(SocketType::Pull)?;
    receiver.connect(&endpoint("tcp://localhost:5557"))?;

    // Results go out here.
    let sender = context.socket(SocketType::Push)?;
    sender.connect(&endpoint("tcp://localhost:5558"))?;

    // Work until killed.
    loop {
        let s = receiver.recv_string()?;

        // One dot per task, shown at once.
        print!(".");
        std::io::stdout().flush().expect("flush stdout");

        // The "work" is a sleep of the given msec.
        let msec: u64 = s
            .parse()
            .unwrap_or_else(|e| panic!("bad workload {s:?}: {e}"));
        thread::sleep(Duration::from_millis(msec));

        // Tell the sink this task is done.
        sender.send(b"")?;
    }
}
