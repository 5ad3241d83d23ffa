//! mdclient2: an asynchronous Majordomo client
//!
//! Port of the zguide's `examples/Python/mdclient2.py`: sends all its
//! "Hello world" requests to the `echo` service at once with the
//! asynchronous client API (`mdcliapi2.rs`, beside it), then collects the
//! replies, and reports how many it got. `-v` traces the protocol. The
//! original's 100,000 requests can be lowered with `ZGUIDE_REQUESTS`.

#[path = "mdcliapi2.rs"]
mod mdcliapi2;

use mdcliapi2::MajorDomoClient;
use zmq_guide::{endpoint, setting};

fn main() -> Result<(), zmq_guide::mdp::Error> {
    // Ctrl-C ends the run early, as the original's KeyboardInterrupt does.
    zmq::interrupt::catch_signals()?;
    let verbose = std::env::args().any(|arg| arg == "-v");
    let mut client = MajorDomoClient::new(&endpoint("tcp://localhost:5555"), verbose)?;
    let requests: u64 = setting("ZGUIDE_REQUESTS", 100_000);
    for _ in 0..requests {
        let request = b"Hello world";
        if let Err(e) = client.send(b"echo", &[request]) {
            if e.kind() == zmq::ErrorKind::Interrupted {
                println!("send interrupted, aborting");
                return Ok(());
            }
            return Err(e.into());
        }
    }

    let mut count = 0;
    while count < requests {
        // No reply (lost, or Ctrl-C) ends the count.
        if client.recv()?.is_none() {
            break;
        }
        count += 1;
    }
    println!("{count} requests/replies processed");
    Ok(())
}
