//! tx0mq's req/rep demo, the replier
//!
//! Port of claws/tx0mq's `examples/demo/reqrep/replier.py`: a reply server
//! (ROUTER) bound to the endpoint of `-e/--endpoint` (default
//! ipc:///tmp/sock) answers each request with the clock's time, printing
//! the request's identifier with both.

#[path = "options.rs"]
mod options;
#[path = "py2.rs"]
mod py2;

use std::time::{SystemTime, UNIX_EPOCH};

use zmq::asyncio::connection::{Connection, ReplyServer};
use zmq_guide::endpoint;
use zmq_guide::event_loop::run_until_complete;

async fn run(ctx: zmq::Context, address: String) -> zmq::Result<()> {
    let replier = ReplyServer::bind(&ctx, &endpoint(&address))?;
    println!("Replier listening");
    // messageReceived, for each request.
    loop {
        let (identifier, message) = replier.recv().await?;
        let id = String::from_utf8_lossy(&identifier).into_owned();
        // Only single-frame messages in this demo.
        let message = message.first().map(|m| m.to_vec()).unwrap_or_default();
        println!(
            "received request {id} : {}",
            String::from_utf8_lossy(&message)
        );
        let data = py2::float(now());
        println!("response contains {id} : {data}");
        replier.reply(&identifier, [data]).await?;
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
