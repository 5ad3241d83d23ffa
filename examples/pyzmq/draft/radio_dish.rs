//! pyzmq examples/draft: RADIO and DISH over UDP
//!
//! Port of `draft/radio-dish.py` (draft API: build with `--features
//! draft`). A DISH binds udp://*:5556 and joins the group "numbers"; a RADIO
//! connected to udp://127.0.0.1:5556 sends "000" ... "009" to that group,
//! one every 100 ms. The dish prints each with its group, or "missed a
//! message" when none comes within a second (UDP may drop them).

use std::thread;
use std::time::Duration;

use zmq::{ErrorKind, ThreadSafeType, sockopt};
use zmq_guide::endpoint;

fn main() -> zmq::Result<()> {
    let ctx = zmq::Context::new()?;
    let radio = ctx.thread_safe_socket(ThreadSafeType::Radio)?;
    let dish = ctx.thread_safe_socket(ThreadSafeType::Dish)?;
    dish.set(sockopt::RcvTimeo, Some(Duration::from_millis(1000)))?;

    dish.bind(&endpoint("udp://*:5556"))?;
    dish.join("numbers")?;
    radio.connect(&endpoint("udp://127.0.0.1:5556"))?;

    for i in 0..10 {
        thread::sleep(Duration::from_millis(100));
        radio.send_to_group("numbers", format!("{i:03}"))?;
        let msg = match dish.recv() {
            Ok(msg) => msg,
            Err(e) if e.kind() == ErrorKind::Again => {
                println!("missed a message");
                continue;
            }
            Err(e) => return Err(e),
        };
        println!(
            "Received {}:{}",
            msg.group().unwrap_or_default(),
            String::from_utf8_lossy(&msg)
        );
    }

    dish.close()?;
    radio.close()?;
    Ok(())
}
