//! Task sink
//!
//! Port of the zguide's `examples/Python/tasksink.py`: pulls on tcp://*:5558,
//! waits for the ventilator's start signal, then times how long the workers
//! take to report 100 results. `ZGUIDE_TASKS` lowers the 100, for tests.

use std::io::Write;
use std::time::Instant;

use zmq::SocketType;
use zmq_guide::{endpoint, pyfmt};

fn main() -> zmq::Result<()> {
    let context = zmq::Context::new()?;

    // Results come in here.
    let receiver = context.socket(SocketType::Pull)?;
    receiver.bind(&endpoint("tcp://*:5558"))?;

    // The first message only says the batch has started.
    let _s = receiver.recv()?;

    // The clock starts now.
    let tstart = Instant::now();

    // Collect every result, a colon every tenth, a dot otherwise.
    let tasks: u32 = zmq_guide::setting("ZGUIDE_TASKS", 100);
    for task_nbr in 0..tasks {
        let _s = receiver.recv()?;
        print!("{}", if task_nbr % 10 == 0 { ':' } else { '.' });
        std::io::stdout().flush().expect("flush stdout");
    }

    // The time of the whole batch, as a Python float of msec.
    let elapsed = tstart.elapsed();
    println!(
        "Total elapsed time: {} msec",
        pyfmt::float(elapsed.as_secs_f64() * 1000.0)
    );
    Ok(())
}
