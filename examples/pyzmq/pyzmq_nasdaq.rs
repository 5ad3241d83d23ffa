//! pyzmq classic: the NASDAQ feed
//!
//! The subscriber from ZeroMQ's own introduction, in its widely taught
//! Python form (no pyzmq original): listen to two publishers, keep only the
//! messages that start with "NASDAQ" and republish them locally on
//! ipc://nasdaq-feed, forever. The publishers are tcp://192.168.55.112:5556
//! and tcp://192.168.55.201:7721 as in the original; two arguments replace
//! them (the tests pass their own).

use zmq::SocketType;
use zmq_guide::endpoint;

fn main() -> zmq::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let publishers = match &args[..] {
        [] => vec![
            endpoint("tcp://192.168.55.112:5556"),
            endpoint("tcp://192.168.55.201:7721"),
        ],
        [first, second] => vec![first.clone(), second.clone()],
        _ => {
            println!("Usage: pyzmq_nasdaq [<publisher_1> <publisher_2>]");
            std::process::exit(1);
        }
    };

    let context = zmq::Context::new()?;
    let subscriber = context.socket(SocketType::Sub)?;
    for publisher in &publishers {
        subscriber.connect(publisher)?;
    }
    subscriber.subscribe(b"NASDAQ")?;

    let publisher = context.socket(SocketType::Pub)?;
    publisher.bind(&endpoint("ipc://nasdaq-feed"))?;

    loop {
        let message = subscriber.recv()?;
        publisher.send(message)?;
    }
}
