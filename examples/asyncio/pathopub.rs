//! Pathological publisher, on the event loop
//!
//! Port of the zguide's `examples/Python/asyncio_ioloop/pathopub.py`: a PUB
//! socket bound to tcp://127.0.0.1:5555 waits a second for subscribers,
//! publishes "Save Roger" once on each of the 1000 topics `000` to `999`
//! (a dot printed for each), then, once a second, "Off with his head. N" on
//! a random topic among `000` to `009`, printing each message as a Python
//! list. `ZGUIDE_INTERVAL_MS` changes the second between updates, for
//! tests.

use std::time::Duration;

use rand::Rng;
use zmq::SocketType;
use zmq::asyncio::AsyncSocket;
use zmq_guide::event_loop::run_until_complete;
use zmq_guide::{endpoint, pyfmt};

const URL: &str = "tcp://127.0.0.1:5555";

async fn run(ctx: zmq::Context) -> zmq::Result<()> {
    let mut publisher = AsyncSocket::with_type(&ctx, SocketType::Pub)?;
    publisher.bind(&endpoint(URL))?;
    // A subscriber that connects now still has a second to get there.
    tokio::time::sleep(Duration::from_secs(1)).await;
    // Every topic once, with a dot each.
    for topic_nbr in 0..1000 {
        publisher
            .send_multipart([
                format!("{topic_nbr:03}").into_bytes(),
                b"Save Roger".to_vec(),
            ])
            .await?;
        print!(".");
    }
    println!();
    let interval = Duration::from_millis(zmq_guide::setting("ZGUIDE_INTERVAL_MS", 1000));
    let mut rng = rand::rng();
    let mut count = 0u64;
    loop {
        count += 1;
        // Then a random update each second, on the first ten topics.
        tokio::time::sleep(interval).await;
        let message = [
            format!("{:03}", rng.random_range(0..=9)).into_bytes(),
            format!("Off with his head. {count}").into_bytes(),
        ];
        publisher.send_multipart(message.clone()).await?;
        println!("sent message: {}", pyfmt::bytes_list(&message));
    }
}

fn main() -> zmq::Result<()> {
    if std::env::args().len() != 1 {
        eprintln!("usage: asyncio_pathopub");
        std::process::exit(1);
    }
    let ctx = zmq::Context::new()?;
    run_until_complete(run(ctx))
}
