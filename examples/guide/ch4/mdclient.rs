//! mdclient: a Majordomo client
//!
//! Port of the zguide's `examples/Python/mdclient.py`: sends "Hello world"
//! to the `echo` service through `mdbroker`, one request at a time, with
//! the Majordomo client API (`zmq_guide::mdcliapi`), and reports how many
//! round trips it made. `-v` traces the protocol. The original's 100,000
//! requests can be lowered with `ZGUIDE_REQUESTS`.

use zmq_guide::mdcliapi::MajorDomoClient;
use zmq_guide::{endpoint, setting};

fn main() -> Result<(), zmq_guide::mdp::Error> {
    // Ctrl-C ends the run early, as the original's KeyboardInterrupt does.
    zmq::interrupt::catch_signals()?;
    let requests: u64 = setting("ZGUIDE_REQUESTS", 100_000);
    let verbose = std::env::args().any(|arg| arg == "-v");
    let mut client = MajorDomoClient::new(&endpoint("tcp://localhost:5555"), verbose)?;
    let mut count = 0;
    while count < requests {
        let request = b"Hello world";
        // No reply (the broker is gone, or Ctrl-C) ends the run too.
        if client.send(b"echo", &[request])?.is_none() {
            break;
        }
        count += 1;
    }
    println!("{count} requests/replies processed");
    Ok(())
}
