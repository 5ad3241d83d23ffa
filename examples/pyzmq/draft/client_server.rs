//! pyzmq examples/draft: CLIENT and SERVER
//!
//! Port of `draft/client-server.py` (draft API: build with `--features
//! draft`). A SERVER binds tcp://127.0.0.1:5555; ten times a fresh CLIENT
//! connects and sends "request i", the server prints it with the routing id
//! libzmq gave that client and answers "reply i" to that id, and the client
//! prints the reply.

use std::thread;
use std::time::Duration;

use zmq::ThreadSafeType;
use zmq_guide::{endpoint, pyfmt};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let ctx = zmq::Context::new()?;

    let url = endpoint("tcp://127.0.0.1:5555");
    let server = ctx.thread_safe_socket(ThreadSafeType::Server)?;
    server.bind(&url)?;

    for i in 0..10 {
        let client = ctx.thread_safe_socket(ThreadSafeType::Client)?;
        client.connect(&url)?;
        client.send(format!("request {i}"))?;
        let msg = server.recv()?;
        let routing_id = msg
            .routing_id()
            .ok_or("a SERVER message without a routing id")?;
        println!("server recvd {} from {routing_id}", pyfmt::bytes(&msg));
        server.send_to(routing_id, format!("reply {i}"))?;
        let reply = client.recv()?;
        println!("client recvd '{}'", String::from_utf8_lossy(&reply));
        thread::sleep(Duration::from_millis(100));
        client.close()?;
    }

    server.close()?;
    Ok(())
}
