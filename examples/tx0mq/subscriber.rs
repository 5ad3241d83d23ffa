//! tx0mq's pub/sub demo, the subscriber
//!
//! Port of claws/tx0mq's `examples/demo/pubsub/subscriber.py`: a SUB
//! connection connected to the endpoint of `-e/--endpoint` (default
//! ipc:///tmp/sock), subscribed to the topic of `-t/--topic` (default
//! "demo_topic"), prints each message with its topic.

#[path = "options.rs"]
mod options;

use zmq::asyncio::connection::{Connection, Subscriber};
use zmq_guide::endpoint;
use zmq_guide::event_loop::run_until_complete;

async fn run(ctx: zmq::Context, address: String, topic: String) -> zmq::Result<()> {
    let mut subscriber = Subscriber::connect(&ctx, &endpoint(&address))?;
    println!("subscriber connected, subscribing for topic: {topic}");
    subscriber.subscribe(&topic)?;
    // messageReceived, for each message.
    loop {
        let (topic, message) = subscriber.recv().await?;
        // Only single-frame messages in this demo.
        let message = message.first().map(|m| m.to_vec()).unwrap_or_default();
        println!(
            "Received message: ({}) {}",
            String::from_utf8_lossy(&topic),
            String::from_utf8_lossy(&message)
        );
    }
}

fn main() -> zmq::Result<()> {
    let [address, topic] = options::parse([
        ("-e", "--endpoint", "ipc:///tmp/sock"),
        ("-t", "--topic", "demo_topic"),
    ]);
    let ctx = zmq::Context::new()?;
    run_until_complete(run(ctx, address, topic))
}
