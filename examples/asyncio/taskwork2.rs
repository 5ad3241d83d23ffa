//! Task worker, design 2, on the event loop
//!
//! Port of the zguide's `examples/Python/asyncio_ioloop/taskwork2.py`: the
//! worker of `asyncio_taskwork` (PULL from tcp://localhost:5557, a sleep of
//! the workload's msec, a PUSH to tcp://localhost:5558, a dot each) plus a
//! SUB socket on the sink's tcp://localhost:5559. One poll watches both:
//! a task is worked on, and any message on the controller ends the worker.
//! The workload goes back to the sink as the result.

use std::error::Error;
use std::io::Write;
use std::time::Duration;

use zmq::asyncio::AsyncSocket;
use zmq::{PollEvents, SocketType};
use zmq_guide::endpoint;
use zmq_guide::event_loop::{poll, run_until_complete};

async fn run_worker(ctx: &zmq::Context) -> Result<(), Box<dyn Error>> {
    // Tasks come in here.
    let mut receiver = AsyncSocket::with_type(ctx, SocketType::Pull)?;
    receiver.connect(&endpoint("tcp://localhost:5557"))?;
    // Results go out here.
    let mut sender = AsyncSocket::with_type(ctx, SocketType::Push)?;
    sender.connect(&endpoint("tcp://localhost:5558"))?;
    // Orders from the sink arrive here, every one of them.
    let mut controller = AsyncSocket::with_type(ctx, SocketType::Sub)?;
    controller.connect(&endpoint("tcp://localhost:5559"))?;
    controller.subscribe("")?;
    loop {
        let events = poll(&mut [&mut receiver, &mut controller], PollEvents::POLLIN).await?;
        if events[0] == PollEvents::POLLIN {
            let message = receiver.recv_bytes().await?;
            // The workload, in msec, as Python's int() reads it.
            let text = String::from_utf8_lossy(&message);
            let workload: u64 = text
                .trim()
                .parse()
                .map_err(|e| format!("workload {text:?}: {e}"))?;
            tokio::time::sleep(Duration::from_millis(workload)).await;
            sender.send(message).await?;
            // A dot per task, for whoever watches.
            print!(".");
            let _ = std::io::stdout().flush();
        }
        // Whatever the controller says means stop.
        if events[1] == PollEvents::POLLIN {
            break;
        }
    }
    Ok(())
}

async fn run(ctx: zmq::Context) -> Result<(), Box<dyn Error>> {
    run_worker(&ctx).await
}

fn main() -> Result<(), Box<dyn Error>> {
    if std::env::args().len() != 1 {
        eprintln!("usage: asyncio_taskwork2");
        std::process::exit(1);
    }
    let ctx = zmq::Context::new()?;
    run_until_complete(run(ctx))
}
