//! tx0mq's pair demo, the server
//!
//! Port of claws/tx0mq's `examples/demo/pair/server.py`: a PAIR connection
//! bound to the endpoint of `-e/--endpoint` (default ipc:///tmp/sock)
//! answers each single-frame request with the clock's time, printing both.

#[path = "options.rs"]
mod options;
#[path = "py2.rs"]
mod py2;

use std::time::{SystemTime, UNIX_EPOCH};

use zmq::asyncio::connection::{Connection, Pair};
use zmq_guide::endpoint;
use zmq_guide::event_loop::run_until_complete;

async fn run(ctx: zmq::Context, address: String) -> zmq::Result<()> {
    let mut server = Pair::bind(&ctx, &endpoint(&address))?;
    println!("Server listening");
    // messageReceived, for each message.
    loop {
        let message = server.recv().await?;
        // Only single-frame messages in this demo.
        let message = message.first().map(|m| m.to_vec()).unwrap_or_default();
        println!("received request: {}", String::from_utf8_lossy(&message));
        let data = py2::float(now());
        println!("sending response: {data}");
        server.send([data]).await?;
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
