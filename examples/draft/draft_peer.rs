//! Draft API: PEER to PEER.
//!
//! `connect_peer` connects and returns the routing id of the peer at the
//! other end, so a PEER can send first; the receiving PEER learns the
//! sender's routing id from the message and answers with it. Run with
//! `cargo run --example draft_peer --features draft`.

use std::time::Duration;

use zmq::{ThreadSafeType, sockopt};

fn main() -> zmq::Result<()> {
    let context = zmq::Context::new()?;
    let alice = context.thread_safe_socket(ThreadSafeType::Peer)?;
    alice.set(sockopt::RcvTimeo, Some(Duration::from_secs(5)))?;
    alice.bind("tcp://127.0.0.1:*")?;

    let bob = context.thread_safe_socket(ThreadSafeType::Peer)?;
    bob.set(sockopt::RcvTimeo, Some(Duration::from_secs(5)))?;
    let alice_id = bob.connect_peer(&alice.last_endpoint()?)?;
    println!("bob reaches alice as routing id {alice_id}");

    bob.send_to(alice_id, "Hello, Alice")?;
    let greeting = alice.recv()?;
    let bob_id = greeting.routing_id().unwrap_or(0);
    println!(
        "alice got {:?} from routing id {bob_id}",
        String::from_utf8_lossy(&greeting)
    );

    alice.send_to(bob_id, "Hello, Bob")?;
    let reply = bob.recv()?;
    println!(
        "bob got {:?} from routing id {}",
        String::from_utf8_lossy(&reply),
        reply.routing_id().unwrap_or(0)
    );
    Ok(())
}
