//! Draft API: SERVER/CLIENT echo with routing ids, one server socket shared
//! by two threads.
//!
//! A SERVER socket is thread-safe, so two worker threads hold it through an
//! `Arc` and receive from it at the same time. Each request carries the
//! routing id of the CLIENT that sent it; the worker stamps that id on the
//! reply so it goes back to the right client. Run with
//! `cargo run --example draft_server_client --features draft`.

use std::sync::Arc;
use std::thread;
use std::time::Duration;

use zmq::{Message, ThreadSafeType, sockopt};

const CLIENTS: usize = 3;
const REQUESTS: usize = 2;

fn main() -> zmq::Result<()> {
    let context = zmq::Context::new()?;
    let server = Arc::new(context.thread_safe_socket(ThreadSafeType::Server)?);
    server.set(sockopt::RcvTimeo, Some(Duration::from_secs(5)))?;
    server.bind("tcp://127.0.0.1:*")?;
    let endpoint = server.last_endpoint()?;

    // Two workers share the one server socket.
    let workers: Vec<_> = (0..2)
        .map(|worker| {
            let server = Arc::clone(&server);
            thread::spawn(move || -> zmq::Result<()> {
                loop {
                    let request = server.recv()?;
                    if request == "stop" {
                        return Ok(());
                    }
                    let Some(client) = request.routing_id() else {
                        continue;
                    };
                    let text = String::from_utf8_lossy(&request).into_owned();
                    println!("worker {worker}: {text:?} from client {client}");
                    let mut reply = Message::from(format!("echo: {text}"));
                    reply.set_routing_id(client)?;
                    server.send(reply)?;
                }
            })
        })
        .collect();

    let clients: Vec<_> = (0..CLIENTS)
        .map(|id| {
            let context = context.clone();
            let endpoint = endpoint.clone();
            thread::spawn(move || -> zmq::Result<zmq::ThreadSafeSocket> {
                let client = context.thread_safe_socket(ThreadSafeType::Client)?;
                client.set(sockopt::RcvTimeo, Some(Duration::from_secs(5)))?;
                client.connect(&endpoint)?;
                for n in 0..REQUESTS {
                    client.send(format!("client {id} request {n}"))?;
                    let reply = client.recv()?;
                    println!("client {id}: {}", String::from_utf8_lossy(&reply));
                }
                Ok(client)
            })
        })
        .collect();

    let mut done = Vec::new();
    for client in clients {
        done.push(client.join().expect("client thread panicked")?);
    }
    // One "stop" per worker; each worker returns after its first.
    done[0].send("stop")?;
    done[0].send("stop")?;
    for worker in workers {
        worker.join().expect("worker thread panicked")?;
    }
    println!("served {} requests", CLIENTS * REQUESTS);
    Ok(())
}
