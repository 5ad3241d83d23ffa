//! Multithreaded relay, as tasks on the event loop
//!
//! Port of the zguide's `examples/Python/asyncio_ioloop/mtrelay.py`: three
//! steps chained by PAIR sockets over inproc://step2 and inproc://step3,
//! each step a task that binds its receiver before starting the step
//! upstream of it, then passes a signal downstream.

use zmq::SocketType;
use zmq::asyncio::AsyncSocket;
use zmq_guide::event_loop::run_until_complete;
use zmq_guide::pyfmt;

/// The original's switch for its `printdbg` lines.
const DEBUG: bool = true;

macro_rules! printdbg {
    ($($arg:tt)*) => {
        if DEBUG {
            println!($($arg)*);
        }
    };
}

async fn step1(ctx: zmq::Context) -> zmq::Result<()> {
    // Signal step 2.
    let mut sender = AsyncSocket::with_type(&ctx, SocketType::Pair)?;
    sender.connect("inproc://step2")?;
    let msg = b"message from step1";
    sender.send(&msg[..]).await?;
    printdbg!("(step1) sent msg: {}", pyfmt::bytes(msg));
    Ok(())
}

async fn step2(ctx: zmq::Context) -> zmq::Result<()> {
    // Bind first, then start the step upstream.
    let mut receiver = AsyncSocket::with_type(&ctx, SocketType::Pair)?;
    receiver.bind("inproc://step2")?;
    let upstream = tokio::spawn(step1(ctx.clone()));
    // Wait for its signal.
    let msg = receiver.recv_bytes().await?;
    printdbg!("(step2) received msg: {}", pyfmt::bytes(&msg));
    // Signal step 3.
    let mut sender = AsyncSocket::with_type(&ctx, SocketType::Pair)?;
    sender.connect("inproc://step3")?;
    let msg = b"message from step2";
    sender.send(&msg[..]).await?;
    printdbg!("(step2) sent msg: {}", pyfmt::bytes(msg));
    joined(upstream).await
}

async fn run(ctx: zmq::Context) -> zmq::Result<()> {
    // Bind first, then start the step upstream.
    let mut receiver = AsyncSocket::with_type(&ctx, SocketType::Pair)?;
    receiver.bind("inproc://step3")?;
    let upstream = tokio::spawn(step2(ctx.clone()));
    // Wait for its signal.
    let msg = receiver.recv_bytes().await?;
    println!("Test successful!  msg: {}", pyfmt::bytes(&msg));
    joined(upstream).await
}

/// The result of a step's task; a step that panicked ends the program
/// with its panic.
async fn joined(task: tokio::task::JoinHandle<zmq::Result<()>>) -> zmq::Result<()> {
    task.await
        .unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()))
}

fn main() -> zmq::Result<()> {
    if std::env::args().len() != 1 {
        eprintln!("usage: asyncio_mtrelay");
        std::process::exit(1);
    }
    let ctx = zmq::Context::new()?;
    run_until_complete(run(ctx))
}
