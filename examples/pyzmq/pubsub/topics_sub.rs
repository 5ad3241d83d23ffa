//! pyzmq examples/pubsub: subscribing to topics
//!
//! Port of `pubsub/topics_sub.py`. A SUB socket connects to the address
//! given and subscribes to each topic prefix named after it, or to all
//! topics when none is; it prints every `[topic, message]` it receives
//! until Ctrl-C.
//!
//! Usage: `topics_sub <connect_to> [topic topic ...]`.

use zmq::{ErrorKind, SocketType, interrupt};
use zmq_guide::endpoint;

/// Python's `repr()` of a list of `str`.
fn str_list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|t| format!("'{t}'")).collect();
    format!("[{}]", quoted.join(", "))
}

fn main() -> zmq::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 2 {
        println!("usage: subscriber <connect_to> [topic topic ...]");
        std::process::exit(1);
    }
    let connect_to = endpoint(&args[1]);
    let topics = &args[2..];

    interrupt::catch_signals()?;
    let ctx = zmq::Context::new()?;
    let s = ctx.socket(SocketType::Sub)?;
    s.connect(&connect_to)?;

    // Manage the subscriptions.
    if topics.is_empty() {
        println!("Receiving messages on ALL topics...");
        s.subscribe(b"")?;
    } else {
        println!("Receiving messages on topics: {} ...", str_list(topics));
        for t in topics {
            s.subscribe(t)?;
        }
    }
    loop {
        match s.recv_multipart() {
            Ok(frames) => {
                let [topic, msg] = frames.as_slice() else {
                    eprintln!("skipping a message of {} frames", frames.len());
                    continue;
                };
                println!(
                    "   Topic: {}, msg:{}",
                    String::from_utf8_lossy(topic),
                    String::from_utf8_lossy(msg)
                );
            }
            Err(e) if e.kind() == ErrorKind::Interrupted => break,
            Err(e) => return Err(e),
        }
    }
    println!("Done.");
    Ok(())
}
