//! Task worker, on the event loop
//!
//! Port of the zguide's `examples/Python/asyncio_ioloop/taskwork.py`: pulls
//! workloads from the ventilator on tcp://localhost:5557, prints a dot for
//! each, sleeps that many msec without blocking the loop, and pushes an
//! empty result to the sink on tcp://localhost:5558.

use std::io::Write;
use std::time::Duration;

use zmq::SocketType;
use zmq::asyncio::AsyncSocket;
use zmq_guide::endpoint;
use zmq_guide::event_loop::run_until_complete;

async fn run_worker(ctx: &zmq::Context) -> zmq::Result<()> {
    // Tasks come in on this socket.
    let mut receiver = AsyncSocket::with_type(ctx, SocketType::Pull)?;
    receiver.connect(&endpoint("tcp://localhost:5557"))?;
    // Results go out on this one.
    let mut sender = AsyncSocket::with_type(ctx, SocketType::Push)?;
    sender.connect(&endpoint("tcp://localhost:5558"))?;
    loop {
        let s = receiver.recv_string().await?;
        // A dot per task, so whoever watches sees progress.
        print!(".");
        let _ = std::io::stdout().flush();
        // The "work" (a workload that is not a number costs nothing).
        let msec: u64 = s.trim().parse().unwrap_or(0);
        tokio::time::sleep(Duration::from_millis(msec)).await;
        // Tell the sink this one is done.
        sender.send("").await?;
    }
}

async fn run(ctx: zmq::Context) -> zmq::Result<()> {
    run_worker(&ctx).await
}

fn main() -> zmq::Result<()> {
    if std::env::args().len() != 1 {
        eprintln!("usage: asyncio_taskwork");
        std::process::exit(1);
    }
    let ctx = zmq::Context::new()?;
    run_until_complete(run(ctx))
}
