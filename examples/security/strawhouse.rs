//! Allow or deny clients based on IP address.
//!
//! Strawhouse is still clear text and still the NULL mechanism, but an
//! authentication hook now checks each client's IP address against a list
//! and lets it in or turns it away.
//!
//! Port of pyzmq's `examples/security/strawhouse.py`. Its log lines go to
//! stderr as `[LEVEL] message`, like Python's logging set up there.

#[path = "version_check.rs"]
mod version_check;

use std::time::Duration;

use zmq::auth::Authenticator;
use zmq::{PollEvents, Security, SocketType};
use zmq_guide::endpoint;

/// Run strawhouse client
fn run() -> zmq::Result<()> {
    let mut allow_test_pass = false;
    let mut deny_test_pass = false;

    let ctx = zmq::Context::instance()?;

    // Start an authenticator for this context.
    let auth = Authenticator::start(&ctx)?;

    // Part 1 - demonstrate allowing clients based on IP address
    auth.allow("127.0.0.1");

    let server = ctx.socket(SocketType::Push)?;
    server.set_security(&Security::Null {
        zap_domain: Some("global"), // must come before bind
    })?;
    server.bind(&endpoint("tcp://*:9000"))?;

    let client_allow = ctx.socket(SocketType::Pull)?;
    client_allow.connect(&endpoint("tcp://127.0.0.1:9000"))?;

    server.send("Hello")?;

    let msg = client_allow.recv()?;
    if msg == "Hello" {
        allow_test_pass = true;
    }

    client_allow.close()?;

    // Part 2 - demonstrate denying clients based on IP address
    auth.stop()?;

    let auth = Authenticator::start(&ctx)?;

    auth.deny("127.0.0.1");

    let client_deny = ctx.socket(SocketType::Pull)?;
    client_deny.connect(&endpoint("tcp://127.0.0.1:9000"))?;

    let wait = Some(Duration::from_millis(50));
    if server
        .poll(PollEvents::POLLOUT, wait)?
        .contains(PollEvents::POLLOUT)
    {
        server.send("Hello")?;

        if client_deny
            .poll(PollEvents::POLLIN, wait)?
            .contains(PollEvents::POLLIN)
        {
            let _msg = client_deny.recv()?;
        } else {
            deny_test_pass = true;
        }
    } else {
        deny_test_pass = true;
    }

    client_deny.close()?;

    auth.stop()?; // stop auth thread

    if allow_test_pass && deny_test_pass {
        eprintln!("[INFO] Strawhouse test OK");
    } else {
        eprintln!("[ERROR] Strawhouse test FAIL");
    }
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    version_check::require_security()?;
    run()?;
    Ok(())
}
