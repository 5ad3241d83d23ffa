//! tx0mq's push/pull demo, the pusher
//!
//! Port of claws/tx0mq's `examples/demo/pushpull/pusher.py`: a PUSH
//! connection connected to the endpoint of `-e/--endpoint` (default
//! ipc:///tmp/sock), with linger 0 and a send high water mark of 1, pushes
//! the clock's time once a second, printing each. `ZGUIDE_INTERVAL_MS`
//! shortens the second, for tests.

#[path = "options.rs"]
mod options;
#[path = "py2.rs"]
mod py2;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use zmq::asyncio::connection::{Connection, Pusher};
use zmq::sockopt;
use zmq_guide::endpoint;
use zmq_guide::event_loop::run_until_complete;

async fn run(ctx: zmq::Context, address: String) -> zmq::Result<()> {
    let mut pusher = Pusher::connect(&ctx, &endpoint(&address))?;
    on_connect(&mut pusher).await
}

async fn on_connect(pusher: &mut Pusher) -> zmq::Result<()> {
    println!("pusher connected");
    // Unsent messages are dropped on close.
    pusher
        .get_ref()
        .set(sockopt::Linger, Some(Duration::ZERO))?;
    pusher.get_ref().set(sockopt::SndHwm, 1)?;
    let interval = Duration::from_millis(zmq_guide::setting("ZGUIDE_INTERVAL_MS", 1000));
    // produce(), then again a second later, for ever.
    loop {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0.0, |d| d.as_secs_f64());
        let data = py2::float(now);
        println!("pushing {data} ...");
        pusher.push([data]).await?;
        tokio::time::sleep(interval).await;
    }
}

fn main() -> zmq::Result<()> {
    let [address] = options::parse([("-e", "--endpoint", "ipc:///tmp/sock")]);
    let ctx = zmq::Context::new()?;
    run_until_complete(run(ctx, address))
}
