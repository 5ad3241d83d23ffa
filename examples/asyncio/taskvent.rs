//! Task ventilator, on the event loop
//!
//! Port of the zguide's `examples/Python/asyncio_ioloop/taskvent.py`: once
//! Enter is pressed, tells the sink on tcp://localhost:5558 that a batch
//! starts, then pushes 100 random workloads (1 to 100 msec) to the workers
//! from tcp://*:5557. `ZGUIDE_TASKS` lowers the 100, for tests (give
//! asyncio_tasksink the same value).

use std::io::BufRead;
use std::time::Duration;

use zmq::SocketType;
use zmq::asyncio::AsyncSocket;
use zmq_guide::endpoint;
use zmq_guide::event_loop::run_until_complete;

async fn run_ventilator(ctx: &zmq::Context) -> zmq::Result<()> {
    // Tasks go out on this socket.
    let mut sender = AsyncSocket::with_type(ctx, SocketType::Push)?;
    sender.bind(&endpoint("tcp://*:5557"))?;
    // A direct line to the sink, to tell it when the batch starts.
    let mut sink = AsyncSocket::with_type(ctx, SocketType::Push)?;
    sink.connect(&endpoint("tcp://localhost:5558"))?;
    println!("Press Enter when the workers are ready: ");
    // Like the original's input(), this read holds the whole loop.
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .expect("read a line from stdin");
    println!("Sending tasks to workers...");
    // The batch starts with the message "0".
    sink.send("0").await?;
    // The thread-local generator seeds itself from the OS, as random.seed() does.
    let tasks: u32 = zmq_guide::setting("ZGUIDE_TASKS", 100);
    let mut total_msec = 0;
    for _ in 0..tasks {
        // Each task is a sleep of 1 to 100 msec, inclusive.
        let workload: u32 = rand::random_range(1..=100);
        total_msec += workload;
        sender.send(workload.to_string()).await?;
    }
    println!("Total expected cost: {total_msec} msec");
    // Leave the queued tasks time to reach the workers.
    tokio::time::sleep(Duration::from_secs(1)).await;
    Ok(())
}

async fn run(ctx: zmq::Context) -> zmq::Result<()> {
    run_ventilator(&ctx).await
}

fn main() -> zmq::Result<()> {
    if std::env::args().len() != 1 {
        eprintln!("usage: asyncio_taskvent");
        std::process::exit(1);
    }
    let ctx = zmq::Context::new()?;
    run_until_complete(run(ctx))
}
