//! ticlient: a Titanic client
//!
//! Port of the zguide's `examples/Python/ticlient.py`, the client side of
//! the Titanic Service Protocol (RFC 9): hands an `echo` request to
//! `titanic` through `mdbroker`, then asks for the reply until there is
//! one, and closes the request. `-v` traces the protocol. Its pauses
//! follow `ZGUIDE_TIME_SCALE`.

use std::process;
use std::thread;

use zmq_guide::mdcliapi::MajorDomoClient;
use zmq_guide::settings::scaled_ms;
use zmq_guide::{endpoint, mdp, pyfmt};

/// Calls a Titanic service: the reply's frames after a 200 status, `None`
/// for any other non-fatal status. Exits on a 400 or 500, and quietly when
/// there is no reply at all (the broker is gone, or interrupted).
fn service_call(
    session: &mut MajorDomoClient,
    service: &[u8],
    request: &[&[u8]],
) -> mdp::Result<Option<Vec<Vec<u8>>>> {
    let Some(mut reply) = session.send(service, request)?.filter(|r| !r.is_empty()) else {
        process::exit(0); // Interrupted or failed
    };
    let status = reply.remove(0);
    match &status[..] {
        b"200" => Ok(Some(reply)),
        b"400" => {
            println!("E: client fatal error 400, aborting");
            process::exit(1);
        }
        b"500" => {
            println!("E: server fatal error 500, aborting");
            process::exit(1);
        }
        _ => Ok(None),
    }
}

fn main() -> mdp::Result<()> {
    let verbose = std::env::args().any(|arg| arg == "-v");
    let mut session = MajorDomoClient::new(&endpoint("tcp://localhost:5555"), verbose)?;

    // 1. Hand an 'echo' request to Titanic.
    let request: [&[u8]; 2] = [b"echo", b"Hello world"];
    let reply = service_call(&mut session, b"titanic.request", &request)?;

    let mut uuid = Vec::new();

    if let Some(mut reply) = reply
        && !reply.is_empty()
    {
        uuid = reply.remove(0);
        println!("I: request UUID  {}", pyfmt::bytes(&uuid));
    }

    // 2. Ask until the reply is there.
    loop {
        thread::sleep(scaled_ms(100));
        let reply = service_call(&mut session, b"titanic.reply", &[uuid.as_slice()])?;

        if let Some(reply) = reply {
            let reply_string = reply.last().cloned().unwrap_or_default();
            println!("I: reply: {}", pyfmt::bytes(&reply_string));

            // 3. Close the request.
            service_call(&mut session, b"titanic.close", &[uuid.as_slice()])?;
            break;
        } else {
            println!("I: no reply yet, trying again...");
            thread::sleep(scaled_ms(5000)); // Again in 5 seconds.
        }
    }
    Ok(())
}
