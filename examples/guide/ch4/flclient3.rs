//! flclient3: Freelance client, model 3
//!
//! Port of the zguide's `examples/Python/flclient3.py` (Python 2): the
//! Freelance client API (`flcliapi.rs`, beside it) over three servers at
//! ports 5555, 5556 and 5557 (`flserver3` serves 5555), timing 10,000
//! requests (`ZGUIDE_REQUESTS` changes that) and printing the average
//! round trip.

#[path = "flcliapi.rs"]
mod flcliapi;

use std::time::Instant;

use flcliapi::FreelanceClient;
use zmq_guide::{endpoint, setting};

fn main() -> zmq::Result<()> {
    // The freelance client.
    let client = FreelanceClient::new()?;

    // Several servers.
    client.connect(&endpoint("tcp://localhost:5555"))?;
    client.connect(&endpoint("tcp://localhost:5556"))?;
    client.connect(&endpoint("tcp://localhost:5557"))?;

    // Time a batch of name "lookups".
    let requests: u32 = setting("ZGUIDE_REQUESTS", 10_000);
    let start = Instant::now();
    for _ in 0..requests {
        let request: &[u8] = b"random name";
        if client.request(&[request])?.is_none() {
            println!("E: name service not available, aborting");
            return Ok(());
        }
    }

    println!(
        "Average round trip cost: {} usec",
        (1e6 * start.elapsed().as_secs_f64() / f64::from(requests.max(1))) as u64
    );
    Ok(())
}
