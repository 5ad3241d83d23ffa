//! Lazy Pirate client, on the event loop
//!
//! Port of the zguide's `examples/Python/asyncio_ioloop/lpclient.py`:
//! reliable request-reply from the client side alone. Each numbered request
//! to the REQ socket's server (tcp://localhost:5555) waits 2.5 s for its
//! reply; on silence the socket, stuck in mid-exchange, is given up and a
//! fresh one resends the request, three attempts in all. Then the client
//! abandons, and, as in the original, starts over from request 1 with a
//! new socket: it runs until interrupted. Start `asyncio_lpserver` (or
//! `asyncio_spqueue`, `asyncio_ppqueue` and their workers), then kill and
//! restart it as you like.
//!
//! As in the original, the stuck socket is "unbound" from the server's
//! endpoint (for a connected endpoint libzmq's `zmq_unbind` disconnects
//! it) and dropped with linger 0. Fixed: a reply that is not a number,
//! which the original's `int(reply)` raises on, is a malformed reply too.
//! The timeout follows `ZGUIDE_TIME_SCALE` (see `zmq_guide::settings`).

use std::time::Duration;

use zmq::asyncio::AsyncSocket;
use zmq::{PollEvents, SocketType, sockopt};
use zmq_guide::event_loop::run_until_complete;
use zmq_guide::settings::scaled_ms;
use zmq_guide::{endpoint, pyfmt};

const REQUEST_TIMEOUT: u64 = 2500;
const REQUEST_RETRIES: u32 = 3;
const SERVER_ENDPOINT: &str = "tcp://localhost:5555";

/// A fresh REQ socket connected to the server.
fn connect(context: &zmq::Context, server_endpoint: &str) -> zmq::Result<AsyncSocket> {
    let client = AsyncSocket::with_type(context, SocketType::Req)?;
    client.connect(server_endpoint)?;
    Ok(client)
}

/// What `poll(REQUEST_TIMEOUT)` says of the socket: `POLLIN` if a reply
/// came in time, nothing otherwise.
async fn poll_reply(client: &mut AsyncSocket) -> zmq::Result<PollEvents> {
    match tokio::time::timeout(scaled_ms(REQUEST_TIMEOUT), client.ready(PollEvents::POLLIN)).await {
        Ok(events) => events,
        Err(_elapsed) => Ok(PollEvents::empty()),
    }
}

/// A reply's number, as Python's `int()` reads it; `None` if it is not one.
fn number(reply: &[u8]) -> Option<u64> {
    std::str::from_utf8(reply).ok()?.trim().parse().ok()
}

async fn run_client(context: &zmq::Context) -> zmq::Result<()> {
    println!("I: Connecting to server...");
    let server_endpoint = endpoint(SERVER_ENDPOINT);
    let mut client = connect(context, &server_endpoint)?;
    let mut sequence = 0;
    let mut retries_left = REQUEST_RETRIES;
    while retries_left > 0 {
        sequence += 1;
        let request = sequence.to_string();
        println!("I: Sending ({request})");
        client.send(request.as_str()).await?;
        let mut expect_reply = true;
        while expect_reply {
            if poll_reply(&mut client).await? == PollEvents::POLLIN {
                let reply = client.recv_bytes().await?;
                if reply.is_empty() {
                    break;
                }
                if number(&reply) == Some(sequence) {
                    println!("I: Server replied OK ({})", pyfmt::bytes(&reply));
                    retries_left = REQUEST_RETRIES;
                    expect_reply = false;
                } else {
                    println!("E: Malformed reply from server: {}", pyfmt::bytes(&reply));
                }
            } else {
                println!("W: No response from server, retrying...");
                // The socket is stuck waiting for a reply: let it go.
                println!("W: confused");
                client.set(sockopt::Linger, Some(Duration::ZERO))?;
                client.unbind(&server_endpoint)?;
                retries_left -= 1;
                if retries_left == 0 {
                    println!("E: Server seems to be offline, abandoning");
                    return Ok(());
                }
                println!("I: Reconnecting and resending ({request})");
                // A new connection for the next attempt.
                client = connect(context, &server_endpoint)?;
                client.send(request.as_str()).await?;
            }
        }
    }
    Ok(())
}

async fn run() -> zmq::Result<()> {
    let context = zmq::Context::new()?;
    loop {
        run_client(&context).await?;
    }
}

fn main() -> zmq::Result<()> {
    if std::env::args().len() != 1 {
        eprintln!("usage: asyncio_lpclient");
        std::process::exit(1);
    }
    run_until_complete(run())
}
