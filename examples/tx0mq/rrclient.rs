//! tx0mq's request-reply broker demo, the client
//!
//! Port of claws/tx0mq's `examples/demo/request-reply-broker/rrclient.py`:
//! a request client connected to the broker's frontend (`-e/--endpoint`,
//! default ipc:///tmp/broker_frontend.ipc) sends 'hello' two seconds after
//! connecting, prints the reply and stops a second later.
//! `ZGUIDE_INTERVAL_MS` replaces the second (the two seconds are twice
//! it), for tests. Where the original prints its connection object, the
//! port prints what it is.

#[path = "options.rs"]
mod options;

use std::time::Duration;

use zmq::asyncio::connection::{Connection, RequestClient};
use zmq_guide::endpoint;
use zmq_guide::event_loop::run_until_complete;

async fn run(ctx: zmq::Context, address: String) -> zmq::Result<()> {
    println!("ZmqEndpoint(type='connect', address='{address}')");
    let client = RequestClient::connect(&ctx, &endpoint(&address))?;
    println!("<RequestClient connected to {address}>");
    println!("client connected to broker");
    let second = Duration::from_millis(zmq_guide::setting("ZGUIDE_INTERVAL_MS", 1000));
    tokio::time::sleep(2 * second).await;
    // doRequest
    let data = "hello";
    println!("client sending request containing '{data}'");
    let reply = client.request([data]).await?;
    // handleResponse: only single-frame messages in this demo.
    let reply = reply.first().map(|m| m.to_vec()).unwrap_or_default();
    println!("received reply: {}", String::from_utf8_lossy(&reply));
    tokio::time::sleep(second).await;
    Ok(())
}

fn main() -> zmq::Result<()> {
    let [address] = options::parse([("-e", "--endpoint", "ipc:///tmp/broker_frontend.ipc")]);
    let ctx = zmq::Context::new()?;
    run_until_complete(run(ctx, address))
}
