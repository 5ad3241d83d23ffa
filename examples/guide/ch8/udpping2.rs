//! UDP ping, model two
//!
//! Port of the zguide's `examples/Python/udpping2.py`: model one on
//! `udplib.rs`, so several processes on one host can share port 9999: a
//! one-byte beacon (`!`) broadcast once a second, `Found peer
//! <address>:<port>` for each beacon heard from another address, waiting
//! with `zmq::poll` on the socket's descriptor, until Ctrl-C.
//!
//! For tests, which must stay on the loopback interface:
//! `ZGUIDE_BROADCAST` replaces the broadcast address (e.g.
//! 127.255.255.255), and `ZGUIDE_PORT_OFFSET` shifts the port as it shifts
//! the TCP ports of the other examples.

#[path = "udplib.rs"]
mod udplib;

use std::os::fd::AsFd;
use std::time::{Duration, Instant};

use udplib::Udp;
use zmq::{ErrorKind, PollEvents, PollItem, interrupt};
use zmq_guide::endpoint;

const PING_PORT_NUMBER: u16 = 9999;
const PING_MSG_SIZE: usize = 1;
const PING_INTERVAL: Duration = Duration::from_secs(1);

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Ctrl-C makes the poll fail instead of killing the process.
    interrupt::catch_signals()?;

    let udp = Udp::new(endpoint::port(PING_PORT_NUMBER), None, None)?;

    let mut ping_at = Instant::now(); // the first ping goes at once
    loop {
        let timeout = ping_at.saturating_duration_since(Instant::now());
        let mut items = [PollItem::from_fd(udp.handle.as_fd(), PollEvents::POLLIN)];
        match zmq::poll(&mut items, Some(timeout)) {
            Ok(_) => {}
            Err(e) if e.kind() == ErrorKind::Interrupted => {
                println!("interrupted");
                break;
            }
            Err(e) => return Err(e.into()),
        }

        // A beacon from someone; udplib reports who.
        if items[0].is_readable() {
            udp.recv(PING_MSG_SIZE)?;
        }

        if Instant::now() >= ping_at {
            // Our beacon to everyone.
            println!("Pinging peers...");
            udp.send(b"!")?;
            ping_at = Instant::now() + PING_INTERVAL;
        }
    }
    Ok(())
}
