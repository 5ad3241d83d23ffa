//! UDP ping, model one
//!
//! Port of the zguide's `examples/Python/udpping1.py`: binds a UDP socket
//! to port 9999, broadcasts a one-byte beacon (`!`) to 255.255.255.255
//! once a second, and prints `Found peer <address>:<port>` for each beacon
//! it receives (its own included), waiting with `zmq::poll` on the socket's
//! descriptor, until Ctrl-C.
//!
//! For tests, which must stay on the loopback interface:
//! `ZGUIDE_BROADCAST` replaces the broadcast address (e.g.
//! 127.255.255.255), and `ZGUIDE_PORT_OFFSET` shifts the port as it shifts
//! the TCP ports of the other examples.

use std::net::{Ipv4Addr, UdpSocket};
use std::os::fd::AsFd;
use std::time::{Duration, Instant};

use zmq::{ErrorKind, PollEvents, PollItem, interrupt};
use zmq_guide::{endpoint, setting};

const PING_PORT_NUMBER: u16 = 9999;
const PING_MSG_SIZE: usize = 1;
const PING_INTERVAL: Duration = Duration::from_secs(1);

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Ctrl-C makes the poll fail instead of killing the process.
    interrupt::catch_signals()?;
    let port = endpoint::port(PING_PORT_NUMBER);
    let broadcast: Ipv4Addr = setting("ZGUIDE_BROADCAST", Ipv4Addr::BROADCAST);

    // A UDP socket on the ping port, allowed to broadcast.
    let sock = UdpSocket::bind((Ipv4Addr::UNSPECIFIED, port))?;
    sock.set_broadcast(true)?;

    // zmq::poll waits on plain descriptors too: beacons in, and a beacon
    // out each second.
    let mut ping_at = Instant::now(); // the first ping goes at once
    loop {
        let timeout = ping_at.saturating_duration_since(Instant::now());
        let mut items = [PollItem::from_fd(sock.as_fd(), PollEvents::POLLIN)];
        match zmq::poll(&mut items, Some(timeout)) {
            Ok(_) => {}
            Err(e) if e.kind() == ErrorKind::Interrupted => {
                println!("interrupted");
                break;
            }
            Err(e) => return Err(e.into()),
        }

        // A beacon from someone (maybe ourselves).
        if items[0].is_readable() {
            let mut msg = [0u8; PING_MSG_SIZE];
            let (_, peer) = sock.recv_from(&mut msg)?;
            println!("Found peer {}:{}", peer.ip(), peer.port());
        }

        if Instant::now() >= ping_at {
            // Our beacon to everyone.
            println!("Pinging peers...");
            sock.send_to(b"!", (broadcast, port))?;
            ping_at = Instant::now() + PING_INTERVAL;
        }
    }
    Ok(())
}
