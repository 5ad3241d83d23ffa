//! tx0mq's req/rep demo, the requester
//!
//! Port of claws/tx0mq's `examples/demo/reqrep/requester.py`: a request
//! client (DEALER) connected to the endpoint of `-e/--endpoint` (default
//! ipc:///tmp/sock), with linger 0, sends one request holding the clock's
//! time a second after connecting, prints the reply, and stops a second
//! later. `ZGUIDE_INTERVAL_MS` shortens both seconds, for tests.

#[path = "options.rs"]
mod options;
#[path = "py2.rs"]
mod py2;

use std::time::Duration;
use std::time::{SystemTime, UNIX_EPOCH};

use zmq::asyncio::connection::{Connection, RequestClient};
use zmq::sockopt;
use zmq_guide::endpoint;
use zmq_guide::event_loop::run_until_complete;

async fn run(ctx: zmq::Context, address: String) -> zmq::Result<()> {
    let requester = RequestClient::connect(&ctx, &endpoint(&address))?;
    println!("Requester connected");
    requester.with_socket(|s| s.set(sockopt::Linger, Some(Duration::ZERO)))?;
    let delay = Duration::from_millis(zmq_guide::setting("ZGUIDE_INTERVAL_MS", 1000));
    tokio::time::sleep(delay).await;
    do_request(&requester).await?;
    // The reactor stops a second after the reply.
    tokio::time::sleep(delay).await;
    Ok(())
}

async fn do_request(requester: &RequestClient) -> zmq::Result<()> {
    let data = py2::float(now());
    println!("sending request containing {data} ...");
    let reply = requester.request([data]).await?;
    // Only single-frame messages in this demo.
    let reply = reply.first().map(|m| m.to_vec()).unwrap_or_default();
    println!("received reply: {}", String::from_utf8_lossy(&reply));
    Ok(())
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
