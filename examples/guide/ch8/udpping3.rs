//! UDP ping, model three
//!
//! Port of the zguide's `examples/Python/udpping3.py`: starts an
//! `Interface` (`interface.rs`), whose agent broadcasts a UUID beacon on
//! UDP port 9999 every second, and prints each presence message it
//! reports, `[b'JOINED', b'<uuid>']` or `[b'LEFT', b'<uuid>']`, until
//! Ctrl-C. The agent's UDP socket (`udplib.rs`) prints `Found peer
//! <address>:<port>` for each beacon too.
//!
//! For tests, which must stay on the loopback interface:
//! `ZGUIDE_BROADCAST` replaces the broadcast address (e.g.
//! 127.255.255.255), and `ZGUIDE_PORT_OFFSET` shifts the port as it shifts
//! the TCP ports of the other examples.

#[path = "interface.rs"]
mod interface;
#[path = "udplib.rs"]
mod udplib;

use interface::Interface;
use zmq::{ErrorKind, interrupt};
use zmq_guide::pyfmt;

fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    // Ctrl-C makes the receive fail instead of killing the process.
    interrupt::catch_signals()?;
    let interface = Interface::new()?;
    loop {
        match interface.recv() {
            Ok(msg) => {
                let frames: Vec<String> = msg.iter().map(|frame| pyfmt::bytes(frame)).collect();
                println!("[{}]", frames.join(", "));
            }
            Err(e) if e.kind() == ErrorKind::Interrupted => {
                println!("interrupted");
                break;
            }
            Err(e) => return Err(e.into()),
        }
    }
    interface.stop();
    Ok(())
}
