//! pyzmq examples/pubsub: publishing on topics
//!
//! Port of `pubsub/topics_pub.py`. A PUB socket binds to the address given
//! and, after a second for subscribers to connect, cycles through seven
//! topics, sending `[topic, counter]` every 100 ms until Ctrl-C; then it
//! waits half a second for queues to flush. Subscribers filter on topic
//! prefixes: "s" gets sports and stocks, "w" the weather.
//!
//! Usage: `topics_pub <bind-to>`.

use std::thread;
use std::time::Duration;

use zmq::{SocketType, interrupt};
use zmq_guide::{endpoint, pyfmt};

fn main() -> zmq::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 2 {
        println!("usage: publisher <bind-to>");
        std::process::exit(1);
    }
    let bind_to = endpoint(&args[1]);

    let all_topics: [&[u8]; 7] = [
        b"sports.general",
        b"sports.football",
        b"sports.basketball",
        b"stocks.general",
        b"stocks.GOOG",
        b"stocks.AAPL",
        b"weather",
    ];

    interrupt::catch_signals()?;
    let ctx = zmq::Context::new()?;
    let s = ctx.socket(SocketType::Pub)?;
    s.bind(&bind_to)?;

    let listed: Vec<String> = all_topics.iter().map(|t| pyfmt::bytes(t)).collect();
    println!("Starting broadcast on topics:");
    println!("   [{}]", listed.join(", "));
    println!("Hit Ctrl-C to stop broadcasting.");
    println!("Waiting so subscriber sockets can connect...");
    println!();
    thread::sleep(Duration::from_secs(1));

    let mut msg_counter = 0u64..;
    for topic in all_topics.iter().cycle() {
        if interrupt::interrupted() {
            break;
        }
        let msg_body = msg_counter.next().unwrap_or_default().to_string();
        println!(
            "   Topic: {}, msg:{msg_body}",
            String::from_utf8_lossy(topic)
        );
        s.send_multipart([*topic, msg_body.as_bytes()])?;
        // A short pause, so as not to hog the CPU.
        thread::sleep(Duration::from_millis(100));
    }

    println!("Waiting for message queues to flush...");
    thread::sleep(Duration::from_millis(500));
    println!("Done.");
    Ok(())
}
