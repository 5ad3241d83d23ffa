//! Pathological subscriber
//!
//! Port of the zguide's `examples/Python/pathosub.py`: connects a SUB
//! socket (to the URL given as argument, by default tcp://localhost:5556),
//! subscribes to one random topic (`000` to `999`) and prints the body of
//! every message on it.
//!
//! Difference: the original is Python 2 only; this is its intent, printing
//! the body as text as Python 2's `print` does.

use rand::Rng;
use zmq::SocketType;
use zmq_guide::endpoint;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = std::env::args().nth(1);

    let ctx = zmq::Context::new()?;
    let subscriber = ctx.socket(SocketType::Sub)?;
    subscriber.connect(&endpoint(url.as_deref().unwrap_or("tcp://localhost:5556")))?;

    let subscription = format!("{:03}", rand::rng().random_range(0..=999));
    subscriber.subscribe(subscription.as_bytes())?;

    loop {
        let msg = subscriber.recv_multipart()?;
        let [topic, data] = &msg[..] else {
            return Err(format!("expected 2 frames, got {}", msg.len()).into());
        };
        assert_eq!(topic, subscription.as_bytes());
        println!("{}", String::from_utf8_lossy(data));
    }
}
