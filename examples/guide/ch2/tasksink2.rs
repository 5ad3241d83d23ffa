//! Task sink - design 2
//!
//! Port of the zguide's `examples/Python/tasksink2.py`: tasksink plus a PUB
//! socket on tcp://*:5559 that tells the workers to stop once the batch of
//! 100 results is in. `ZGUIDE_TASKS` lowers the 100, for tests.

use std::io::Write;
use std::time::Instant;

use zmq::SocketType;
use zmq_guide::endpoint;

fn main() -> zmq::Result<()> {
    let context = zmq::Context::new()?;

    // Results come in here.
    let receiver = context.socket(SocketType::Pull)?;
    receiver.bind(&endpoint("tcp://*:5558"))?;

    // Commands to the workers go out here.
    let controller = context.socket(SocketType::Pub)?;
    controller.bind(&endpoint("tcp://*:5559"))?;

    // The first message only says the batch has started.
    receiver.recv()?;

    // The clock starts now.
    let tstart = Instant::now();

    // Collect every result, a colon every tenth, a dot otherwise.
    let tasks: u32 = zmq_guide::setting("ZGUIDE_TASKS", 100);
    for task_nbr in 0..tasks {
        receiver.recv()?;
        print!("{}", if task_nbr % 10 == 0 { ':' } else { '.' });
        std::io::stdout().flush().expect("flush stdout");
    }

    // "%d" drops the fraction of a msec.
    let total_msec = tstart.elapsed().as_secs_f64() * 1000.0;
    println!("Total elapsed time: {} msec", total_msec as u64);

    // Tell the workers to stop.
    controller.send(b"KILL")?;

    // Done: close both, then end the context (waiting for KILL to leave).
    receiver.close()?;
    controller.close()?;
    drop(context);
    Ok(())
}
