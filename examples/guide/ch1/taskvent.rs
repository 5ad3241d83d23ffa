//! Task ventilator
//!
//! Port of the zguide's `examples/Python/taskvent.py`: once Enter is pressed,
//! signals the sink on tcp://localhost:5558 that a batch starts, then pushes
//! 100 random workloads (1 to 100 msec) to the workers from tcp://*:5557.
//! `ZGUIDE_TASKS` lowers the 100, for tests (give tasksink the same value).

use std::io::BufRead;
use std::thread;
use std::time::Duration;

use zmq::SocketType;
use zmq_guide::endpoint;

fn main() -> zmq::Result<()> {
    let context = zmq::Context::new()?;

    // Tasks go out on this socket.
    let sender = context.socket(SocketType::Push)?;
    sender.bind(&endpoint("tcp://*:5557"))?;

    // A direct line to the sink, to tell it when the batch starts.
    let sink = context.socket(SocketType::Push)?;
    sink.connect(&endpoint("tcp://localhost:5558"))?;

    println!("Press Enter when the workers are ready: ");
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .expect("read a line from stdin");
    println!("Sending tasks to workers...");

    // The batch starts with the message "0".
    sink.send("0")?;

    // The thread-local generator seeds itself from the OS, as random.seed() does.
    let tasks: u32 = zmq_guide::setting("ZGUIDE_TASKS", 100);
    let mut total_msec = 0;
    for _ in 0..tasks {
        // Each task is a sleep of 1 to 100 msec, inclusive.
        let workload: u32 = rand::random_range(1..=100);
        total_msec += workload;

        sender.send(workload.to_string())?;
    }
    println!("Total expected cost: {total_msec} msec");

    // Leave the queued tasks time to reach the workers.
    thread::sleep(Duration::from_secs(1));
    Ok(())
}
