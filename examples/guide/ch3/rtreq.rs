//! rtreq: a ROUTER dealing out work to REQ workers
//!
//! Port of the zguide's `examples/Python/rtreq.py`: ten REQ workers, each
//! with a random printable identity, ask a ROUTER for work; it hands out a
//! hundred workloads to whoever asks next, then tells each worker to stop,
//! and each prints how many tasks it processed.

use std::thread;
use std::time::Duration;

use rand::Rng;
use zmq::SocketType;
use zmq_guide::{endpoint, zhelpers};

const NBR_WORKERS: usize = 10;

fn worker_thread() -> zmq::Result<()> {
    let context = zmq::Context::instance()?;
    let worker = context.socket(SocketType::Req)?;

    // A printable random identity, so it is easy to read when dumped.
    zhelpers::set_id(&worker)?;
    worker.connect(&endpoint("tcp://localhost:5671"))?;

    let mut total = 0;
    let mut rng = rand::rng();
    loop {
        // Ask for the next piece of work.
        worker.send("ready")?;

        // Count workloads until the word END arrives.
        let workload = worker.recv()?;
        let finished = workload == "END";
        if finished {
            println!("Processed: {total} tasks");
            break;
        }
        total += 1;

        // Stand-in for real work: sleep up to a tenth of a second.
        thread::sleep(Duration::from_secs_f64(0.1 * rng.random::<f64>()));
    }
    Ok(())
}

fn main() -> zmq::Result<()> {
    let context = zmq::Context::instance()?;
    let client = context.socket(SocketType::Router)?;
    client.bind(&endpoint("tcp://*:5671"))?;

    let workers: Vec<_> = (0..NBR_WORKERS)
        .map(|_| thread::spawn(worker_thread))
        .collect();

    for _ in 0..NBR_WORKERS * 10 {
        // Whichever worker asked first gets the next workload.
        let message = client.recv_multipart()?;
        let address = &message[0];

        client.send_multipart(zmq::frames![address, "", "This is the workload"])?;
    }

    // Then answer each worker's next request with END, so each prints
    // its count and stops.
    for _ in 0..NBR_WORKERS {
        let message = client.recv_multipart()?;
        let address = &message[0];
        client.send_multipart(zmq::frames![address, "", "END"])?;
    }

    // Python waits for its threads before the interpreter exits.
    for worker in workers {
        worker.join().expect("worker panicked")?;
    }
    Ok(())
}
