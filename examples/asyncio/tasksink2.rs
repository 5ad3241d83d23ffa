//! Task sink, design 2, on the event loop
//!
//! Port of the zguide's `examples/Python/asyncio_ioloop/tasksink2.py`: the
//! sink of `asyncio_tasksink` (PULL on tcp://*:5558, the start-of-batch
//! message, 100 results marked `:` or `.`, the batch's time in whole msec)
//! plus a PUB socket on tcp://*:5559 on which it sends "KILL" once the
//! batch is done, so the workers stop. `ZGUIDE_TASKS` lowers the 100, for
//! tests.

use std::io::Write;
use std::time::Instant;

use zmq::SocketType;
use zmq::asyncio::AsyncSocket;
use zmq_guide::endpoint;
use zmq_guide::event_loop::run_until_complete;

async fn run_sink(ctx: &zmq::Context) -> zmq::Result<()> {
    // The results come in here.
    let mut receiver = AsyncSocket::with_type(ctx, SocketType::Pull)?;
    receiver.bind(&endpoint("tcp://*:5558"))?;
    // The workers listen here for the order to stop.
    let mut controller = AsyncSocket::with_type(ctx, SocketType::Pub)?;
    controller.bind(&endpoint("tcp://*:5559"))?;
    // The ventilator's "0" opens the batch; the clock starts then.
    receiver.recv().await?;
    let tstart = Instant::now();
    let tasks: u32 = zmq_guide::setting("ZGUIDE_TASKS", 100);
    for task_nbr in 0..tasks {
        receiver.recv().await?;
        print!("{}", if task_nbr % 10 == 0 { ':' } else { '.' });
        let _ = std::io::stdout().flush();
    }
    // %d of the elapsed msec drops the fraction.
    println!("Total elapsed time: {} msec", tstart.elapsed().as_millis());
    // The batch is done: the workers may go.
    controller.send("KILL").await?;
    Ok(())
}

async fn run(ctx: zmq::Context) -> zmq::Result<()> {
    run_sink(&ctx).await
}

fn main() -> zmq::Result<()> {
    if std::env::args().len() != 1 {
        eprintln!("usage: asyncio_tasksink2");
        std::process::exit(1);
    }
    let ctx = zmq::Context::new()?;
    run_until_complete(run(ctx))
}
