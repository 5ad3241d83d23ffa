//! Request-reply workers in parallel, on the event loop
//!
//! Port of the zguide's `examples/Python/asyncio_ioloop/rrworker_parallel.py`:
//! `asyncio_rrworker_parallel <ident> <number_of_workers>` starts that many
//! worker tasks, named `<ident>-0`, `<ident>-1`, ..., each a REP socket
//! connected to the broker's tcp://localhost:5560 that answers a request
//! "X" with "X, World from worker <name>", printing both sides.

use std::error::Error;

use zmq::SocketType;
use zmq::asyncio::AsyncSocket;
use zmq_guide::event_loop::run_until_complete;
use zmq_guide::{endpoint, pyfmt};

const USAGE: &str = "usage: asyncio_rrworker_parallel <ident> <number_of_workers>
    ident: a string naming the set of workers this process starts
    number_of_workers: how many workers to start";

async fn run_worker(ctx: zmq::Context, worker_id: String) -> zmq::Result<()> {
    let mut socket = AsyncSocket::with_type(&ctx, SocketType::Rep)?;
    socket.connect(&endpoint("tcp://localhost:5560"))?;
    loop {
        let message = socket.recv_bytes().await?;
        println!(
            "Worker {worker_id} received request: {}",
            pyfmt::bytes(&message)
        );
        let reply = format!(
            "{}, World from worker {worker_id}",
            String::from_utf8_lossy(&message)
        );
        socket.send(reply.as_str()).await?;
        println!(
            "Worker {worker_id} sent reply: {}",
            pyfmt::bytes(reply.as_bytes())
        );
    }
}

async fn run(ident: String, num_workers: usize) -> Result<(), Box<dyn Error>> {
    let ctx = zmq::Context::new()?;
    let tasks: Vec<_> = (0..num_workers)
        .map(|idx| tokio::spawn(run_worker(ctx.clone(), format!("{ident}-{idx}"))))
        .collect();
    // Until every worker has ended, which they do only on an error.
    for task in tasks {
        task.await??;
    }
    Ok(())
}

fn main() -> Result<(), Box<dyn Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [ident, num_workers] = <[String; 2]>::try_from(args).unwrap_or_else(|_| {
        eprintln!("{USAGE}");
        std::process::exit(1)
    });
    let num_workers: usize = num_workers
        .parse()
        .map_err(|e| format!("number_of_workers {num_workers:?}: {e}"))?;
    run_until_complete(run(ident, num_workers))
}
