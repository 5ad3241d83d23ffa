//! rtdealer: a ROUTER addressing DEALER workers by name
//!
//! Port of the zguide's `examples/Python/rtdealer.py`: a ROUTER hands ten
//! workloads to two DEALER workers by their identities, "A" twice as often as
//! "B", then tells each one to stop; each worker prints how many it got.

use std::thread;
use std::time::Duration;

use rand::seq::IndexedRandom;
use zmq::{SocketType, sockopt};
use zmq_guide::endpoint;

// The two workers are the same code with another name; in practice each
// would be a program on a machine of its own.
fn worker_a() -> zmq::Result<()> {
    let context = zmq::Context::instance()?;
    let worker = context.socket(SocketType::Dealer)?;
    worker.set(sockopt::RoutingId, b"A")?;
    worker.connect(&endpoint("ipc://routing.ipc"))?;

    let mut total = 0;
    loop {
        // A DEALER gets one frame: the workload, the router took the rest.
        let request = worker.recv()?;
        let finished = request == "END";
        if finished {
            println!("A received: {total}");
            break;
        }
        total += 1;
    }
    Ok(())
}

fn worker_b() -> zmq::Result<()> {
    let context = zmq::Context::instance()?;
    let worker = context.socket(SocketType::Dealer)?;
    worker.set(sockopt::RoutingId, b"B")?;
    worker.connect(&endpoint("ipc://routing.ipc"))?;

    let mut total = 0;
    loop {
        let request = worker.recv()?;
        let finished = request == "END";
        if finished {
            println!("B received: {total}");
            break;
        }
        total += 1;
    }
    Ok(())
}

fn main() -> zmq::Result<()> {
    let context = zmq::Context::instance()?;
    let client = context.socket(SocketType::Router)?;
    client.bind(&endpoint("ipc://routing.ipc"))?;

    let a = thread::spawn(worker_a);
    let b = thread::spawn(worker_b);

    // Give both workers time to connect, or the ROUTER drops their work.
    thread::sleep(Duration::from_secs(1));

    let mut rng = rand::rng();
    for _ in 0..10 {
        // The first frame picks the worker, "A" two times in three...
        let ident = *[b"A", b"A", b"B"]
            .choose(&mut rng)
            .expect("the list is not empty");
        // ...and the second is what it gets.
        let work = "This is the workload";
        client.send_multipart(zmq::frames![ident, work])?;
    }

    client.send_multipart(["A", "END"])?;
    client.send_multipart(["B", "END"])?;

    // Python waits for its threads before the interpreter exits.
    a.join().expect("worker A panicked")?;
    b.join().expect("worker B panicked")?;
    Ok(())
}
