//! tx0mq's push/pull demo, the puller
//!
//! Port of claws/tx0mq's `examples/demo/pushpull/puller.py`: a PULL
//! connection bound to the endpoint of `-e/--endpoint` (default
//! ipc:///tmp/sock) prints each message it receives as Python 2 prints its
//! list of frames.

#[path = "options.rs"]
mod options;

use zmq::asyncio::connection::{Connection, Puller};
use zmq_guide::endpoint;
use zmq_guide::event_loop::run_until_complete;

async fn run(ctx: zmq::Context, address: String) -> zmq::Result<()> {
    let mut puller = Puller::bind(&ctx, &endpoint(&address))?;
    println!("Puller connected");
    // messageReceived, for each message.
    loop {
        let message = puller.recv().await?;
        println!("Puller received: {}", py2_list(&message));
    }
}

/// Python 2's `repr()` of a list of `str` frames: `['a', 'b']`.
pub fn py2_list<F: AsRef<[u8]>>(frames: &[F]) -> String {
    // A Python 2 str prints as a Python 3 bytes does, without the `b`.
    let items: Vec<String> = frames
        .iter()
        .map(|f| zmq_guide::pyfmt::bytes(f.as_ref())[1..].to_owned())
        .collect();
    format!("[{}]", items.join(", "))
}

fn main() -> zmq::Result<()> {
    let [address] = options::parse([("-e", "--endpoint", "ipc:///tmp/sock")]);
    let ctx = zmq::Context::new()?;
    run_until_complete(run(ctx, address))
}
