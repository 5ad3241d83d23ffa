//! mmiecho: asks the broker whether a service exists
//!
//! Port of the zguide's `examples/Python/mmiecho.py`: sends "echo" to the
//! broker's own `mmi.service` service (MMI, RFC 8) and prints its answer,
//! `b'200'` if an `echo` service is known, `b'404'` if not. `-v` traces
//! the protocol.

use zmq_guide::mdcliapi::MajorDomoClient;
use zmq_guide::{endpoint, pyfmt};

fn main() -> Result<(), zmq_guide::mdp::Error> {
    let verbose = std::env::args().any(|arg| arg == "-v");
    let mut client = MajorDomoClient::new(&endpoint("tcp://localhost:5555"), verbose)?;
    let request = b"echo";
    let reply = client.send(b"mmi.service", &[request])?;

    match reply.as_deref() {
        Some([replycode, ..]) => {
            println!("Lookup echo service: {}", pyfmt::bytes(replycode));
        }
        _ => println!("E: no response from broker, make sure it's running"),
    }
    Ok(())
}
