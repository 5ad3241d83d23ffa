//! tx0mq's pub/sub demo, the publisher
//!
//! Port of claws/tx0mq's `examples/demo/pubsub/publisher.py`: a PUB
//! connection bound to the endpoint of `-e/--endpoint` (default
//! ipc:///tmp/sock), with linger 0, publishes the clock's time once a
//! second under the topic of `-t/--topic` (default "demo_topic"), the topic
//! as its own first frame, printing each. `ZGUIDE_INTERVAL_MS` shortens the
//! second, for tests.

#[path = "options.rs"]
mod options;
#[path = "py2.rs"]
mod py2;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use zmq::asyncio::connection::{Connection, Publisher};
use zmq::sockopt;
use zmq_guide::endpoint;
use zmq_guide::event_loop::run_until_complete;

async fn run(ctx: zmq::Context, address: String, topic: String) -> zmq::Result<()> {
    let mut publisher = Publisher::bind(&ctx, &endpoint(&address))?;
    println!("Publisher connected");
    publisher
        .get_ref()
        .set(sockopt::Linger, Some(Duration::ZERO))?;
    let interval = Duration::from_millis(zmq_guide::setting("ZGUIDE_INTERVAL_MS", 1000));
    // publish(), then again a second later, for ever.
    loop {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0.0, |d| d.as_secs_f64());
        let data = py2::float(now);
        println!("publishing ({topic}) {data} ...");
        publisher.publish([data], &topic).await?;
        tokio::time::sleep(interval).await;
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
