//! tx0mq's request-reply broker demo, the server
//!
//! Port of claws/tx0mq's `examples/demo/request-reply-broker/rrserver.py`:
//! a reply server connected to the broker's backend (`-e/--endpoint`,
//! default ipc:///tmp/broker_backend.ipc) answers each request with
//! 'world', printing the request's identifier with both. Where the
//! original prints its connection object, the port prints what it is.

#[path = "options.rs"]
mod options;

use zmq::asyncio::connection::{Connection, ReplyServer};
use zmq_guide::endpoint;
use zmq_guide::event_loop::run_until_complete;

async fn run(ctx: zmq::Context, address: String) -> zmq::Result<()> {
    println!("ZmqEndpoint(type='connect', address='{address}')");
    let replier = ReplyServer::connect(&ctx, &endpoint(&address))?;
    println!("Service waiting for requests");
    println!("<ReplyServer connected to {address}>");
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
        let data = "world";
        println!("response contains {id} : {data}");
        replier.reply(&identifier, [data]).await?;
    }
}

fn main() -> zmq::Result<()> {
    let [address] = options::parse([("-e", "--endpoint", "ipc:///tmp/broker_backend.ipc")]);
    let ctx = zmq::Context::new()?;
    run_until_complete(run(ctx, address))
}
