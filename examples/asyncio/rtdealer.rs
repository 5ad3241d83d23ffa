//! Custom routing Router to Dealer, as tasks on the event loop
//!
//! Port of the zguide's `examples/Python/asyncio_ioloop/rtdealer.py`: a
//! ROUTER on ipc://routing.ipc sends ten workloads to DEALER workers "A"
//! and "B", to A twice as often as to B, then "END" to each; each worker
//! prints how many it got, and every task's result is printed once all are
//! done.
//!
//! One deliberate difference: the dealer task first waits a second (as the
//! guide's threaded rtdealer does), because a ROUTER drops messages for
//! peers it does not know yet, and the original, sending at once, loses
//! workloads and usually an "END", and then never finishes.

use std::time::Duration;

use zmq::asyncio::AsyncSocket;
use zmq::{SocketType, sockopt};
use zmq_guide::endpoint;
use zmq_guide::event_loop::run_until_complete;

const CONNECTION_ADDRESS: &str = "ipc://routing.ipc";

/// What a task returns, printed as the original prints its result tuple.
type TaskResult = zmq::Result<(String, String)>;

// Two workers with the same code, as on two different boxes.
async fn worker_a(ctx: zmq::Context) -> TaskResult {
    let mut worker = AsyncSocket::with_type(&ctx, SocketType::Dealer)?;
    worker.set(sockopt::RoutingId, b"A")?;
    worker.connect(&endpoint(CONNECTION_ADDRESS))?;
    let mut total = 0;
    loop {
        // One frame: the workload.
        let request = worker.recv_bytes().await?;
        let finished = request == b"END";
        if finished {
            println!("A received: {total}");
            break;
        }
        total += 1;
    }
    Ok(("'worker_a'".into(), total.to_string()))
}

async fn worker_b(ctx: zmq::Context) -> TaskResult {
    let mut worker = AsyncSocket::with_type(&ctx, SocketType::Dealer)?;
    worker.set(sockopt::RoutingId, b"B")?;
    worker.connect(&endpoint(CONNECTION_ADDRESS))?;
    let mut total = 0;
    loop {
        // One frame: the workload.
        let request = worker.recv_bytes().await?;
        let finished = request == b"END";
        if finished {
            println!("B received: {total}");
            break;
        }
        total += 1;
    }
    Ok(("'worker_b'".into(), total.to_string()))
}

async fn dealer(mut client: AsyncSocket) -> TaskResult {
    println!("(dealer) starting");
    // Leave both workers time to connect (see the module's notes).
    tokio::time::sleep(Duration::from_secs(1)).await;
    // Ten tasks, A twice as likely as B.
    for _ in 0..10 {
        // Two frames: the worker's identity, then the workload.
        let ident: &[u8] = [b"A", b"A", b"B"][rand::random_range(0..3)];
        let work = b"This is the workload";
        client.send_multipart([ident, &work[..]]).await?;
    }
    client.send_multipart([&b"A"[..], b"END"]).await?;
    client.send_multipart([&b"B"[..], b"END"]).await?;
    Ok(("'dealer'".into(), "'finished'".into()))
}

async fn run(ctx: zmq::Context) -> zmq::Result<()> {
    let client = AsyncSocket::with_type(&ctx, SocketType::Router)?;
    client.bind(&endpoint(CONNECTION_ADDRESS))?;
    let tasks = [
        tokio::spawn(worker_a(ctx.clone())),
        tokio::spawn(worker_b(ctx.clone())),
        tokio::spawn(dealer(client)),
    ];
    // Wait for all, then print their results in the order they started.
    let mut results = Vec::new();
    for task in tasks {
        results.push(
            task.await
                .unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic())),
        );
    }
    for result in results {
        let (name, value) = result?;
        println!("result: ({name}, {value})");
    }
    Ok(())
}

fn main() -> zmq::Result<()> {
    if std::env::args().len() != 1 {
        eprintln!("usage: asyncio_rtdealer");
        std::process::exit(1);
    }
    let ctx = zmq::Context::new()?;
    run_until_complete(run(ctx))?;
    println!("(program) finished");
    Ok(())
}
