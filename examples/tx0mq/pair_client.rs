//! tx0mq's pair demo, the client
//!
//! Port of claws/tx0mq's `examples/demo/pair/client.py`: a PAIR connection
//! connected to the endpoint of `-e/--endpoint` (default ipc:///tmp/sock)
//! sends the clock's time once a second and prints every response, without
//! answering it. `ZGUIDE_INTERVAL_MS` shortens the second, for tests.

#[path = "options.rs"]
mod options;
#[path = "py2.rs"]
mod py2;

use std::time::Duration;
use std::time::{SystemTime, UNIX_EPOCH};

use tokio::time::{Instant, timeout_at};
use zmq::asyncio::connection::{Connection, Pair};
use zmq_guide::endpoint;
use zmq_guide::event_loop::run_until_complete;

async fn run(ctx: zmq::Context, address: String) -> zmq::Result<()> {
    let mut client = Pair::connect(&ctx, &endpoint(&address))?;
    println!("Client connected");
    let interval = Duration::from_millis(zmq_guide::setting("ZGUIDE_INTERVAL_MS", 1000));
    // send() now and every interval after; messageReceived in between.
    let mut next_send = Instant::now();
    loop {
        if Instant::now() >= next_send {
            let data = py2::float(now());
            println!("sending {data}");
            client.send([data]).await?;
            next_send += interval;
        }
        // A receive cut short by the next send loses nothing.
        if let Ok(message) = timeout_at(next_send, client.recv()).await {
            // Only single-frame messages in this demo; no reply to a reply.
            let message = message?.first().map(|m| m.to_vec()).unwrap_or_default();
            println!("received response: {}", String::from_utf8_lossy(&message));
        }
    }
}

/// `time.time()`.
fn now() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}

fn main() -> zmq::Result<()> {
    let [address] = options::parse([("-e", "--endpoint", "ipc:///tmp/sock")]);
    let ctx = zmq::Context::new()?;
    run_until_complete(run(ctx, address))
}
