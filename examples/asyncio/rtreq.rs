//! Custom routing Router to Mama (ROUTER to REQ), as tasks on the event loop
//!
//! Port of the zguide's `examples/Python/asyncio_ioloop/rtreq.py`: ten REQ
//! worker tasks with random printable identities ask a ROUTER on
//! tcp://*:5671 for work; the requestor task hands out 100 workloads to
//! whoever asked last, then "END" to each. Every task's result is printed
//! once all are done.

use std::time::Duration;

use zmq::SocketType;
use zmq::asyncio::AsyncSocket;
use zmq_guide::event_loop::run_until_complete;
use zmq_guide::{endpoint, zhelpers};

const NBR_WORKERS: usize = 10;

/// What a task returns, printed as the original prints its result tuple.
type TaskResult = zmq::Result<(String, String)>;

async fn worker_task(id: usize, ctx: zmq::Context) -> TaskResult {
    let mut worker = AsyncSocket::with_type(&ctx, SocketType::Req)?;
    // A printable identity, for ease.
    zhelpers::set_id(worker.get_ref())?;
    worker.connect(&endpoint("tcp://localhost:5671"))?;
    let mut total = 0;
    loop {
        // Tell the router this worker wants work.
        worker.send("ready").await?;
        // Workloads come until one says "END".
        let workload = worker.recv_bytes().await?;
        let finished = workload == b"END";
        if finished {
            println!("worker {id} processed: {total} tasks");
            break;
        }
        total += 1;
        // Some random work.
        let secs = 0.1 * rand::random::<f64>();
        tokio::time::sleep(Duration::from_secs_f64(secs)).await;
    }
    Ok((format!("'worker {id}'"), total.to_string()))
}

async fn requestor(mut client: AsyncSocket) -> TaskResult {
    for _ in 0..NBR_WORKERS * 10 {
        // The next waiting worker is the least recently used.
        let [address, _empty, _ready] = three_frames(client.recv_multipart().await?)?;
        client
            .send_multipart([address, Vec::new(), b"This is the workload".to_vec()])
            .await?;
    }
    // Then tell each worker to stop and report.
    for _ in 0..NBR_WORKERS {
        let [address, _empty, _ready] = three_frames(client.recv_multipart().await?)?;
        client
            .send_multipart([address, Vec::new(), b"END".to_vec()])
            .await?;
    }
    Ok(("'requestor'".into(), "'finished'".into()))
}

/// A three-frame message as Python unpacks it; any other count is a
/// protocol error.
fn three_frames(frames: Vec<Vec<u8>>) -> zmq::Result<[Vec<u8>; 3]> {
    <[Vec<u8>; 3]>::try_from(frames).map_err(|_| zmq::Error::from_errno(libc::EPROTO))
}

async fn run(ctx: zmq::Context) -> zmq::Result<()> {
    let client = AsyncSocket::with_type(&ctx, SocketType::Router)?;
    client.bind(&endpoint("tcp://*:5671"))?;
    let mut tasks: Vec<_> = (0..NBR_WORKERS)
        .map(|idx| tokio::spawn(worker_task(idx, ctx.clone())))
        .collect();
    tasks.push(tokio::spawn(requestor(client)));
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
        eprintln!("usage: asyncio_rtreq");
        std::process::exit(1);
    }
    let ctx = zmq::Context::new()?;
    run_until_complete(run(ctx))?;
    println!("(program) finished");
    Ok(())
}
