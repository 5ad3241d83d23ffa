//! Draft API: RADIO/DISH groups over UDP on the loopback interface.
//!
//! The DISH binds a UDP port and joins the "weather" group; the RADIO
//! publishes to "weather" and "sports". Only weather reports arrive, each
//! tagged with its group. UDP joins are local, and the first datagrams may
//! be sent before the DISH listens, so the RADIO repeats until three
//! reports have arrived. Run with
//! `cargo run --example draft_radio_dish --features draft`.

use std::time::{Duration, Instant};

use zmq::{ThreadSafeType, sockopt};

fn main() -> zmq::Result<()> {
    // Any free UDP port on loopback.
    let port = std::net::UdpSocket::bind("127.0.0.1:0")
        .and_then(|probe| probe.local_addr())
        .map(|address| address.port())
        .expect("no free UDP port on 127.0.0.1");
    let endpoint = format!("udp://127.0.0.1:{port}");

    let context = zmq::Context::new()?;
    let dish = context.thread_safe_socket(ThreadSafeType::Dish)?;
    dish.set(sockopt::RcvTimeo, Some(Duration::from_millis(50)))?;
    dish.bind(&endpoint)?;
    dish.join("weather")?;

    let radio = context.thread_safe_socket(ThreadSafeType::Radio)?;
    radio.connect(&endpoint)?;

    let deadline = Instant::now() + Duration::from_secs(5);
    let mut received = 0;
    let mut n = 0;
    while received < 3 && Instant::now() < deadline {
        radio.send_to_group("sports", format!("score update {n}"))?;
        radio.send_to_group("weather", format!("forecast {n}: sunny"))?;
        n += 1;
        // What has arrived so far, up to the third report: a report that
        // came late arrives beside the next one.
        while received < 3
            && let Ok(message) = dish.recv()
        {
            println!(
                "[{}] {}",
                message.group().unwrap_or("?"),
                String::from_utf8_lossy(&message)
            );
            received += 1;
        }
    }
    println!("received {received} weather reports over {endpoint}");
    Ok(())
}
