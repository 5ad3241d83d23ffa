//! EAGAIN at the high-water mark
//!
//! Port of the zguide's `examples/Python/eagain.py`: a DEALER with a
//! send high-water mark of 4 and a send timeout of 0, connected to
//! tcp://localhost:9876 where nobody listens, queues messages until the
//! mark and then fails with EAGAIN, which it prints ("Resource temporarily
//! unavailable") before it stops.

use std::time::Duration;

use zmq::{ErrorKind, SocketType, sockopt};
use zmq_guide::endpoint;

fn main() -> zmq::Result<()> {
    let ctx = zmq::Context::new()?;
    let mailbox = ctx.socket(SocketType::Dealer)?;
    mailbox.set(sockopt::SndHwm, 4)?;
    mailbox.set(sockopt::SndTimeo, Some(Duration::ZERO))?;
    mailbox.connect(&endpoint("tcp://localhost:9876"))?;

    for count in 0..10 {
        println!("Sending message {count}");
        match mailbox.send(format!("message {count}")) {
            Ok(()) => {}
            Err(e) if e.kind() == ErrorKind::Again => {
                println!("{e}");
                break;
            }
            Err(e) => return Err(e),
        }
    }

    // Nothing queued is worth waiting for: close at once, then end.
    mailbox.set(sockopt::Linger, Some(Duration::ZERO))?;
    drop(mailbox);
    drop(ctx);
    Ok(())
}
