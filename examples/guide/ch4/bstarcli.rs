//! bstarcli: a Binary Star client
//!
//! Port of the zguide's `examples/Python/bstarcli.py`: sends numbered
//! requests to a Binary Star pair (`bstarsrv` or `bstarsrv2`), one a
//! second, to the primary at 5001 first. A request that gets no reply
//! within a second makes it wait for the pair to settle, then fail over
//! to the other server with a new socket and send the request again. Runs
//! until killed.
//!
//! Its timeout and pauses follow `ZGUIDE_TIME_SCALE` (see
//! `zmq_guide::settings`).

use std::thread;

use zmq::{PollEvents, SocketType};
use zmq_guide::endpoint;
use zmq_guide::settings::scaled_ms;

const REQUEST_TIMEOUT: u64 = 1000; // msecs
const SETTLE_DELAY: u64 = 2000; // before failing over

fn main() -> zmq::Result<()> {
    let server = [
        endpoint("tcp://localhost:5001"),
        endpoint("tcp://localhost:5002"),
    ];
    let mut server_nbr = 0;
    let ctx = zmq::Context::new()?;
    let mut client = ctx.socket(SocketType::Req)?;
    client.connect(&server[server_nbr])?;

    let mut sequence = 0u64;
    loop {
        client.send(sequence.to_string())?;

        let mut expect_reply = true;
        while expect_reply {
            let ready = client.poll(PollEvents::POLLIN, Some(scaled_ms(REQUEST_TIMEOUT)))?;
            if ready.contains(PollEvents::POLLIN) {
                let reply = client.recv_string()?;
                if reply.trim().parse() == Ok(sequence) {
                    println!("I: server replied OK ({reply})");
                    expect_reply = false;
                    sequence += 1;
                    thread::sleep(scaled_ms(1000));
                } else {
                    println!("E: malformed reply from server: {reply}");
                }
            } else {
                println!("W: no response from server, failing over");
                thread::sleep(scaled_ms(SETTLE_DELAY));
                server_nbr = (server_nbr + 1) % 2;
                println!("I: connecting to server at {}..", server[server_nbr]);
                // A new socket (the old one is stuck), the request again.
                client = ctx.socket(SocketType::Req)?;
                client.connect(&server[server_nbr])?;
                client.send(sequence.to_string())?;
            }
        }
    }
}
