//! lpclient: the Lazy Pirate client
//!
//! Port of the zguide's `examples/Python/lpclient.py`: reliable
//! request-reply from the client side alone. Each request waits a bounded
//! time for its reply; on silence the REQ socket, stuck in mid-exchange, is
//! closed and a fresh one resends the request, three attempts in all
//! before the client gives up. Start `lpserver`, then kill and restart it
//! as you like.
//!
//! It logs to standard error as the original's `logging` does. Its
//! timeout follows `ZGUIDE_TIME_SCALE` (see `zmq_guide::settings`).

use std::time::Duration;

use zmq::{PollEvents, SocketType, sockopt};
use zmq_guide::logging::leveled::{error, info, warning};
use zmq_guide::settings::scaled_ms;
use zmq_guide::{endpoint, pyfmt};

const REQUEST_TIMEOUT: u64 = 2500;
const REQUEST_RETRIES: u32 = 3;
const SERVER_ENDPOINT: &str = "tcp://localhost:5555";

fn main() -> zmq::Result<()> {
    let context = zmq::Context::new()?;
    let server_endpoint = endpoint(SERVER_ENDPOINT);

    info("Connecting to server…");
    let mut client = context.socket(SocketType::Req)?;
    client.connect(&server_endpoint)?;

    for sequence in 0u64.. {
        let request = sequence.to_string();
        info(format_args!(
            "Sending ({})",
            pyfmt::bytes(request.as_bytes())
        ));
        client.send(&request)?;

        let mut retries_left = REQUEST_RETRIES;
        loop {
            let ready = client.poll(PollEvents::POLLIN, Some(scaled_ms(REQUEST_TIMEOUT)))?;
            if ready.contains(PollEvents::POLLIN) {
                let reply = client.recv_bytes()?;
                // Fix: the original's int(reply) raises on a reply that is
                // not a number; here that is a malformed reply too.
                let number = std::str::from_utf8(&reply)
                    .ok()
                    .and_then(|text| text.trim().parse::<u64>().ok());
                if number == Some(sequence) {
                    info(format_args!("Server replied OK ({})", pyfmt::bytes(&reply)));
                    break;
                } else {
                    error(format_args!(
                        "Malformed reply from server: {}",
                        pyfmt::bytes(&reply)
                    ));
                    continue;
                }
            }

            retries_left -= 1;
            warning("No response from server");
            // The socket is stuck waiting for a reply: drop it at once.
            client.set(sockopt::Linger, Some(Duration::ZERO))?;
            drop(client);
            if retries_left == 0 {
                error("Server seems to be offline, abandoning");
                return Ok(());
            }

            info("Reconnecting to server…");
            // A fresh socket for the next attempt.
            client = context.socket(SocketType::Req)?;
            client.connect(&server_endpoint)?;
            info(format_args!(
                "Resending ({})",
                pyfmt::bytes(request.as_bytes())
            ));
            client.send(&request)?;
        }
    }
    Ok(())
}
